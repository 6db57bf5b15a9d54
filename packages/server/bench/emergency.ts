/**
 * emergency: (1) detector throughput — device-hours of data the four detectors get
 * through per CPU-second (motion at 100 Hz through crash + fall, audio at 8 kHz
 * through smoke + CO); (2) data batch → detection → INVITE sent, measured from the
 * POST of a crash batch to the INVITE leaving, with a cancel window of 0 (what
 * remains after the window), p50/p99 over N devices.
 */
import { crashSignal, drivingSignal, smokeAlarmSignal, speechSignal } from '../../protocol/src/emergency/device-signals.js';
import { detectCrash } from '../src/emergency/detectors/crash-detector.js';
import { detectFall } from '../src/emergency/detectors/fall-detector.js';
import { detectCoAlarm, detectSmokeAlarm } from '../src/emergency/detectors/tone-pattern-detector.js';
import { startSippUas } from '../test/helpers/sipp.js';
import { startTestServer } from '../test/helpers/test-server.js';
import { percentile, round } from './_stats.js';

const N = Number(process.env.BENCH_DEVICES ?? 20);

function cpuSeconds(fn: () => void, repeat: number): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < repeat; i++) fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1e6;
}

const motion = drivingSignal({ seconds: 120 });
const motionHours = 120 / 3600;
const motionCpu = cpuSeconds(() => {
  detectCrash(motion, motion.gnss);
  detectFall(motion);
}, 10);
const audio = speechSignal({ seconds: 20 });
const audioHours = 20 / 3600;
const audioCpu = cpuSeconds(() => {
  detectSmokeAlarm(audio);
  detectCoAlarm(audio);
}, 5);
// Sanity: the detectors do fire on what they are for, in the same run.
if (!detectCrash(crashSignal(), crashSignal().gnss) || !detectSmokeAlarm(smokeAlarmSignal())) throw new Error('detectors did not fire on their signals');

const psap = startSippUas({ calls: N, timeoutSec: 60 });
const s = await startTestServer();
try {
  const admin = await s.login('admin@acme.test');
  const settings = (await s.api('GET', '/api/emergency/settings', { cookie: admin })).body;
  await s.api('PUT', '/api/emergency/settings', { cookie: admin, body: { ...settings, cancelSeconds: 0, attemptsPerPsap: 1, ringSeconds: 5 } });
  const service = s.ctx.services.get('emergency');
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  let done: () => void = () => {};
  const all = new Promise<void>((r) => (done = r));
  // With no window the INVITE leaves before the POST's response arrives: one batch at a time, timed from its send.
  let t = 0;
  service.onCalling = () => {
    latencies.push(performance.now() - t);
    if (latencies.length === N) done();
  };
  for (let i = 0; i < N; i++) {
    const d = await s.api('POST', '/api/devices', { cookie: admin, body: { name: `Car ${i}`, kind: 'car', psaps: [`sip:psap@127.0.0.1:${psap.port}`] } });
    const sig = crashSignal({ start: Date.now() - 21_000, seed: i + 1 });
    t = performance.now();
    const r = await s.api('POST', '/api/devices/data', { key: d.body.key, body: { motion: { start: sig.start, rate: sig.rate, accel: sig.accel }, gnss: sig.gnss } });
    if (!r.body.emergencyId) throw new Error('no emergency: ' + JSON.stringify(r.body));
    sent.set(r.body.emergencyId, t);
    const want = i + 1;
    for (let k = 0; k < 200 && latencies.length < want; k++) await new Promise((res) => setTimeout(res, 10));
  }
  await Promise.race([all, new Promise((r) => setTimeout(r, 20_000))]);
  console.log(
    JSON.stringify({
      bench: 'emergency',
      motionDeviceHoursPerCpuSecond: round((motionHours * 10) / motionCpu, 1),
      audioDeviceHoursPerCpuSecond: round((audioHours * 5) / audioCpu, 2),
      batchToInviteMs: { n: latencies.length, p50: round(percentile(latencies, 50), 1), p99: round(percentile(latencies, 99), 1) },
      goalMs: 100,
    }),
  );
} finally {
  await s.destroy();
  psap.kill();
}
