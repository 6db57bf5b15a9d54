import type { CallsightClient } from '../../../sdk/src/index.js';
import type { TestServer } from '../helpers/test-server.js';
import { CANARY } from './vault-helpers.js';

const DAY = 86_400_000;

/**
 * A vault audit to read: the customer saves two cards (the canary among them) and
 * removes one, the admin rotates the keys, two readings are refused — all through the API — and the rows a live
 * reading and two keypad captures leave (they need calls, which other suites make)
 * are written as those services write them, with a tie in time between two sources.
 */
export async function seedVaultAudit(s: TestServer, admin: CallsightClient): Promise<{ ids: Record<'agent' | 'customer' | 'admin', string>; base: number }> {
  const users = (await admin.users.list()).items;
  const id = (email: string) => users.find((u) => u.email === email)!.id;
  const ids = { agent: id('agent@acme.test'), customer: id('customer@acme.test'), admin: id('admin@acme.test') };
  const tenantId = users[0]!.tenantId;
  const customer = await s.client('customer@acme.test');
  const exp = { expMonth: 12, expYear: new Date().getUTCFullYear() + 3, holderName: 'Casey Customer' };
  const visa = await customer.vault.save({ pan: CANARY, ...exp });
  const mc = await customer.vault.save({ pan: '5555 5555 5555 4444', ...exp });
  await customer.vault.revoke(mc.token);
  await admin.vault.rotateKeys();
  // Two refused readings, through the API: an agent cannot read a customer's card, nobody reads a removed one.
  const agent = await s.client('agent@acme.test');
  const noCall = `call_${'0'.repeat(26)}`;
  await agent.vault.speak(visa.token, { callId: noCall }).catch(() => {});
  await customer.vault.speak(mc.token, { callId: noCall }).catch(() => {});

  const base = Date.now();
  const db = s.ctx.store.db;
  const call = (n: string, direction: 'inbound' | 'outbound', from: string, to: string, at: number) => ({
    id: `call_audit${n}`,
    tenant_id: tenantId,
    interaction_id: `int_audit${n}`,
    direction,
    from_uri: from,
    to_uri: to,
    state: 'ended' as const,
    flow_id: null,
    created_at: at,
    answered_at: at,
    ended_at: at + 60_000,
    end_cause: 'normal',
  });
  await db
    .insertInto('calls')
    .values([
      call('1', 'inbound', `user:${ids.customer}`, '1001', base - 7 * DAY),
      call('2', 'outbound', '+15550100', `user:${ids.agent}`, base - 7 * DAY),
      call('3', 'inbound', 'sip:+15550199@carrier.example', '1001', base - 2 * 3_600_000),
      call('4', 'outbound', '+15550199', `user:${ids.agent}`, base - 2 * 3_600_000),
    ])
    .execute();
  const speak = (n: string, at: number, kind: 'card' | 'repeat', actor: string) => ({
    id: `vsp_audit${n}`,
    tenant_id: tenantId,
    card_id: visa.token,
    customer_id: ids.customer,
    last4: visa.last4,
    brand: visa.brand,
    call_id: 'call_audit1',
    other_call_id: 'call_audit2',
    started_at: at,
    duration_ms: 9000,
    status: 'completed' as const,
    kind,
    actor,
    markers: '[]',
  });
  await db
    .insertInto('vault_speaks')
    .values([speak('1', base - 7 * DAY, 'card', ids.customer), speak('2', base - 2 * 3_600_000, 'repeat', ids.agent)])
    .execute();
  const capture = (n: string, at: number, callId: string, customerCallId: string, customerId: string | null, result: string, last4: string) => ({
    id: `vcp_audit${n}`,
    tenant_id: tenantId,
    call_id: callId,
    customer_call_id: customerCallId,
    customer_id: customerId,
    actor: ids.agent,
    status: 'done' as const,
    result,
    brand: 'visa',
    last4,
    payment_token: result === 'success' ? 'tok_test_1' : null,
    amount: 1999,
    currency: 'EUR',
    idempotency_key: `idk_audit${n}`,
    attempts: 1,
    started_at: at,
    ended_at: at + 30_000,
    markers: '[]',
  });
  await db
    .insertInto('vault_captures')
    .values([
      capture('1', base - 6 * DAY, 'call_audit2', 'call_audit1', ids.customer, 'success', '5556'),
      capture('2', base - 2 * 3_600_000, 'call_audit4', 'call_audit3', null, 'payment-connector-error', '0004'),
    ])
    .execute();
  return { ids, base };
}
