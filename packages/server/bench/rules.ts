// Rules engine core: 10,000 events/s against 1,000 active rules of mixed kinds
// (event with a CEL condition, sequence, count, absence), in process. Prints
// event → firing latency (p50/p99, the engine's evaluation of one event across
// every rule it touches, firings included) and memory per open window.
//
// Two runs of the same event stream on fresh engines:
// - capacity: unpaced, as fast as it goes; CPU time per event (process.cpuUsage) is
//   reported beside wall time because other processes on a shared machine stretch
//   wall time but not the CPU the engine itself used;
// - paced at 10,000/s: latency from the moment each event was due, so time spent
//   queued behind earlier events (or a GC pause) counts;
// - the same paced stream published as ingested events through NATS JetStream
//   (127.0.0.1:4222) and taken by the rules group consumer, as the runtime takes them:
//   latency from due to evaluated, through the bus. Beside it, in the same run, the
//   in-process figures and the ratio; EventBridge's published p99 (387 ms) is the
//   anchor the issue names. Not in it: the Postgres writes (state, effect claims).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { RuleDefinition } from '@callsight/protocol';
import { NatsBus } from '../src/bus/nats-bus.js';
import { createLogger } from '../src/core/logger.js';
import { parseRuleDefinition } from '../src/rules/rule-definition.js';
import { RuleEngine, type EngineEvent, type EngineRule } from '../src/rules/rule-engine.js';
import { engineEventOf } from '../src/rules/rules-runtime.js';
import { NATS_URL, uniqueName } from '../test/helpers/backends.js';
import { percentile, round } from './_stats.js';

// A full collection before each heap reading, so memory per open window is the windows' own.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const RULES = 1000;
const RATE = 10_000;
const SECONDS = Number(process.argv[2] ?? 3);
const MAX_BATCHES_IN_FLIGHT = 16;
const TYPES = 100;
const CUSTOMERS = 2000;

const rules: EngineRule[] = [];
for (let i = 0; i < RULES; i++) {
  const t = (k: number) => `biz.t${(i + k) % TYPES}`;
  const kinds: RuleDefinition['trigger'][] = [
    { kind: 'event', event: { type: t(0), when: `event.data.amount > ${i % 100} && event.data.tier == "gold"` } },
    { kind: 'sequence', steps: [{ type: t(0) }, { type: t(1), when: 'event.data.amount > 50' }], withinSeconds: 600 },
    { kind: 'count', event: { type: t(0) }, count: 3, withinSeconds: 600 },
    { kind: 'absence', after: { type: t(0) }, missing: { type: t(2) }, withinSeconds: 120 },
  ];
  const parsed = parseRuleDefinition({ name: `r${i}`, trigger: kinds[i % 4], actions: [{ kind: 'whisper', text: 'x' }] }, '');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  rules.push({ id: `rule_${i}`, version: 1, mode: 'active', definition: parsed.definition, conditions: parsed.conditions });
}
const total = RATE * SECONDS;
const start = Date.now();

function engine(): RuleEngine {
  const e = new RuleEngine({ traceNoMatch: false });
  e.setRules(rules);
  return e;
}

/** The n-th event of the stream: 100 types, 2,000 customers, 1 ms apart in event time. */
const event = (n: number): EngineEvent => ({
  id: `evt_${String(n).padStart(9, '0')}`,
  type: `biz.t${n % TYPES}`,
  time: start + n + 1,
  customerId: `usr_${n % CUSTOMERS}`,
  interactionId: null,
  data: { amount: n % 120, tier: n % 3 ? 'gold' : 'silver' },
});

function capacity() {
  const e = engine();
  let firings = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let n = 0; n < total; n++) {
    const ev = event(n);
    e.push(ev);
    firings += e.advance(ev.time).firings.length;
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuUsPerEvent = (cpu.user + cpu.system) / total;
  return { firings, eventsPerSecond: round(total / wall, 0), cpuUsPerEvent: round(cpuUsPerEvent, 1), eventsPerCpuSecond: round(1e6 / cpuUsPerEvent, 0) };
}

