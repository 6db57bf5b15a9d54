import type { AppContext } from '../app-context.js';
import { DEMO_TENANT } from '../seed/demo-tenant.js';
import type { DeviceRepo } from './device-repo.js';

/**
 * Demo devices for the demo customer (idempotent; their keys are never shown: the
 * /phone simulator issues one when it first sends as the device). They call the
 * test emergency service, so a demo never dials a real one.
 */
export async function seedEmergencyDemo(ctx: AppContext, devices: DeviceRepo): Promise<void> {
  const tenant = await ctx.tenants.bySlug(DEMO_TENANT.slug);
  const customer = await ctx.users.byEmailWithHash('customer@acme.test');
  if (!tenant || !customer || customer.tenantId !== tenant.id) return;
  const existing = new Set((await devices.list(tenant.id, { ownerUserId: customer.id })).map((d) => d.name));
  const base = { ownerUserId: customer.id, psaps: ['urn:service:test.sos'], callbackNumber: customer.phoneNumber?.startsWith('+') ? customer.phoneNumber : null };
  const demo = [
    { name: "Casey's car", kind: 'car' as const },
    { name: "Casey's watch", kind: 'wearable' as const },
    { name: 'Hall smoke alarm', kind: 'alarm' as const, civicAddress: { country: 'FR', A3: 'Paris', RD: 'Rue Cler', HNO: '12', PC: '75007', FLR: '3' } },
  ];
  for (const d of demo) if (!existing.has(d.name)) await devices.create(tenant.id, { ...base, ...d });
}
