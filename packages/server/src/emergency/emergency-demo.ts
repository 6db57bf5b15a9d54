import type { Verb } from '../calls/flows/flow-schema.js';
import type { AppContext } from '../app-context.js';
import type { Telephony } from '../calls/telephony.js';
import { DEMO_TENANT } from '../seed/demo-tenant.js';
import type { DeviceRepo } from './device-repo.js';
import type { EmergencySettingsRepo } from './settings-repo.js';

/** The service URN the demo devices call: never a real emergency service. */
export const DEMO_PSAP_URN = 'urn:service:test.sos';

/** The demo PSAP: it answers like a call-taker and records what it hears (up to a minute: two plays of the message). */
export const DEMO_PSAP_FLOW: Verb[] = [
  { verb: 'say', text: 'Emergency service.', loop: 1 },
  { verb: 'record', maxSeconds: 60, beep: false },
];

/**
 * Demo devices for the demo customer (idempotent; their keys are never shown: the
 * /phone simulator issues one when it first sends as the device). They call the
 * test emergency service, which the demo tenant answers itself: `urn:service:test.sos`
 * is routed to this server's own SIP port, where a number of that name runs the demo
 * PSAP flow — so "simulate crash" in /phone ends in a real located SIP call whose
 * recording /admin replays.
 */
export async function seedEmergencyDemo(ctx: AppContext, repos: { devices: DeviceRepo; settings: EmergencySettingsRepo; telephony?: Telephony }): Promise<void> {
  const tenant = await ctx.tenants.bySlug(DEMO_TENANT.slug);
  const customer = await ctx.users.byEmailWithHash('customer@acme.test');
  if (!tenant || !customer || customer.tenantId !== tenant.id) return;
  const existing = new Map((await repos.devices.list(tenant.id, { ownerUserId: customer.id })).map((d) => [d.name, d]));
  const base = { ownerUserId: customer.id, psaps: [DEMO_PSAP_URN], callbackNumber: customer.phoneNumber?.startsWith('+') ? customer.phoneNumber : null };
  const demo = [
    // A demo VIN (a valid pattern, no real car): the car's calls are eCalls with an MSD.
    { name: "Casey's car", kind: 'car' as const, vehicle: { vin: 'WCS0DEM0CAR000001', vehicleClass: 'M1' as const, propulsion: ['electric' as const] } },
    { name: "Casey's watch", kind: 'wearable' as const },
    { name: 'Hall smoke alarm', kind: 'alarm' as const, civicAddress: { country: 'FR', A3: 'Paris', RD: 'Rue Cler', HNO: '12', PC: '75007', FLR: '3' } },
  ];
  for (const d of demo) {
    const row = existing.get(d.name);
    if (!row) await repos.devices.create(tenant.id, { ...base, ...d });
    else if ('vehicle' in d && !row.vehicle) await repos.devices.update(tenant.id, row.id, { vehicle: d.vehicle });
  }
  if (repos.telephony) await seedDemoPsap(ctx, tenant.id, repos.settings, repos.telephony);
}

async function seedDemoPsap(ctx: AppContext, tenantId: string, settingsRepo: EmergencySettingsRepo, tel: Telephony): Promise<void> {
  const flow = (await tel.flows.get(tenantId, 'demo-psap')) ?? (await tel.flows.create(tenantId, 'demo-psap', DEMO_PSAP_FLOW));
  if (!(await tel.numbers.lookup(DEMO_PSAP_URN))) await tel.numbers.create({ tenantId, number: DEMO_PSAP_URN, flowId: flow.id });
  // The port is this run's (tests bind any free one): a route to this host is the demo's own and follows it; one set elsewhere stays.
  const here = `sip:${ctx.config.sipPublicHost}:${tel.endpoint.ports.udp}`;
  const settings = await settingsRepo.get(tenantId);
  const current = settings.serviceRoutes[DEMO_PSAP_URN];
  const ours = (r: string) => r.startsWith(`sip:${ctx.config.sipPublicHost}:`);
  if (current && !(current.length === 1 && ours(current[0]))) return;
  if (current?.[0] === here) return;
  await settingsRepo.put(tenantId, { ...settings, serviceRoutes: { ...settings.serviceRoutes, [DEMO_PSAP_URN]: [here] } });
}
