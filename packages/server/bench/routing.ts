/**
 * routing: the pure allocator's decisions per second and latency with 10,000
 * agents, 50 skills and 100,000 waiting items; then allocation throughput of two
 * server instances sharing Postgres and NATS (offers committed with CAS, then
 * accepted), which is what bounds a real deployment.
 */
import { performance } from 'node:perf_hooks';
import { Allocator, type ItemInput, type RoutingChannel } from '../src/routing/allocator.js';
import { BACKENDS } from '../test/helpers/backends.js';
import { startTestServer } from '../test/helpers/test-server.js';
import { dropShared, NO_SIP } from '../test/routing/routing-fixtures.js';
import { percentile, round } from './_stats.js';

const AGENTS = 10_000;
const SKILLS = 50;
const QUEUED = 100_000;
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 200_000);

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = (n: number) => Math.floor(rand() * n);
const skill = (i: number) => `s${i}`;

function buildSaturated() {
  const a = new Allocator();
  for (let q = 0; q < SKILLS; q++) a.setQueue({ id: `q${q}`, priority: q % 3, skills: [{ skill: skill(q), minLevel: 1 + (q % 4) }], textDuringVoice: q % 2 === 0 });
  for (let i = 0; i < AGENTS; i++) {
    const skills: Record<string, number> = {};
    for (let k = 0; k < 5; k++) skills[skill(pick(SKILLS))] = 1 + pick(10);
    a.setAgent({ id: `a${i}`, available: true, skills, limit: 3, idleSince: pick(1e6) });
  }
  let n = 0;
  const item = (queueId: string, channel: RoutingChannel, phase: ItemInput['phase'], agentId: string | null): ItemInput => ({
    id: `i${n++}`, queueId, channel, priority: pick(3), volume: 1, skills: [], enqueuedAt: n, phase, agentId, declinedBy: [],
  });
  const held: ItemInput[] = [];
  // Busy floor: every agent holds a call or a full set of chats, as when 100,000 customers wait.
  for (let i = 0; i < AGENTS; i++) {
    const q = `q${pick(SKILLS)}`;
    const batch = i % 3 === 0 ? [item(q, 'voice', 'assigned', `a${i}`)] : [0, 1, 2].map(() => item(q, 'chat', 'assigned', `a${i}`));
    for (const it of batch) (a.setItem(it), held.push(it));
  }
  const channels: RoutingChannel[] = ['voice', 'chat', 'chat', 'sms', 'email', 'video'];
  for (let i = 0; i < QUEUED; i++) a.setItem(item(`q${pick(SKILLS)}`, channels[pick(channels.length)], 'queued', null));
  // Steady state: every agent already got what it has room for (text during calls, where the queue allows it).
  for (let i = 0; i < AGENTS; i++) {
    for (let next = a.nextItemFor(`a${i}`); next; next = a.nextItemFor(`a${i}`)) {
      const it = { ...a.getItem(next)!, phase: 'assigned' as const, agentId: `a${i}` };
      a.setItem(it);
      held.push(it);
    }
  }
  return { a, held, item, channels };
}

