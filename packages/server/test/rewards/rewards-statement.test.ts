import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPublicClient, http, type Hex } from 'viem';
import { CallsightApiError, type CallsightClient } from '../../../sdk/src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { CHAIN_ID, HOT_WALLET_KEY, startLocalChain, type LocalChain } from '../helpers/local-chain.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const PAYEE = '0x52908400098527886E0F7030069857D2E4169EE7';
const UNITS_PER_POINT = 10_000n; // 0.01 CSTD (6 decimals) per point

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof CallsightApiError) return `${err.status} ${err.code}`;
    throw err;
  }
};

/** RFC 4180 rows (quoted cells may hold commas, quotes and line ends). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return rows;
}

/**
 * Downloads of a person's rewards: their statement for a month as CSV (one row per ledger
 * entry, matching the ledger), only for themself or staff; and the proof of a paid crypto
 * redemption read from the chain (transaction, chain, block, amount, address).
 */
for (const backend of BACKENDS) {
  describe(`rewards statement and payment proof downloads (${backend.name})`, () => {
    let chain: LocalChain;
    let s: TestServer;
    let admin: CallsightClient;
    let customer: CallsightClient;
    let other: CallsightClient;
    let otherId: string;
    let customerId: string;
    const period = new Date().toISOString().slice(0, 7);

    before(async () => {
      chain = await startLocalChain();
      s = await startTestServer({ backend });
      admin = await s.client('admin@acme.test');
      customer = await s.client('customer@acme.test');
      const users = (await admin.users.list()).items;
      customerId = users.find((u) => u.email === 'customer@acme.test')!.id;
      otherId = (await admin.users.create({ email: 'robin@acme.test', name: 'Robin Other', role: 'customer', password: 'robin-pass-1' })).id;
      other = await s.client('robin@acme.test', 'robin-pass-1');
      await admin.rewards.configurePayout({ rpcUrl: chain.rpcUrl, chainId: CHAIN_ID, tokenAddress: chain.token, unitsPerPoint: String(UNITS_PER_POINT), confirmations: 1, privateKey: HOT_WALLET_KEY });
      await admin.rewards.createProgram({ name: 'Surveys', budget: 100_000, period: 'month', target: 200, weights: { survey: 1, referral: 2 } });
    });
    after(async () => {
      await s?.destroy();
      await chain?.close();
    });

    test('statement CSV: own OK and equal to the ledger, someone else’s 403, staff may; a paid crypto redemption’s proof matches the chain', async () => {
      for (const [i, type] of (['survey', 'referral', 'survey'] as const).entries()) {
        assert.equal((await admin.rewards.reportActivity({ activityId: `dl-${i}`, type, userId: customerId, reason: i === 1 ? 'Referred a friend, "Sam"' : undefined })).outcome, 'awarded');
      }
      const gift = await customer.rewards.redeem({ requestId: 'gift-1', points: 10, kind: 'transfer', toEmail: 'robin@acme.test' });
      assert.equal(gift.status, 'confirmed');
      const cash = await customer.rewards.redeem({ requestId: 'cash-1', points: 25, kind: 'crypto', address: PAYEE });
      await waitFor(
        async () => {
          await chain.mine(1);
          return (await customer.rewards.redemption(cash.id)).status === 'confirmed';
        },
        30_000,
        'the payout confirmed',
      );
      const paid = await customer.rewards.redemption(cash.id);

      // The CSV: a header, then one row per ledger entry of the person's account, in the ledger's order.
      const csv = await customer.rewards.statementCsv(period);
      const rows = parseCsv(csv);
      assert.deepEqual(rows[0], ['date', 'activity', 'points', 'value', 'asset', 'redemption']);
      const statement = await customer.rewards.statement(period);
      assert.ok(statement.reconciled);
      assert.equal(rows.length - 1, statement.entries.length);
      const account = `user:${customerId}`;
      let sum = 0;
      statement.entries.forEach((e, i) => {
        const [date, activity, points, value, asset, redemption] = rows[i + 1]!;
        const signed = e.creditAccount === account ? e.amount : -e.amount;
        sum += signed;
        assert.equal(date, new Date(e.at).toISOString());
        assert.equal(activity, e.reason);
        assert.equal(Number(points), signed);
        const units = BigInt(Math.abs(signed)) * UNITS_PER_POINT;
        assert.equal(value, `${signed < 0 ? '-' : ''}${Number(units) / 1e6}`);
        assert.equal(asset, 'CSTD');
        if (e.kind === 'award') assert.equal(redemption, '');
        if (e.kind === 'transfer') assert.equal(redemption, 'Sent to Robin Other');
        if (e.kind === 'redeem_hold') assert.equal(redemption, `To wallet ${PAYEE}, paid, transaction ${paid.txHash}`);
      });
      assert.equal(sum, statement.closing - statement.opening);
      assert.ok(rows.some((r) => r[1] === 'Referred a friend, "Sam"'), 'a reason with a comma and quotes survives');
      assert.doesNotMatch(csv, /\b(?:usr|rdm|rwe|prg)_[0-9a-z]{6,}/, 'no internal ids');

      const raw = await s.api('GET', `/api/rewards/statement.csv?period=${period}`, { cookie: await s.login('customer@acme.test') });
      assert.equal(raw.status, 200);
      assert.match(raw.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(raw.headers.get('content-disposition') ?? '', new RegExp(`attachment; filename="rewards-statement-${period}\\.csv"`));

      // Someone else's statement: refused to another customer (either way), given to staff.
      assert.equal(await code(other.rewards.statementCsv(period, customerId)), '403 forbidden');
      assert.equal(await code(customer.rewards.statementCsv(period, otherId)), '403 forbidden');
      assert.equal(await admin.rewards.statementCsv(period, customerId), csv);
      assert.equal(await code(customer.rewards.statementCsv('2026-13x')), '400 validation_failed');
      // The recipient's statement names who sent the points.
      assert.match(await other.rewards.statementCsv(period), /Received from Casey Customer/);

      // The payment proof, checked against the chain itself.
      const proof = await customer.rewards.paymentProof(cash.id);
      const rpc = createPublicClient({ transport: http(chain.rpcUrl) });
      const receipt = await rpc.getTransactionReceipt({ hash: paid.txHash as Hex });
      assert.equal(proof.txHash, paid.txHash);
      assert.equal(proof.chainId, CHAIN_ID);
      assert.equal(proof.blockNumber, receipt.blockNumber.toString());
      assert.equal(proof.blockHash, receipt.blockHash);
      assert.equal(proof.to, PAYEE);
      assert.equal(proof.from, chain.hotWallet);
      assert.equal(proof.token, chain.token);
      assert.equal(proof.amount, String(25n * UNITS_PER_POINT));
      assert.equal(proof.symbol, 'CSTD');
      assert.equal(proof.decimals, 6);
      assert.ok(proof.confirmations >= 1);
      const staffProof = await admin.rewards.paymentProof(cash.id);
      assert.deepEqual({ ...staffProof, confirmations: 0 }, { ...proof, confirmations: 0 }, 'staff get the same proof');
      assert.equal(await code(other.rewards.paymentProof(cash.id)), '404 not_found');
      assert.equal(await code(customer.rewards.paymentProof(gift.id)), '409 rewards_payment_not_confirmed');
    });
  });
}
