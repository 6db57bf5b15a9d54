import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RewardActivityInput, RewardActivityType, RewardAward } from '@callsight/protocol';
import { sql } from 'kysely';
import { RewardAwards } from '../../src/rewards/reward-awards.js';
import { accountOf } from '../../src/rewards/reward-ledger.js';
import type { RewardsService } from '../../src/rewards/rewards-service.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const DAY = 86_400_000;

/**
 * Awards arriving together are settled in one transaction (group commit). These tests
 * fire them concurrently and check what one-at-a-time awards promised: the budget and
 * caps hold, an activity pays once, the period's counters equal the ledger, and the
 * values are the ones serial awards would have had.
 */
for (const backend of BACKENDS) {
  describe(`rewards awards in batches (${backend.name})`, () => {
    let s: TestServer;
    let svc: RewardsService;
    let tenantId: string;
    let users: string[];
    let window = 0;

    before(async () => {
      s = await startTestServer({ backend });
      svc = s.ctx.services.get('rewards');
      tenantId = (await s.ctx.tenants.list())[0]!.id;
      users = [];
      for (let i = 0; i < 10; i++) users.push((await s.ctx.users.create({ tenantId, email: `batch-${i}@acme.test`, name: `Batch ${i}`, role: 'customer', passwordHash: null })).id);
    });
    after(() => s.destroy());

    /** A program of its own days (so earlier tests' programs and periods never meet it), and an instant inside its first day. */
    async function program(input: { budget: number; target: number; weights: Partial<Record<RewardActivityType, number>>; userCap?: number; deviceCap?: number }) {
      const startsAt = Date.UTC(2030, 0, 1) + window++ * 10 * DAY;
      const p = await svc.programs.create(tenantId, { name: `Batch ${window}`, period: 'day', timeZone: 'UTC', startsAt, endsAt: startsAt + 5 * DAY, ...input });
      return { p, at: startsAt + 6 * 3_600_000 };
    }

    async function totals(programId: string, at: number) {
      const key = new Date(at).toISOString().slice(0, 10);
      const counter = await s.ctx.store.db.selectFrom('reward_counters').selectAll().where('id', '=', `${programId}:${key}:period`).executeTakeFirstOrThrow();
      const entries = await s.ctx.store.db
        .selectFrom('reward_entries')
        .select([sql<number>`coalesce(sum(amount), 0)`.as('sum'), sql<number>`count(*)`.as('n')])
        .where('program_id', '=', programId)
        .where('kind', '=', 'award')
        .executeTakeFirstOrThrow();
      const budget = await s.ctx.store.db.selectFrom('reward_accounts').selectAll().where('id', '=', accountOf.budget(programId, key)).executeTakeFirstOrThrow();
      return { counter, paid: Number(entries.sum), awards: Number(entries.n), budget };
    }

    test('concurrent awards never pay more than the budget, and the period totals equal the ledger', async () => {
      const { p, at } = await program({ budget: 3_000, target: 50, weights: { survey: 1, referral: 3 } });
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) => svc.awards.award(tenantId, { activityId: `budget-${i}`, type: i % 4 ? 'survey' : 'referral', userId: users[i % users.length]!, at: at + i })),
      );
      const paid = results.reduce((n, r) => n + r.points, 0);
      assert.equal(paid, 3_000, 'the budget is spent to the point');
      assert.ok(results.some((r) => r.outcome === 'capped' && r.points === 0 && /budget/.test(r.note ?? '')));
      assert.ok(results.every((r) => r.points >= 0));
      const t = await totals(p.id, at);
      assert.equal(t.paid, paid);
      assert.equal(Number(t.budget.debits), paid);
      assert.equal(Number(t.counter.points), paid);
      assert.equal(Number(t.counter.awards), t.awards);
      assert.equal(t.awards, results.filter((r) => r.entryId).length);
      assert.equal(Number(t.counter.capped), results.filter((r) => r.outcome === 'capped').length);
      for (const u of users) {
        const own = results.filter((_, i) => users[i % users.length] === u).reduce((n, r) => n + r.points, 0);
        assert.ok(own <= (await svc.ledger.balance(s.ctx.store.db, accountOf.user(u))));
      }
      const check = await svc.ledger.check(tenantId);
      assert.ok(check.ok, check.problems.join('; '));
    });

    test('the same activity reported many times at once pays once, and every report names that entry', async () => {
      const { p, at } = await program({ budget: 1_000_000, target: 100, weights: { card_completed: 1 } });
      const ids = Array.from({ length: 60 }, (_, i) => `twice-${i}`);
      // Three reports of each id, interleaved so repeats land in the same batch and in later ones.
      const inputs: RewardActivityInput[] = [...ids, ...ids.slice().reverse(), ...ids].map((activityId, i) => ({ activityId, type: 'card_completed', userId: users[i % 3]!, at: at + i }));
      const results = await Promise.all(inputs.map((a) => svc.awards.award(tenantId, a)));
      const byId = new Map<string, RewardAward[]>();
      inputs.forEach((a, i) => byId.set(a.activityId, [...(byId.get(a.activityId) ?? []), results[i]!]));
      for (const [id, rs] of byId) {
        assert.equal(rs.filter((r) => r.outcome === 'awarded').length, 1, id);
        assert.equal(rs.filter((r) => r.outcome === 'duplicate').length, 2, id);
        assert.equal(new Set(rs.map((r) => r.entryId)).size, 1, `${id}: one entry`);
        assert.equal(new Set(rs.map((r) => r.points)).size, 1, `${id}: one value`);
      }
      const t = await totals(p.id, at);
      assert.equal(t.awards, 60);
      assert.equal(Number(t.counter.awards), 60);
      assert.equal(Number(t.counter.points), t.paid);
    });

    test('per-user and per-device caps hold under concurrency', async () => {
      const { p, at } = await program({ budget: 1_000_000, target: 40, weights: { room_listened: 1 }, userCap: 500, deviceCap: 300 });
      const results = await Promise.all(
        // Even: the first user, no device; odd: another user on the device.
        Array.from({ length: 80 }, (_, i) => svc.awards.award(tenantId, { activityId: `cap-${i}`, type: 'room_listened', userId: users[i % 2]!, deviceId: i % 2 ? 'phone-a' : undefined, at: at + i })),
      );
      const paid = results.filter((_, i) => i % 2 === 0).reduce((n, r) => n + r.points, 0);
      assert.equal(paid, 500, 'the user cap is reached exactly');
      const onDevice = results.filter((_, i) => i % 2).reduce((n, r) => n + r.points, 0);
      assert.equal(onDevice, 300, 'the device cap is reached exactly');
      assert.ok(results.some((r) => r.outcome === 'capped'));
      const key = new Date(at).toISOString().slice(0, 10);
      const userCounter = await s.ctx.store.db.selectFrom('reward_counters').select('points').where('id', '=', `${p.id}:${key}:u:${users[0]}`).executeTakeFirstOrThrow();
      assert.equal(Number(userCounter.points), 500);
      const deviceCounter = await s.ctx.store.db.selectFrom('reward_counters').select('points').where('id', '=', `${p.id}:${key}:d:phone-a`).executeTakeFirstOrThrow();
      assert.equal(Number(deviceCounter.points), onDevice);
    });

    test('two award services on one store (two processes) share the budget and pay each activity once', async () => {
      const { p, at } = await program({ budget: 5_000, target: 30, weights: { branded_call_answered: 1 } });
      const other = new RewardAwards(s.ctx, svc.ledger, svc.programs);
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) => (i % 2 ? other : svc.awards).award(tenantId, { activityId: `two-${i % 200}`, type: 'branded_call_answered', userId: users[i % users.length]!, at: at + (i % 200) })),
      );
      const t = await totals(p.id, at);
      assert.ok(t.paid <= 5_000, `paid ${t.paid}`);
      assert.equal(t.awards, new Set(results.filter((r) => r.entryId).map((r) => r.entryId)).size);
      assert.equal(Number(t.counter.points), t.paid);
      assert.equal(Number(t.budget.debits), t.paid);
      const check = await svc.ledger.check(tenantId);
      assert.ok(check.ok, check.problems.join('; '));
    });

    test('values in a batch are the ones one-at-a-time awards would have had (the pacing is unchanged)', async () => {
      const a = await program({ budget: 20_000, target: 100, weights: { survey: 1, referral: 3 } });
      const b = await program({ budget: 20_000, target: 100, weights: { survey: 1, referral: 3 } });
      const input = (at: number, i: number): RewardActivityInput => ({ activityId: `pace-${at}-${i}`, type: i % 3 ? 'survey' : 'referral', userId: users[i % users.length]!, at: at + i * 60_000 });
      const serial: number[] = [];
      for (let i = 0; i < 150; i++) serial.push((await svc.awards.award(tenantId, input(a.at, i))).points);
      await svc.programs.forActivity(tenantId, 'survey', b.at); // the program list cached: the awards start in the order they are made
      const together = (await Promise.all(Array.from({ length: 150 }, (_, i) => svc.awards.award(tenantId, input(b.at, i))))).map((r) => r.points);
      assert.deepEqual(together, serial);
    });
  });
}
