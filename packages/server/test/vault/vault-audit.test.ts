import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { VaultAuditEntry } from '@callsight/protocol';
import type { CallsightClient } from '../../../sdk/src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { CANARY, holds } from './vault-helpers.js';
import { seedVaultAudit } from './vault-audit-fixture.js';

const DAY = 86_400_000;

for (const backend of BACKENDS) {
  describe(`vault audit on ${backend.name}: who used which card when, on which call — brand and last 4 only`, () => {
    let s: TestServer;
    let admin: CallsightClient;
    let ids: Record<'agent' | 'customer' | 'admin', string>;
    let base: number;

    before(async () => {
      s = await startTestServer({ backend });
      admin = await s.client('admin@acme.test');
      ({ ids, base } = await seedVaultAudit(s, admin));
      await waitFor(async () => (await admin.vault.audit({ limit: 200 })).items.some((e) => e.action === 'rotated'), 10_000, 'the rotation in the event log');
    });
    after(async () => {
      await s?.destroy();
    });

    test('agents and customers are refused with problem+json; supervisors and admins read it', async () => {
      for (const email of ['agent@acme.test', 'customer@acme.test']) {
        const res = await s.api('GET', '/api/vault/audit', { cookie: await s.login(email) });
        assert.equal(res.status, 403, email);
        assert.equal(res.headers.get('content-type')?.split(';')[0], 'application/problem+json');
      }
      const sup = await s.api('GET', '/api/vault/audit', { cookie: await s.login('supervisor@acme.test') });
      assert.equal(sup.status, 200);
    });

    test('entries name people and calls, show the card as brand and last 4, and never the number', async () => {
      const res = await s.api('GET', '/api/vault/audit?limit=200', { cookie: await s.login('admin@acme.test') });
      assert.equal(res.status, 200);
      const text = JSON.stringify(res.body);
      assert.deepEqual(holds(text), [], 'no form of the card number in the audit');
      assert.ok(!text.includes(CANARY.slice(0, 12)), 'not even the first 12 digits');
      const items = res.body.items as VaultAuditEntry[];
      const byAction = (a: string) => items.filter((e) => e.action === a);
      assert.deepEqual(byAction('saved').map((e) => `${e.customer?.name} ${e.card?.brand} ${e.card?.last4}`).sort(), ['Casey Customer mastercard 4444', 'Casey Customer visa 5556']);
      const spoken = byAction('spoken')[0]!;
      assert.deepEqual([spoken.actor?.name, spoken.customer?.name, spoken.call, spoken.outcome], ['Casey Customer', 'Casey Customer', { caller: 'Casey Customer', agent: 'Alex Agent' }, 'completed']);
      const repeat = byAction('repeated')[0]!;
      assert.equal(repeat.actor?.name, 'Alex Agent');
      const keyed = byAction('keyed');
      assert.deepEqual(
        keyed.map((e) => [e.actor?.name, e.call?.caller, e.call?.agent, e.outcome, e.card?.last4 ?? null]),
        [
          ['Alex Agent', '+15550199', 'Alex Agent', 'payment-connector-error', '0004'],
          ['Alex Agent', 'Casey Customer', 'Alex Agent', 'success', '5556'],
        ],
      );
      const rotated = byAction('rotated')[0]!;
      assert.equal(rotated.actor?.name, 'Ada Admin');
      assert.equal(rotated.rotation?.version, 2);
      assert.equal(byAction('removed').length, 1);
      const refused = byAction('refused');
      assert.deepEqual(
        refused.map((e) => [e.actor?.name, e.refusal?.attempt, e.refusal?.reason, e.card ? `${e.card.brand} ${e.card.last4}` : null]).sort(),
        [
          ['Alex Agent', 'speak', 'not_customer', null],
          ['Casey Customer', 'speak', 'card_removed', 'mastercard 4444'],
        ],
      );
      for (let i = 1; i < items.length; i++) assert.ok(items[i - 1]!.at >= items[i]!.at, 'newest first');

      const keys = await admin.vault.keys();
      assert.equal(keys.currentVersion, 2);
      assert.equal(keys.lastRotatedAt, rotated.at, 'the last rotation shows');
    });

    test('filters by person and date range; a range ending before it starts is a 400', async () => {
      const agent = await admin.vault.audit({ userId: ids.agent, limit: 200 });
      assert.deepEqual(agent.items.map((e) => e.action).sort(), ['keyed', 'keyed', 'refused', 'repeated']);
      const old = await admin.vault.audit({ from: base - 10 * DAY, to: base - 5 * DAY, limit: 200 });
      assert.deepEqual(old.items.map((e) => e.action), ['keyed', 'spoken']);
      assert.ok(old.items.every((e) => e.at >= base - 10 * DAY && e.at < base - 5 * DAY));
      const bad = await s.api('GET', `/api/vault/audit?from=${base}&to=${base - 1}`, { cookie: await s.login('admin@acme.test') });
      assert.equal(bad.status, 400);
      assert.equal(bad.headers.get('content-type')?.split(';')[0], 'application/problem+json');
      assert.equal(bad.body.code, 'validation_failed');
      const cursor = await s.api('GET', '/api/vault/audit?cursor=nonsense', { cookie: await s.login('admin@acme.test') });
      assert.equal(cursor.status, 400);
    });

    test('pages of two walk every entry once, in order, ties included', async () => {
      const all = (await admin.vault.audit({ limit: 200 })).items.map((e) => e.id);
      const walked: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await admin.vault.audit({ limit: 2, cursor });
        assert.ok(page.items.length <= 2);
        walked.push(...page.items.map((e) => e.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      assert.deepEqual(walked, all);
      assert.ok(all.length >= 8);
    });
  });
}
