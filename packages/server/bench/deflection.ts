/**
 * deflection: (1) rule evaluations/s for a number with 50 mixed rules where only
 * the last matches (every condition kind, local time in three zones), and (2) the
 * latency from the caller opening the SMS link to the call ending with cause
 * `deflected` (the server publishes call.ended right after sending the BYE),
 * over CALLS sipp calls into a deflecting flow, against an in-process server
 * (sqlite, memory bus) with a local SMPP server as the SMSC.
 */
import { evaluateRules, type CallFacts, type DeflectionRule } from '../src/deflection/deflection-rules.js';
import { callScenario, runSipp } from '../test/helpers/sipp.js';
import { startTestServer } from '../test/helpers/test-server.js';
import { waitFor } from '../test/helpers/wait.js';
import { TestSmsc } from '../test/sms/smsc.js';
import { percentile, round } from './_stats.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 20);

// ---- 1. rules ----
// 50 rules mixing every condition kind (caller type and number, hours and calendars in three
// zones, queue wait, agents, history, campaign, outbound rules skipped by direction); only the
// last matches, so every call walks all of them, as a number's worst case.
const zones = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo'];
const kinds: ((i: number) => DeflectionRule)[] = [
  (i) => ({ when: { callerType: 'landline', hours: { from: '09:00', to: '17:00', tz: zones[i % 3] } }, then: 'deflect_chat' }),
  (i) => ({ when: { callerNumber: { prefixes: [`+4${i % 10}`, '+1'], numbers: ['+442079460000'] } }, then: 'deflect_menu' }),
  (i) => ({ when: { calendar: { tz: zones[i % 3], weekdays: ['sat', 'sun'], dates: ['2026-12-25', '2027-01-01'] } }, then: 'deflect_callback' }),
  (i) => ({ when: { queueWaitAbove: 600 + i, noAgentsAvailable: i % 2 === 0 }, then: 'deflect_chat' }),
  (i) => ({ when: { history: { callsAtLeast: 3 + i, withinDays: 7 } }, then: 'deflect_callback' }),
  (i) => ({ when: { history: { openConversation: true }, hours: { from: '22:00', to: '06:00', tz: zones[i % 3] } }, then: 'deflect_chat' }),
  (i) => ({ direction: 'outbound', when: { campaign: [`c${i}`] }, then: 'deflect_callback' }),
];
const rules: DeflectionRule[] = Array.from({ length: 49 }, (_, i) => kinds[i % kinds.length](i));
rules.push({ when: { callerType: 'mobile', hours: { from: '08:00', to: '20:00', tz: 'Europe/Paris' } }, then: 'deflect_menu' });
const facts: CallFacts = {
  direction: 'inbound',
  callerType: 'mobile',
  callerNumber: '+33612345678',
  now: new Date('2026-11-25T14:00:00Z'),
  queueWaitSeconds: 30,
  agentsAvailable: 0,
  callsWithinDays: new Map([[7, 1]]),
  openConversation: false,
};
for (let i = 0; i < 2000; i++) evaluateRules(rules, facts); // warm-up
const N = 50_000;
const t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) if (evaluateRules(rules, facts) !== 'deflect_menu') throw new Error('wrong decision');
const evalsPerSec = Math.round(N / (Number(process.hrtime.bigint() - t0) / 1e9));
// Worst case: every call in a new minute, so each zone's local time is formatted again.
const t1 = process.hrtime.bigint();
for (let i = 0; i < N; i++) evaluateRules(rules, { ...facts, now: new Date(facts.now.getTime() + (i + 1) * 60_000) });
const newMinuteEvalsPerSec = Math.round(N / (Number(process.hrtime.bigint() - t1) / 1e9));

// ---- 2. link open → call ended ----
const smsc = await new TestSmsc().start();
const s = await startTestServer({ config: { smppUrl: smsc.url } });
const ended = new Map<string, number>();
const callOfDeflection = new Map<string, string>();
await s.ctx.bus.subscribe({ types: ['call.ended', 'deflect.offered'] }, (e) => {
  const d = e.data as { callId: string; cause?: string; deflectionId?: string };
  if (e.type === 'call.ended' && d.cause === 'deflected') ended.set(d.callId, performance.now());
  if (e.type === 'deflect.offered') callOfDeflection.set(d.deflectionId!, d.callId);
});
const latencies: number[] = [];
const pageMs: number[] = [];
try {
  await waitFor(() => smsc.bound === 1, 5000, 'bound');
  const admin = await s.login('admin@acme.test');
  const flow = await s.api('POST', '/api/flows', { cookie: admin, body: { name: 'bench-deflect', verbs: [{ verb: 'deflect', to: 'chat', timeoutSeconds: 120 }, { verb: 'hangup' }] } });
  await s.api('POST', '/api/numbers', { cookie: admin, body: { number: '+15550888', flowId: (flow.body as { id: string }).id } });
  const port = s.ctx.services.get('telephony').endpoint.ports.udp;
  const sipp = runSipp({
    scenario: callScenario({ pauseMs: 0, waitMs: 60_000, fromUser: '+33612345678' }).replace(' ontimeout="hangup"', ''),
    port,
    service: '+15550888',
    calls: CALLS,
    rate: 5,
    timeoutSec: 90,
  });
  for (let i = 0; i < CALLS; i++) {
    await waitFor(() => smsc.submitted.length > i, 20_000, `SMS ${i + 1}`);
    const url = /(http:\/\/\S+\/d\/\S+)/.exec(smsc.submitted[i].text)![1];
    const callId = callOfDeflection.get(url.split('/d/')[1].split('.')[0])!;
    const opened = performance.now();
    const res = await fetch(url);
    await res.text();
    pageMs.push(performance.now() - opened);
    if (res.status !== 200) throw new Error(`link ${res.status}`);
    await waitFor(() => ended.has(callId), 5000, 'call ended');
    latencies.push(ended.get(callId)! - opened);
  }
  const r = await sipp;
  if (r.code !== 0) throw new Error(`sipp failed: ${r.stdout}`);
} finally {
  await s.destroy();
  await smsc.down();
}

process.stdout.write(
  JSON.stringify({
    bench: 'deflection',
    ruleEvaluations: { rulesPerNumber: rules.length, evaluationsPerSec: evalsPerSec, usPerEvaluation: round(1e6 / evalsPerSec), everyCallANewMinute: { evaluationsPerSec: newMinuteEvalsPerSec, usPerEvaluation: round(1e6 / newMinuteEvalsPerSec) } },
    linkOpenToCallEnded: { calls: latencies.length, p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)), maxMs: round(Math.max(...latencies)), goalP99Ms: 200 },
    linkPageServed: { p50Ms: round(percentile(pageMs, 50)), p99Ms: round(percentile(pageMs, 99)) },
    note: 'in-process server (sqlite, memory bus), busy shared 2-core machine',
  }) + '\n',
);
