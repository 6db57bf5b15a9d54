/**
 * rewards: how fast activities become awards, and how long a crypto redemption takes
 * against a local EVM chain, beside the chain itself doing the bare transfer.
 *
 * awards/s: the whole award path — program rules (once per activity id, caps), the
 *   dynamic value, the double-entry ledger transaction (guarded budget debit, user
 *   credit, counters) and the `rewards.awarded` event — at CONCURRENCY awards in
 *   flight, on SQLite + in-process bus and on Postgres + NATS. Latency p50/p99 is one
 *   award at a time. Rows and bytes per award: ledger entries and their stored size.
 * redemption: POST a crypto redemption (ERC-20 payout, 1 confirmation) → `confirmed`,
 *   one at a time, against ganache in process; the peer is viem sending the same
 *   ERC-20 transfer from the same hot wallet and waiting for its receipt. The ratio is
 *   callsight's p50 over the bare transfer's (the bookkeeping, signing, storing before
 *   sending and the payout worker's polling on top of the chain).
 * requests/s: 100 users each asking for one transfer redemption at the same time.
 */
import { createPublicClient, createWalletClient, erc20Abi, http, type Address } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { BACKENDS, type Backend } from '../test/helpers/backends.js';
import { CHAIN_ID, HOT_WALLET_KEY, startLocalChain } from '../test/helpers/local-chain.js';
import { startTestServer } from '../test/helpers/test-server.js';
import { percentile, round } from './_stats.js';

const AWARDS = Number(process.env.BENCH_AWARDS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const LATENCY_ROUNDS = Number(process.env.BENCH_LATENCY_ROUNDS ?? 300);
const REDEMPTIONS = Number(process.env.BENCH_REDEMPTIONS ?? 15);
const USERS = 100;
const PAYEE = '0x52908400098527886E0F7030069857D2E4169EE7' as Address;

async function awardsOn(backend: Backend) {
  const s = await startTestServer({ backend });
  try {
    const svc = s.ctx.services.get('rewards');
    const tenantId = (await s.ctx.tenants.list())[0]!.id;
    const users = await Promise.all(
      Array.from({ length: USERS }, (_, i) => s.ctx.users.create({ tenantId, email: `bench-${i}-${Date.now()}@acme.test`, name: `Bench ${i}`, role: 'customer', passwordHash: null })),
    );
    await svc.programs.create(tenantId, { name: 'Bench', budget: 1e11, period: 'month', target: 100, weights: { survey: 1, card_completed: 2 } });
    let n = 0;
    const next = () => {
      const i = n++;
      return svc.awards.award(tenantId, { activityId: `bench-${backend.name}-${i}`, type: i % 2 ? 'survey' : 'card_completed', userId: users[i % USERS]!.id });
    };
    for (let i = 0; i < 50; i++) await next(); // warm: program cache, the period funded, prepared statements
    const t0 = performance.now();
    let done = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (done < AWARDS) {
          done++;
          const r = await next();
          if (r.outcome !== 'awarded') throw new Error(`award ${r.outcome}: ${r.note}`);
        }
      }),
    );
    const perSec = done / ((performance.now() - t0) / 1000);
    const lat: number[] = [];
    for (let i = 0; i < LATENCY_ROUNDS; i++) {
      const t = performance.now();
      await next();
      lat.push(performance.now() - t);
    }
    const again = await svc.awards.award(tenantId, { activityId: `bench-${backend.name}-0`, type: 'card_completed', userId: users[0]!.id });
    if (again.outcome !== 'duplicate') throw new Error('a repeated activity id paid again');
    const check = await svc.ledger.check(tenantId);
    if (!check.ok) throw new Error(`ledger does not balance: ${check.problems.join('; ')}`);
    const rows = Number((await s.ctx.store.db.selectFrom('reward_entries').select(sql<number>`count(*)`.as('n')).where('kind', '=', 'award').executeTakeFirst())?.n ?? 0);
    const bytes =
      s.ctx.store.dialect === 'postgres'
        ? Number((await sql<{ b: string }>`select pg_total_relation_size('reward_entries') as b`.execute(s.ctx.store.db)).rows[0]?.b ?? 0)
        : Number((await sql<{ b: number }>`select sum(pgsize) as b from dbstat where name like 'reward_entries%' or name like '%reward_entries%'`.execute(s.ctx.store.db).catch(() => ({ rows: [{ b: 0 }] }))).rows[0]?.b ?? 0);
    const entries = Number((await s.ctx.store.db.selectFrom('reward_entries').select(sql<number>`count(*)`.as('n')).executeTakeFirst())?.n ?? 1);

    // 100 users, one transfer redemption each, at once.
    for (const u of users) await svc.awards.award(tenantId, { activityId: `seed-${u.id}`, type: 'survey', userId: u.id });
    const t1 = performance.now();
    await Promise.all(users.map((u, i) => svc.redemptions.redeem(tenantId, u.id, { requestId: `r-${i}`, points: 1, kind: 'transfer', toUserId: users[(i + 1) % USERS]!.id })));
    const redeemPerSec = USERS / ((performance.now() - t1) / 1000);
    return {
      awardsPerSec: Math.round(perSec),
      awardP50Ms: round(percentile(lat, 50), 2),
      awardP99Ms: round(percentile(lat, 99), 2),
      ledgerRowsPerAward: round(rows / Math.max(1, n), 2),
      ledgerBytesPerEntry: bytes ? Math.round(bytes / entries) : null,
      ledgerBytesPerAward: bytes ? Math.round((bytes / entries) * (rows / Math.max(1, n))) : null,
      transferRedemptionsPerSec100Users: Math.round(redeemPerSec),
    };
  } finally {
    await s.destroy();
  }
}