async function paced() {
  const e = engine();
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const lat: number[] = [];
  let firings = 0;
  let n = 0;
  const t0 = performance.now();
  while (n < total) {
    // Paced: the n-th event is due at n / RATE seconds.
    const due = t0 + (n / RATE) * 1000;
    if (performance.now() < due) {
      await new Promise((r) => setImmediate(r));
      continue;
    }
    const ev = event(n);
    e.push(ev);
    firings += e.advance(ev.time).firings.length;
    lat.push(performance.now() - due);
    n++;
  }
  const elapsed = (performance.now() - t0) / 1000;
  gc();
  const windows = e.openWindows();
  const heap = process.memoryUsage().heapUsed - heap0;
  return { firings, eventsPerSecond: round(total / elapsed, 0), lat, windows, bytesPerOpenWindow: windows ? round(heap / windows, 0) : null };
}

/** The paced stream through the bus: published in the batches that are due, evaluated as delivered. */
async function throughNats() {
  const stream = uniqueName('BENCH_RULES').toUpperCase();
  const bus = await NatsBus.connect({ url: NATS_URL, stream }, null, createLogger('silent'));
  const e = engine();
  const lat: number[] = [];
  const dueAt = new Map<string, number>();
  let firings = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await bus.subscribe({ group: 'rules' }, (msg) => {
    const ev = engineEventOf(msg);
    e.push(ev);
    firings += e.advance(ev.time).firings.length;
    lat.push(performance.now() - dueAt.get(ev.id)!);
    if (lat.length === total) done();
  });
  const t0 = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  let lost = 0;
  let n = 0;
  while (n < total) {
    // Backpressure: a loaded broker acks late; events then wait here, and their latency shows it.
    if (inFlight.size >= MAX_BATCHES_IN_FLIGHT) await Promise.race(inFlight);
    const now = performance.now();
    const batch = [];
    for (; n < total && t0 + (n / RATE) * 1000 <= now; n++) {
      const ev = event(n);
      dueAt.set(ev.id, t0 + (n / RATE) * 1000);
      batch.push({ id: ev.id, time: ev.time, tenantId: 'ten_bench', type: 'ingest.event' as const, data: { eventType: ev.type, source: 'bench', sourceId: ev.id, subject: null, customerId: ev.customerId, data: ev.data } });
    }
    if (batch.length) {
      const p: Promise<unknown> = bus
        .publishMany(batch)
        .catch(() => (lost += batch.length))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(inFlight);
  if (lost < total) await Promise.race([finished, new Promise((r) => setTimeout(r, 60_000))]);
  const elapsed = (performance.now() - t0) / 1000;
  await bus.destroyStream();
  await bus.close();
  return { firings, delivered: lat.length, publishFailed: lost, eventsPerSecond: round(lat.length / elapsed, 0), p50Ms: round(percentile(lat, 50), 3), p99Ms: round(percentile(lat, 99), 3), maxMs: round(Math.max(...lat), 3) };
}

const cap = capacity();
gc();
const run = await paced();
const p99 = percentile(run.lat, 99);
gc();
const nats = await throughNats();
console.log(
  JSON.stringify({
    bench: 'rules',
    rules: RULES,
    events: total,
    firings: run.firings,
    capacity: cap,
    eventsPerSecond: run.eventsPerSecond,
    inProcess: { p50Ms: round(percentile(run.lat, 50), 3), p99Ms: round(p99, 3), maxMs: round(Math.max(...run.lat), 3) },
    nats: { ...nats, goalP99Ms: 50, ratioP99ToInProcess: round(nats.p99Ms / p99, 1), ratioToEventBridge: round(387 / nats.p99Ms, 1) },
    goal: { eventsPerSecond: RATE, p99Ms: 20, eventBridgeP99Ms: 387, ratioToEventBridge: round(387 / p99, 1) },
    openWindows: run.windows,
    bytesPerOpenWindow: run.bytesPerOpenWindow,
    loadAverage: (await import('node:os')).loadavg().map((x) => round(x, 1)),
  }),
);
