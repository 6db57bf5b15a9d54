import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { VaultAuditEntry } from '@callsight/protocol';
import type { CallsightClient } from '../../../sdk/src/index.js';
import { hashPassword } from '../../src/core/secrets.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { CANARY, holds, scanFiles, scanPostgres } from './vault-helpers.js';

const EXP = { expMonth: 12, expYear: new Date().getUTCFullYear() + 3, holderName: 'Casey Customer' };
const READS_PER_HOUR = 3;
/** Well-formed ids of nothing (the API refuses malformed ones before any check). */
const NO_CALL = `call_${'0'.repeat(26)}`;
const reading = (i: number) => `vsp_${`limit${i}`.padEnd(26, '0')}`;

/**
 * Every refused attempt to read a card into a call (or to repeat one) is an audit row
 * with its reason, named in /api/vault/audit; nothing is read, and what the caller
 * typed (a token or call id with a card number in it) is kept nowhere.
 */
for (const backend of BACKENDS) {
  describe(`vault refusals on ${backend.name}: each refused reading is audited with its reason`, () => {
    let s: TestServer;
    const logs: string[] = [];
    let admin: CallsightClient;
    let customer: CallsightClient;
    let olive: CallsightClient;
    let agent: CallsightClient;
    let globex: { customer: CallsightClient; admin: CallsightClient };
    let visa = '';
    let removed = '';
    let ids: Record<string, string>;

    before(async () => {
      s = await startTestServer({ backend, captureLogs: logs, config: { vaultReadsPerHour: READS_PER_HOUR, sipEnabled: false } });
      admin = await s.client('admin@acme.test');
      await admin.users.create({ email: 'olive@acme.test', name: 'Olive Other', role: 'customer', password: 'other-password' });
      customer = await s.client('customer@acme.test');
      olive = await s.client('olive@acme.test', 'other-password');
      agent = await s.client('agent@acme.test');
      const t = await s.ctx.tenants.create({ name: 'Globex', slug: 'globex' });
      await s.ctx.users.create({ tenantId: t.id, email: 'root@globex.test', name: 'Gus Globex', role: 'admin', passwordHash: await hashPassword('globex-pass') });
      await s.ctx.users.create({ tenantId: t.id, email: 'gina@globex.test', name: 'Gina Globex', role: 'customer', passwordHash: await hashPassword('globex-pass') });
      globex = { customer: await s.client('gina@globex.test', 'globex-pass'), admin: await s.client('root@globex.test', 'globex-pass') };
      visa = (await customer.vault.save({ pan: CANARY, ...EXP })).token;
      removed = (await customer.vault.save({ pan: '5555555555554444', ...EXP })).token;
      await customer.vault.revoke(removed);
      const users = (await admin.users.list()).items;
      ids = Object.fromEntries(users.map((u) => [u.email.split('@')[0]!, u.id]));
    });
    after(async () => {
      await s?.destroy();
    });

    const refusals = async (c: CallsightClient = admin) => (await c.vault.audit({ limit: 200 })).items.filter((e) => e.action === 'refused');
    const line = (e: VaultAuditEntry) => [e.refusal?.attempt, e.refusal?.reason, e.actor?.name ?? null, e.customer?.name ?? null, e.card ? `${e.card.brand} ${e.card.last4}` : null].join(' | ');
    const refused = async (attempt: Promise<unknown>, status: number, code: string) =>
      assert.rejects(attempt, (e: { status?: number; code?: string }) => e.status === status && e.code === code);

    test('readings refused: not a customer, unknown card, another customer’s, another organisation’s, removed, bad code, no call', async () => {
      // A token and a call id shaped right but carrying the card number: refused, and kept nowhere.
      const typedToken = `vtk_${CANARY}abcdefghij`;
      await refused(agent.vault.speak(visa, { callId: NO_CALL }), 403, 'forbidden');
      await refused(customer.vault.speak(typedToken, { callId: NO_CALL }), 404, 'not_found');
      await refused(olive.vault.speak(visa, { callId: NO_CALL }), 404, 'not_found');
      await refused(globex.customer.vault.speak(visa, { callId: NO_CALL }), 404, 'not_found');
      await refused(customer.vault.speak(removed, { callId: NO_CALL }), 410, 'vault_card_revoked');
      await refused(customer.vault.speak(visa, { callId: NO_CALL, cvv: '12' }), 400, 'vault_card_invalid');
      await refused(customer.vault.speak(visa, { callId: `call_${CANARY}abcdefghij` }), 409, 'vault_no_active_call');

      const acme = (await refusals()).map(line).sort();
      assert.deepEqual(acme, [
        'speak | card_removed | Casey Customer | Casey Customer | mastercard 4444',
        'speak | invalid_code | Casey Customer | Casey Customer | visa 5556',
        'speak | no_active_call | Casey Customer | Casey Customer | visa 5556',
        'speak | not_customer | Alex Agent |  | ',
        'speak | not_their_card | Olive Other | Casey Customer | visa 5556',
        // Acme's row of Gina's attempt names no one of Globex.
        'speak | other_tenant |  | Casey Customer | visa 5556',
        'speak | unknown_card | Casey Customer |  | ',
      ]);
      // Globex's admin sees their customer's attempt, and nothing of Acme's card.
      assert.deepEqual((await refusals(globex.admin)).map(line), ['speak | other_tenant | Gina Globex |  | ']);
      // Filtered by person: Olive's attempt on Casey's card shows for either of them.
      assert.deepEqual((await admin.vault.audit({ userId: ids.olive })).items.map((e) => e.refusal?.reason), ['not_their_card']);
      assert.ok((await admin.vault.audit({ userId: ids.customer })).items.some((e) => e.refusal?.reason === 'not_their_card'));
    });

    test('too many readings in an hour: refused with 429, and audited', async () => {
      const tenantId = (await admin.users.list()).items[0]!.tenantId;
      const now = Date.now();
      // Readings as the service writes them (they need a live call, which vault.test makes).
      await s.ctx.store.db
        .insertInto('vault_speaks')
        .values(
          Array.from({ length: READS_PER_HOUR }, (_, i) => ({ id: reading(i), tenant_id: tenantId, card_id: visa, customer_id: ids.customer!, last4: '5556', brand: 'visa', call_id: 'call_limit', other_call_id: 'call_limit_agent', started_at: now - (i + 1) * 60_000 * 3, duration_ms: 9000, status: 'completed' as const, kind: 'card' as const, actor: ids.customer!, markers: '[]' })),
        )
        .execute();
      await refused(customer.vault.speak(visa, { callId: NO_CALL }), 429, 'vault_speak_rate_limited');
      assert.ok((await refusals()).some((e) => e.refusal?.reason === 'rate_limited' && e.actor?.name === 'Casey Customer'));
    });

    test('repeats refused: a customer asking, an unknown reading, one read too long ago', async () => {
      await refused(customer.vault.repeatLastGroup(reading(0)), 403, 'forbidden');
      await refused(agent.vault.repeatLastGroup(`vsp_${'0'.repeat(26)}`), 404, 'not_found');
      await refused(agent.vault.repeatLastGroup(reading(2)), 409, 'vault_repeat_expired');
      const repeats = (await refusals()).filter((e) => e.refusal?.attempt === 'repeat').map(line).sort();
      assert.deepEqual(repeats, ['repeat | not_agent | Casey Customer |  | ', 'repeat | repeat_expired | Alex Agent | Casey Customer | visa 5556', 'repeat | unknown_reading | Alex Agent |  | ']);
    });

    test('canary hunt: the number is in no audit row, log line, event, table or file', async () => {
      const audit = JSON.stringify(await admin.vault.audit({ limit: 200 }));
      assert.deepEqual(holds(audit), []);
      assert.ok(logs.length > 0, 'logs were captured');
      assert.deepEqual(logs.filter((l) => holds(l).length), []);
      const events = await s.api('GET', '/api/events?limit=500', { cookie: await s.login('admin@acme.test') });
      assert.deepEqual(holds(JSON.stringify(events.body)), []);
      assert.deepEqual(scanFiles(s.reuseInfo.dataDir), []);
      if (backend.databaseUrl) assert.deepEqual(await scanPostgres(backend.databaseUrl, s.reuseInfo.schema), []);
    });
  });
}