const sqlite = await awardsOn(BACKENDS[0]!);
const postgres = await awardsOn(BACKENDS[1]!);

// Crypto redemption against ganache, and ganache's own transfer as the anchor.
const chain = await startLocalChain();
const s = await startTestServer();
const ours: number[] = [];
const bare: number[] = [];
try {
  const admin = await s.client('admin@acme.test');
  const customer = await s.client('customer@acme.test');
  const customerId = (await admin.users.list()).items.find((u) => u.email === 'customer@acme.test')!.id;
  await admin.rewards.configurePayout({ rpcUrl: chain.rpcUrl, chainId: CHAIN_ID, tokenAddress: chain.token, unitsPerPoint: '10000', confirmations: 1, privateKey: HOT_WALLET_KEY });
  await admin.rewards.createProgram({ name: 'Bench', budget: 1e9, period: 'month', target: 100, weights: { survey: 1 } });
  for (let i = 0; i < REDEMPTIONS; i++) await admin.rewards.reportActivity({ activityId: `cash-${i}`, type: 'survey', userId: customerId });
  const before = await chain.balanceOf(PAYEE);
  let paid = 0n;
  for (let i = 0; i < REDEMPTIONS; i++) {
    const t = performance.now();
    const r = await customer.rewards.redeem({ requestId: `bench-${i}`, points: 1, kind: 'crypto', address: PAYEE });
    for (;;) {
      const now = await customer.rewards.redemption(r.id);
      if (now.status === 'confirmed') break;
      if (now.status === 'failed') throw new Error(`redemption failed: ${now.error}`);
      await new Promise((res) => setTimeout(res, 5));
    }
    ours.push(performance.now() - t);
    paid += 10000n;
  }
  if ((await chain.balanceOf(PAYEE)) - before !== paid) throw new Error('the chain balance does not match the redemptions');
  // The payout worker and this client share one hot wallet: the bare transfers go after ours, with their own nonces.
  const account = privateKeyToAccount(HOT_WALLET_KEY);
  const pub = createPublicClient({ transport: http(chain.rpcUrl) });
  const wallet = createWalletClient({ account, transport: http(chain.rpcUrl) });
  const local = { id: CHAIN_ID, name: 'local', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [chain.rpcUrl] } } } as const;
  for (let i = 0; i < REDEMPTIONS; i++) {
    const t = performance.now();
    const hash = await wallet.writeContract({ address: chain.token, abi: erc20Abi, functionName: 'transfer', args: [PAYEE, 10000n], chain: local });
    const receipt = await pub.waitForTransactionReceipt({ hash, pollingInterval: 5 });
    if (receipt.status !== 'success') throw new Error('bare transfer failed');
    bare.push(performance.now() - t);
  }
} finally {
  await s.destroy();
  await chain.close();
}

const p50 = percentile(ours, 50);
const bareP50 = percentile(bare, 50);
console.log(
  JSON.stringify({
    bench: 'rewards',
    sqlite: { ...sqlite, goalAwardsPerSec: 5000, vsGoal: round(sqlite.awardsPerSec / 5000, 2) },
    postgres: { ...postgres, goalAwardsPerSec: 1000, vsGoal: round(postgres.awardsPerSec / 1000, 2) },
    cryptoRedemption: {
      rounds: ours.length,
      requestToConfirmedP50Ms: round(p50, 1),
      requestToConfirmedP99Ms: round(percentile(ours, 99), 1),
      ganacheBareTransferP50Ms: round(bareP50, 1),
      ganacheBareTransferP99Ms: round(percentile(bare, 99), 1),
      vsGanache: round(p50 / bareP50, 2),
    },
    concurrency: CONCURRENCY,
    loadAverage1m: round(loadavg()[0]!, 2),
  }),
);
