/**
 * deflection: (1) rule evaluations/s for a number with 50 rules where only the
 * last matches (every condition kind, hours in three time zones), and (2) the
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
const zones = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo'];
const rules: DeflectionRule[] = Array.from({ length: 49 }, (_, i) => ({
  when: {
    callerType: i % 3 === 0 ? 'landline' : 'any',
    hours: { from: '09:00', to: '17:00', tz: zones[i % 3] },
    queueWaitAbove: 600 + i,
    noAgentsAvailable: i % 2 === 0,
  },
  then: 'deflect_chat' as const,
}));
rules.push({ when: { callerType: 'mobile' }, then: 'deflect_chat' });
const facts: CallFacts = { callerType: 'mobile', now: new Date('2026-11-25T14:00:00Z'), queueWaitSeconds: 30, agentsAvailable: 0 };
for (let i = 0; i < 2000; i++) evaluateRules(rules, facts); // warm-up
const N = 50_000;
const t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) if (evaluateRules(rules, facts) !== 'deflect_chat') throw new Error('wrong decision');
const evalsPerSec = Math.round(N / (Number(process.hrtime.bigint() - t0) / 1e9));

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
    ruleEvaluations: { rulesPerNumber: rules.length, evaluationsPerSec: evalsPerSec },
    linkOpenToCallEnded: { calls: latencies.length, p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)), maxMs: round(Math.max(...latencies)), goalP99Ms: 200 },
    linkPageServed: { p50Ms: round(percentile(pageMs, 50)), p99Ms: round(percentile(pageMs, 99)) },
    note: 'in-process server (sqlite, memory bus), busy shared 2-core machine',
  }) + '\n',
);
