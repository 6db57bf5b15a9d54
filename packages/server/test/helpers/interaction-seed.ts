import { newId } from '../../src/core/ids.js';
import type { TestServer } from './test-server.js';

export interface SeededInteraction {
  interactionId: string;
  callId: string;
  customerId: string;
  agentId: string;
  supervisorId: string;
  /** The event types published, in order. */
  types: string[];
}

/**
 * A routed, verified inbound call from the demo customer, answered by the demo agent
 * with the supervisor listening in, still going on: the record and events the calls,
 * branding, routing and desk layers write for one, without placing the call.
 */
export async function seedInteraction(s: TestServer): Promise<SeededInteraction> {
  const user = async (email: string) => (await s.ctx.users.byEmailWithHash(email))!;
  const [customer, agent, supervisor] = await Promise.all([user('customer@acme.test'), user('agent@acme.test'), user('supervisor@acme.test')]);
  const tenantId = customer.tenantId;
  const it = await s.ctx.interactions.create({ tenantId, channel: 'voice', customerId: customer.id });
  const callId = newId('call');
  const from = `sip:${customer.phoneNumber ?? '+15550111'}@carrier.example`;
  const calls = s.ctx.services.get('telephony').calls;
  await calls.create({ id: callId, tenantId, interactionId: it.id, direction: 'inbound', from, to: `user:${agent.id}`, flowId: null });
  await calls.markAnswered(callId);
  const queueId = newId('q');
  const item = { itemId: newId('item'), queueId, channel: 'voice' as const, interactionId: it.id };
  const events = [
    { type: 'interaction.created', data: { interactionId: it.id, channels: ['voice'], customerId: customer.id } },
    { type: 'call.created', data: { callId, direction: 'inbound', from, to: '+15550199' } },
    { type: 'branding.verified', data: { from, identity: 'From', to: '+15550199', verstat: 'TN-Validation-Passed', attest: 'A', passports: ['shaken'], brandName: null, brandWithheld: null, reasons: [] } },
    { type: 'routing.queued', data: { ...item, priority: 0, volume: 1 } },
    { type: 'routing.assigned', data: { ...item, agentId: agent.id, by: 'accept' } },
    { type: 'call.answered', data: { callId } },
    { type: 'desk.supervising', data: { callId, supervisorCallId: newId('call'), supervisorId: supervisor.id, mode: 'monitor' } },
  ] as const;
  const t0 = Date.now();
  // A second apart, as a real call's steps are, so "in order" is the order published.
  for (const [i, e] of events.entries()) await s.ctx.bus.publish({ tenantId, interactionId: it.id, type: e.type, data: e.data, time: t0 + i * 1000 } as never);
  return { interactionId: it.id, callId, customerId: customer.id, agentId: agent.id, supervisorId: supervisor.id, types: events.map((e) => e.type) };
}
