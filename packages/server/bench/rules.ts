// Rules engine core: 10,000 events/s against 1,000 active rules of mixed kinds
// (event with a CEL condition, sequence, count, absence), in process. Prints
// event → firing latency (p50/p99, the engine's evaluation of one event across
// every rule it touches, firings included) and memory per open window.
// Not measured here: the path through NATS + Postgres (effect claim, publish).
import type { RuleDefinition } from '@callsight/protocol';
import { parseRuleDefinition } from '../src/rules/rule-definition.js';
import { RuleEngine, type EngineRule } from '../src/rules/rule-engine.js';
import { percentile, round } from './_stats.js';

const RULES = 1000;
const RATE = 10_000;
const SECONDS = Number(process.argv[2] ?? 3);
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
const engine = new RuleEngine({ traceNoMatch: false });
engine.setRules(rules);

global.gc?.();
const heap0 = process.memoryUsage().heapUsed;
const lat: number[] = [];
let firings = 0;
let n = 0;
const total = RATE * SECONDS;
const t0 = performance.now();
let time = Date.now();
while (n < total) {
  // Paced: the n-th event is due at n / RATE seconds.
  const due = t0 + (n / RATE) * 1000;
  if (performance.now() < due) {
    await new Promise((r) => setImmediate(r));
    continue;
  }
  const start = performance.now();
  time += 1;
  engine.push({
    id: `evt_${String(n).padStart(9, '0')}`,
    type: `biz.t${n % TYPES}`,
    time,
    customerId: `usr_${n % CUSTOMERS}`,
    interactionId: null,
    data: { amount: n % 120, tier: n % 3 ? 'gold' : 'silver' },
  });
  firings += engine.advance(time).firings.length;
  // From the moment the event was due (queueing behind earlier events included).
  lat.push(performance.now() - due + (start - start));
  n++;
}
const elapsed = (performance.now() - t0) / 1000;
global.gc?.();
const windows = engine.openWindows();
const heap = process.memoryUsage().heapUsed - heap0;
console.log(
  JSON.stringify({
    bench: 'rules',
    rules: RULES,
    events: total,
    eventsPerSecond: round(total / elapsed, 0),
    firings,
    inProcess: { p50Ms: round(percentile(lat, 50), 3), p99Ms: round(percentile(lat, 99), 3), maxMs: round(Math.max(...lat), 3) },
    goal: { p99Ms: 20, eventBridgeP99Ms: 387, ratioToEventBridge: round(387 / percentile(lat, 99), 1) },
    openWindows: windows,
    bytesPerOpenWindow: windows ? round(heap / windows, 0) : null,
    natsPostgres: 'not measured in this run',
  }),
);