function measureInProcess() {
  const built = performance.now();
  const { a, held, item, channels } = buildSaturated();
  const buildMs = performance.now() - built;
  const latencies = new Float64Array(DECISIONS);
  let assigned = 0;
  const start = performance.now();
  for (let d = 0; d < DECISIONS; d++) {
    if (d % 2 === 0) {
      // An agent finishes an item: which waiting item does it get?
      const k = pick(held.length);
      const done = held[k];
      held[k] = held[held.length - 1];
      held.pop();
      a.removeItem(done.id);
      const t = performance.now();
      const next = a.nextItemFor(done.agentId!);
      latencies[d] = performance.now() - t;
      if (next) {
        const it = { ...a.getItem(next)!, phase: 'assigned' as const, agentId: done.agentId };
        a.setItem(it);
        held.push(it);
        assigned++;
      }
    } else {
      // A customer arrives: which agent is best?
      const it = item(`q${pick(SKILLS)}`, channels[pick(channels.length)], 'queued', null);
      a.setItem(it);
      const t = performance.now();
      const agent = a.bestAgentFor(it.id);
      latencies[d] = performance.now() - t;
      if (agent) {
        const next = { ...it, phase: 'assigned' as const, agentId: agent };
        a.setItem(next);
        held.push(next);
        assigned++;
      }
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const lat = Array.from(latencies);
  const freed = lat.filter((_, i) => i % 2 === 0);
  const arrived = lat.filter((_, i) => i % 2 === 1);
  return {
    agents: AGENTS, skills: SKILLS, queued: QUEUED, decisions: DECISIONS, buildMs: Math.round(buildMs),
    // Decision calls alone, and the whole loop with the index updates each decision causes.
    decisionsPerSec: Math.round(DECISIONS / (lat.reduce((sum, x) => sum + x, 0) / 1000)),
    decisionsPerSecWithUpdates: Math.round(DECISIONS / seconds),
    p50Us: round(percentile(lat, 50) * 1000), p99Us: round(percentile(lat, 99) * 1000), maxUs: round(lat.reduce((m, x) => (x > m ? x : m), 0) * 1000),
    p99UsAgentFreed: round(percentile(freed, 99) * 1000), p99UsItemArrived: round(percentile(arrived, 99) * 1000),
    assignedDuringRun: assigned, buckets: a.size.buckets,
  };
}

async function measureTwoServers(items: number) {
  const backend = BACKENDS.find((b) => b.name === 'postgres+nats')!;
  const a = await startTestServer({ backend, config: NO_SIP });
  const b = await startTestServer({ backend, reuse: a.reuseInfo, config: NO_SIP });
  try {
    const tenant = (await a.ctx.tenants.bySlug('acme'))!;
    const admin = await a.login('admin@acme.test');
    const sup = await a.login('supervisor@acme.test');
    const agents: string[] = [];
    for (let i = 0; i < 20; i++) {
      const u = await a.api('POST', '/api/users', { cookie: admin, body: { email: `bench${i}@acme.test`, name: `Bench ${i}`, role: 'agent', password: 'bench-password' } });
      await a.api('PUT', `/api/routing/agents/${u.body.id}`, { cookie: sup, body: { skills: { general: 5 }, limit: Math.ceil(items / 20) } });
      await a.ctx.services.get('routing').setPresence(tenant.id, u.body.id, 'available');
      agents.push(u.body.id);
    }
    const interactions = await Promise.all(Array.from({ length: items }, () => a.ctx.interactions.create({ tenantId: tenant.id, channel: 'chat' })));
    const servers = [a, b];
    const start = performance.now();
    await Promise.all(interactions.map((it, i) => servers[i % 2].ctx.services.get('routing').enqueue({ tenantId: tenant.id, interactionId: it.id, channel: 'chat', queueName: 'support' })));
    const enqueuedMs = performance.now() - start;
    const offered = async () => Number((await a.ctx.store.db.selectFrom('routing_items').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'offered').executeTakeFirstOrThrow()).n);
    while ((await offered()) < items) await new Promise((r) => setTimeout(r, 5));
    const offeredMs = performance.now() - start;
    const rows = await a.ctx.store.db.selectFrom('routing_items').select(['id', 'agent_id']).where('state', '=', 'offered').execute();
    const acceptStart = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async (_, w) => {
      while (next < rows.length) {
        const r = rows[next++];
        await servers[w % 2].ctx.services.get('routing').accept(tenant.id, r.id, r.agent_id!);
      }
    }));
    const acceptSeconds = (performance.now() - acceptStart) / 1000;
    return {
      items,
      enqueuePerSec: Math.round(items / (enqueuedMs / 1000)),
      offersPerSec: Math.round(items / (offeredMs / 1000)),
      acceptsPerSec: Math.round(items / acceptSeconds),
      offersByProcess: [a.ctx.services.get('routing').stats.offers, b.ctx.services.get('routing').stats.offers],
      casConflicts: a.ctx.services.get('routing').stats.conflicts + b.ctx.services.get('routing').stats.conflicts,
    };
  } finally {
    await b.close();
    await a.close();
    await dropShared(backend, a.reuseInfo);
  }
}

const inProcess = measureInProcess();
if (process.env.BENCH_IN_PROCESS_ONLY) {
  process.stdout.write(JSON.stringify({ bench: 'routing', inProcess }) + '\n');
  process.exit(0);
}
const twoServers = await measureTwoServers(Number(process.env.BENCH_ITEMS ?? 1000));
process.stdout.write(JSON.stringify({ bench: 'routing', note: 'busy shared 2-core machine', inProcess, twoServersPostgresNats: twoServers }) + '\n');
