/**
 * spatial: the client's spatial audio cost in Chromium — µs of render time per 128-frame
 * quantum per voice with the SDK's Spatializer (HRTF), beside Chromium's equal-power panner
 * measured in the same run (the anchor), for 5, 10 and 25 participants; and head tracking's
 * motion-to-sound latency (DeviceOrientation override → the listener turned, plus the
 * context's output latency and the pose smoothing), median over turns.
 */
import { launchChromium } from '../test/helpers/chromium.js';
import { sdkPage } from '../test/helpers/sdk-page.js';
import { SPATIAL_HARNESS } from '../test/sdk/spatial-harness.js';
import { percentile, round } from './_stats.js';

const browser = await launchChromium({ fakeMedia: true });
try {
  const page = await sdkPage(browser, { harness: SPATIAL_HARNESS });
  const SECONDS = 10;
  const perVoice: Record<string, number> = {};
  for (const n of [5, 10, 25]) {
    for (const forceEqualPower of [false, true]) {
      const us = await page.evaluate(
        async ({ n, forceEqualPower, SECONDS }) => {
          const t = (window as any).spatialTest;
          const sources = Array.from({ length: n }, (_, i) => ({ id: 'v' + i, position: { azimuth: -80 + (160 * i) / Math.max(1, n - 1), elevation: 0, distance: 1 }, signal: { hz: 200 + 37 * i } }));
          const runs: number[] = [];
          for (let k = 0; k < 3; k++) {
            const t0 = performance.now();
            await t.render({ seconds: SECONDS, sources, forceEqualPower });
            runs.push(performance.now() - t0);
          }
          runs.sort((a, b) => a - b);
          const quanta = (SECONDS * 48000) / 128;
          return (runs[1] * 1000) / quanta / n;
        },
        { n, forceEqualPower, SECONDS },
      );
      perVoice[`${forceEqualPower ? 'equalpower' : 'hrtf'}_${n}`] = us;
    }
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DeviceOrientation.setDeviceOrientationOverride', { alpha: 0, beta: 0, gamma: 0 });
  await page.evaluate(async () => {
    const { Spatializer, HeadTracker } = (window as any).Callsight;
    const ctx = new AudioContext({ latencyHint: 'interactive' });
    await ctx.resume();
    const spatial = new Spatializer({ context: ctx });
    const tone = new OscillatorNode(ctx, { frequency: 500 });
    tone.start();
    spatial.addSource('v', tone, { azimuth: 30, elevation: 0, distance: 1 });
    const tracker = new HeadTracker();
    (window as any).latencies = [];
    tracker.on('pose', (pose: object, readingTime: number) => {
      spatial.setListenerPose(pose, { readingTime });
      (window as any).latencies.push(spatial.motionToSoundMs);
    });
    await tracker.start('device-orientation');
  });
  for (let i = 1; i <= 40; i++) {
    await cdp.send('DeviceOrientation.setDeviceOrientationOverride', { alpha: (i * 7) % 360, beta: 0, gamma: 0 });
    await new Promise((r) => setTimeout(r, 25));
  }
  const latencies = (await page.evaluate(() => (window as any).latencies as number[])).slice(1);
  const out: Record<string, number | string> = { bench: 'spatial' };
  for (const n of [5, 10, 25]) {
    out[`hrtf_us_per_quantum_per_voice_${n}`] = round(perVoice[`hrtf_${n}`], 3);
    out[`equalpower_us_per_quantum_per_voice_${n}`] = round(perVoice[`equalpower_${n}`], 3);
    out[`hrtf_vs_equalpower_${n}`] = round(perVoice[`hrtf_${n}`] / perVoice[`equalpower_${n}`], 2);
  }
  // A quantum lasts 2667 µs: the share of one core 25 HRTF voices take in real time.
  out.hrtf_25_voices_core_share = round((perVoice.hrtf_25 * 25) / ((128 / 48000) * 1e6), 3);
  out.head_tracking_motion_to_sound_ms_p50 = round(percentile(latencies, 50), 1);
  out.head_tracking_motion_to_sound_ms_p95 = round(percentile(latencies, 95), 1);
  out.head_tracking_readings = latencies.length;
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
}
