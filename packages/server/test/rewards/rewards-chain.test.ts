import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallsightClient } from '../../../sdk/src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { CHAIN_ID, HOT_WALLET_KEY, startLocalChain, type LocalChain } from '../helpers/local-chain.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const PAYEE = '0x52908400098527886E0F7030069857D2E4169EE7';
const UNITS_PER_POINT = 10_000n; // 0.01 CSTD (6 decimals) per point

/**
 * A crypto redemption against a real local chain, across a restart: the payout is signed,
 * stored and sent, the server stops before the chain mined it, and the next server finds
 * the same transaction, waits for its confirmations and posts it: paid exactly once.
 */
for (const backend of BACKENDS) {
  describe(`rewards on-chain redemption (${backend.name})`, () => {
    let chain: LocalChain;
    let s: TestServer;
    before(async () => {
      chain = await startLocalChain();
    });
    after(async () => {
      await s?.destroy();
      await chain.close();
    });

    test('restart while an ERC-20 payout is pending resolves it exactly once, to the converted amount', async () => {
      s = await startTestServer({ backend });
      const admin = await s.client('admin@acme.test');
      const customer = await s.client('customer@acme.test');
      const customerId = (await admin.users.list()).items.find((u) => u.email === 'customer@acme.test')!.id;
      const cfg = await admin.rewards.configurePayout({ rpcUrl: chain.rpcUrl, chainId: CHAIN_ID, tokenAddress: chain.token, unitsPerPoint: String(UNITS_PER_POINT), confirmations: 2, privateKey: HOT_WALLET_KEY });
      assert.equal(cfg.decimals, 6, 'decimals() read from the contract');
      assert.equal(cfg.symbol, 'CSTD');
      assert.equal(cfg.hotWallet, chain.hotWallet);
      assert.ok(!JSON.stringify(await admin.rewards.payout()).includes(HOT_WALLET_KEY.slice(2)), 'the key is never returned');
      await admin.rewards.createProgram({ name: 'Surveys', budget: 100_000, period: 'week', target: 250, weights: { survey: 1 } });
      const award = await admin.rewards.reportActivity({ activityId: 'survey-1', type: 'survey', userId: customerId });
      assert.ok(award.points > 0);

      const before = await chain.balanceOf(PAYEE);
      await chain.pause(); // sent but not mined while this server runs
      const r = await customer.rewards.redeem({ requestId: 'cash-1', points: award.points, kind: 'crypto', address: PAYEE });
      assert.equal(r.status, 'pending');
      assert.equal(r.amount, String(BigInt(award.points) * UNITS_PER_POINT));
      await waitFor(async () => (await customer.rewards.redemption(r.id)).status === 'submitted', 20_000, 'the payout sent');
      const sent = await customer.rewards.redemption(r.id);
      assert.match(sent.txHash ?? '', /^0x[0-9a-f]{64}$/);
      assert.equal((await customer.rewards.wallet()).balance, 0, 'the points are held');
      assert.equal((await customer.rewards.wallet()).pending, award.points);
      await s.close();

      await chain.resume();
      await chain.mine(2);
      s = await startTestServer({ backend, reuse: s.reuseInfo });
      const c2 = await s.client('customer@acme.test');
      const a2 = await s.client('admin@acme.test');
      await waitFor(async () => (await c2.rewards.redemption(r.id)).status === 'confirmed', 30_000, 'the payout confirmed');
      const done = await c2.rewards.redemption(r.id);
      assert.equal(done.txHash, sent.txHash, 'the same transaction, not a second one');
      assert.ok(done.confirmations >= 2);
      assert.equal((await chain.balanceOf(PAYEE)) - before, BigInt(award.points) * UNITS_PER_POINT);
      // Asking again under the same request id pays nothing more.
      const again = await c2.rewards.redeem({ requestId: 'cash-1', points: award.points, kind: 'crypto', address: PAYEE });
      assert.equal(again.id, r.id);
      await chain.mine(3);
      await new Promise((res) => setTimeout(res, 1000));
      assert.equal((await chain.balanceOf(PAYEE)) - before, BigInt(award.points) * UNITS_PER_POINT);
      const w = await c2.rewards.wallet();
      assert.equal(w.balance, 0);
      assert.equal(w.pending, 0);
      assert.deepEqual(
        w.history.map((h) => h.kind),
        ['redeem_hold', 'award'],
      );
      const check = await a2.rewards.checkLedger();
      assert.ok(check.ok, check.problems.join('; '));
      void customer;
    });
  });
}
