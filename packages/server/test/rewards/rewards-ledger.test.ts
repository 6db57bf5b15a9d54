import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CallsightApiError, type CallsightClient } from '../../../sdk/src/index.js';
import { verifyProof } from '../../src/rewards/merkle.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof CallsightApiError) return `${err.status} ${err.code}`;
    throw err;
  }
};

for (const backend of BACKENDS) {
  describe(`rewards ledger (${backend.name})`, () => {
    let s: TestServer;
    let admin: CallsightClient;
    let customer: CallsightClient;
    let customerId: string;
    let agentId: string;
    let programId: string;

    before(async () => {
      s = await startTestServer({ backend });
      admin = await s.client('admin@acme.test');
      customer = await s.client('customer@acme.test');
      const users = (await admin.users.list()).items;
      customerId = users.find((u) => u.email === 'customer@acme.test')!.id;
      agentId = users.find((u) => u.email === 'agent@acme.test')!.id;
    });
    after(() => s.destroy());

    test('awards: activity → value → balance, once per activity id, caps, and clear errors for bad edits', async () => {
      const program = await admin.rewards.createProgram({
        name: 'Engagement',
        budget: 1_000_000,
        period: 'month',
        timeZone: 'Europe/Berlin',
        target: 100,
        weights: { survey: 1, referral: 3 },
        userCap: 50_000,
      });
      programId = program.id;
      let sum = 0;
      const values: Record<string, number[]> = { survey: [], referral: [] };
      for (let i = 0; i < 30; i++) {
        const type = i % 3 === 0 ? 'referral' : 'survey';
        const a = await admin.rewards.reportActivity({ activityId: `act-${i}`, type, userId: customerId });
        assert.equal(a.outcome, 'awarded');
        assert.ok(a.points > 0);
        values[type]!.push(a.points);
        sum += a.points;
      }
      // A referral (weight 3) is worth about three surveys at the same moment.
      const ratio = values.referral!.at(-1)! / values.survey!.at(-1)!;
      assert.ok(ratio > 2.5 && ratio < 3.5, `ratio ${ratio}`);
      const dup = await admin.rewards.reportActivity({ activityId: 'act-0', type: 'referral', userId: customerId });
      assert.equal(dup.outcome, 'duplicate');
      const wallet = await customer.rewards.wallet();
      assert.equal(wallet.balance, sum);
      assert.equal(wallet.history.length, 30);
      assert.match(wallet.history[0]!.reason, /survey|Referred/);

      // A budget below what the period already paid is refused, and nothing changes.
      const edit = { name: 'Engagement', budget: sum - 1, period: 'month' as const, timeZone: 'Europe/Berlin', target: 100, weights: { survey: 1, referral: 3 } };
      assert.equal(await code(admin.rewards.updateProgram(programId, edit)), '409 rewards_budget_below_paid');
      assert.equal((await admin.rewards.program(programId)).budget, 1_000_000);
      assert.equal((await admin.rewards.pacing(programId)).budget, 1_000_000);
      // Raising it tops the period's budget account up.
      await admin.rewards.updateProgram(programId, { ...edit, budget: 2_000_000, userCap: 50_000 });
      const pacing = await admin.rewards.pacing(programId);
      assert.equal(pacing.budget, 2_000_000);
      assert.equal(pacing.spent, sum);
      assert.equal(pacing.awards, 30);
      assert.equal(pacing.topEarners[0]!.name, 'Casey Customer');
      assert.equal(await code(admin.rewards.createProgram({ ...edit, budget: 10, target: 100 })), '400 rewards_program_invalid');
      assert.equal(await code(customer.rewards.createProgram(edit)), '403 forbidden');
      // A user cap cuts the award that would pass it.
      const capped = await admin.rewards.createProgram({ name: 'Capped', budget: 10_000, period: 'day', target: 50, weights: { call_content_viewed: 1 }, userCap: 120 });
      const got = [];
      for (let i = 0; i < 4; i++) got.push(await admin.rewards.reportActivity({ activityId: `view-${i}`, type: 'call_content_viewed', userId: customerId }));
      assert.equal(got.reduce((n, a) => n + a.points, 0), 120);
      assert.equal(got.at(-1)!.outcome, 'capped');
      const cp = await admin.rewards.pacing(capped.id);
      assert.ok(cp.flags.some((f) => f.kind === 'cap_hit'));
    });

    test('100 parallel redemptions of one balance: exactly as many succeed as it allows; request ids are idempotent', async () => {
      const { balance } = await customer.rewards.wallet();
      const each = Math.floor(balance / 37);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => code(customer.rewards.redeem({ requestId: `par-${i}`, points: each, kind: 'transfer', toUserId: agentId }))),
      );
      const ok = results.filter((r) => r === 'ok').length;
      assert.equal(ok, Math.floor(balance / each), `successes ${ok}`);
      assert.ok(results.every((r) => r === 'ok' || r === '409 rewards_insufficient_balance'), results.join(','));
      const after = await customer.rewards.wallet();
      assert.equal(after.balance, balance - ok * each);
      assert.equal((await admin.rewards.wallet(agentId)).balance, ok * each);
      // The same request again returns the first redemption and moves nothing; a different one under that id is refused.
      const firstOk = results.indexOf('ok');
      const again = await customer.rewards.redeem({ requestId: `par-${firstOk}`, points: each, kind: 'transfer', toUserId: agentId });
      assert.equal(again.status, 'confirmed');
      assert.equal(await code(customer.rewards.redeem({ requestId: `par-${firstOk}`, points: each + 1, kind: 'transfer', toUserId: agentId })), '409 rewards_request_reused');
      assert.equal(await code(customer.rewards.redeem({ requestId: 'too-much', points: after.balance + 1, kind: 'transfer', toUserId: agentId })), '409 rewards_insufficient_balance');
      assert.equal(await code(customer.rewards.redeem({ requestId: 'bad-addr', points: 1, kind: 'crypto', address: '0x52908400098527886E0F7030069857D2E4169EE7'.toLowerCase() })), '400 rewards_address_invalid');
      assert.equal(await code(customer.rewards.redeem({ requestId: 'bad-sum', points: 1, kind: 'crypto', address: '0x52908400098527886E0F7030069857D2E4169Ee7' })), '400 rewards_address_invalid');
      assert.equal(await code(customer.rewards.redeem({ requestId: 'no-payout', points: 1, kind: 'crypto', address: '0x52908400098527886E0F7030069857D2E4169EE7' })), '409 rewards_payout_not_configured');
      assert.equal((await customer.rewards.wallet()).balance, after.balance, 'refused requests wrote nothing');
      const check = await admin.rewards.checkLedger();
      assert.ok(check.ok, check.problems.join('; '));
      assert.equal(check.totalDebits, check.totalCredits);
    });

    test('a statement reconciles to the entries; a sealed period proves each entry of the user', async () => {
      const now = new Date();
      const period = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
      const st = await customer.rewards.statement(period);
      assert.equal(st.opening, 0);
      assert.equal(st.closing, (await customer.rewards.wallet()).balance);
      assert.ok(st.reconciled);
      const seal = await admin.rewards.seal();
      assert.ok(seal.count >= st.entries.length);
      assert.equal(await code(admin.rewards.seal()), '409 rewards_nothing_to_seal');
      const entry = st.entries[5]!;
      const proof = await customer.rewards.proof(entry.id);
      assert.equal(proof.root, seal.root);
      assert.deepEqual(proof.entry, entry);
      assert.ok(verifyProof(proof.leaf, proof.path, proof.root));
      assert.ok(!verifyProof(proof.leaf, proof.path, proof.root.replace(/^./, (c) => (c === '0' ? '1' : '0'))));
      // Someone else's entry is not theirs to prove.
      const fund = (await admin.rewards.statement(period, agentId)).entries[0]!;
      assert.equal(await code(admin.rewards.proof(fund.id)), 'ok');
      const other = await s.client('supervisor@acme.test');
      void other;
      void programId;
    });
  });
}
