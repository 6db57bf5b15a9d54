import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sig from '../../../protocol/src/emergency/device-signals.js';
import { detectCrash } from '../../src/emergency/detectors/crash-detector.js';
import { detectFall, FALL_THRESHOLDS } from '../../src/emergency/detectors/fall-detector.js';
import { detectCoAlarm, detectSmokeAlarm } from '../../src/emergency/detectors/tone-pattern-detector.js';

/** Motion signals, each labelled with what it is: a crash, a fall, or neither. */
const motion: { name: string; s: sig.MotionSignal; crash: boolean; fall: boolean }[] = [
  { name: 'crash at 58 km/h, 7 g', s: sig.crashSignal(), crash: true, fall: false },
  { name: 'crash at 90 km/h, 12 g', s: sig.crashSignal({ speed: 25, peakG: 12, seed: 2 }), crash: true, fall: false },
  { name: 'crash at 30 km/h, 4.5 g', s: sig.crashSignal({ speed: 8.5, peakG: 4.5, seed: 3 }), crash: true, fall: false },
  { name: 'crash sampled at 200 Hz', s: sig.crashSignal({ rate: 200, seed: 4 }), crash: true, fall: false },
  { name: 'crash at 50 km/h, 9 g', s: sig.crashSignal({ speed: 14, peakG: 9, seed: 5 }), crash: true, fall: false },
  { name: 'normal driving', s: sig.drivingSignal(), crash: false, fall: false },
  { name: 'normal driving, other seed', s: sig.drivingSignal({ seed: 9, seconds: 40 }), crash: false, fall: false },
  { name: 'pothole, 5 g spike', s: sig.potholeSignal(), crash: false, fall: false },
  { name: 'pothole, 9 g spike', s: sig.potholeSignal({ peakG: 9, seed: 3 }), crash: false, fall: false },
  { name: 'hard braking to a stop', s: sig.hardBrakingSignal(), crash: false, fall: false },
  { name: 'phone dropped in the footwell', s: sig.phoneDropInCarSignal(), crash: false, fall: false },
  { name: 'crash too slow (10 km/h bump)', s: sig.crashSignal({ speed: 2.8, peakG: 5, seed: 6 }), crash: false, fall: false },
  { name: 'fall, 350 ms free fall', s: sig.fallSignal(), crash: false, fall: true },
  { name: 'fall, 150 ms free fall, 3 g', s: sig.fallSignal({ freeFallMs: 150, impactG: 3, seed: 2 }), crash: false, fall: true },
  { name: 'fall, 600 ms free fall, 6 g', s: sig.fallSignal({ freeFallMs: 600, impactG: 6, seed: 3 }), crash: false, fall: true },
  { name: 'fall sampled at 50 Hz', s: sig.fallSignal({ rate: 50, seed: 4 }), crash: false, fall: true },
  { name: 'fall, then got up after 20 s', s: sig.fallSignal({ stillSeconds: 20, seed: 5 }), crash: false, fall: false },
  { name: 'walking', s: sig.walkingSignal(), crash: false, fall: false },
  { name: 'running', s: sig.runningSignal(), crash: false, fall: false },
  { name: 'sitting down', s: sig.sittingDownSignal(), crash: false, fall: false },
  { name: 'jumping off a step, standing still', s: sig.jumpSignal(), crash: false, fall: false },
  { name: 'lying down on a bed', s: sig.lyingDownSignal(), crash: false, fall: false },
  { name: 'still on a table', s: sig.stillSignal(), crash: false, fall: false },
];

/** Audio signals, labelled smoke (temporal-three), CO (temporal-four) or neither. */
const audio: { name: string; s: sig.AudioSignal; smoke: boolean; co: boolean }[] = [
  { name: 'smoke alarm 3.1 kHz', s: sig.smokeAlarmSignal(), smoke: true, co: false },
  { name: 'smoke alarm 520 Hz (low-frequency alarm)', s: sig.smokeAlarmSignal({ frequency: 520, seed: 2 }), smoke: true, co: false },
  { name: 'smoke alarm 2.7 kHz at 16 kHz sampling', s: sig.smokeAlarmSignal({ frequency: 2700, rate: 16000, seed: 3 }), smoke: true, co: false },
  { name: 'smoke alarm 8 % slow', s: sig.smokeAlarmSignal({ timing: 1.08, seed: 4 }), smoke: true, co: false },
  { name: 'smoke alarm 8 % fast', s: sig.smokeAlarmSignal({ timing: 0.92, seed: 5 }), smoke: true, co: false },
  { name: 'smoke alarm in noise', s: sig.smokeAlarmSignal({ noise: 0.05, seed: 6 }), smoke: true, co: false },
  { name: 'smoke alarm over speech', s: sig.mixAudio(sig.smokeAlarmSignal({ seed: 7 }), sig.speechSignal({ seconds: 13, seed: 7 }), 0.5), smoke: true, co: false },
  { name: 'smoke alarm 44.1 kHz', s: sig.smokeAlarmSignal({ rate: 44100, frequency: 3200, seed: 8 }), smoke: true, co: false },
  { name: 'smoke alarm, one cycle only', s: sig.smokeAlarmSignal({ cycles: 1, seed: 9 }), smoke: false, co: false },
  { name: 'three-beat pattern 25 % slow (not ISO 8201)', s: sig.smokeAlarmSignal({ timing: 1.25, seed: 10 }), smoke: false, co: false },
  { name: 'CO alarm 3.3 kHz', s: sig.coAlarmSignal(), smoke: false, co: true },
  { name: 'CO alarm 850 Hz, 3 cycles', s: sig.coAlarmSignal({ frequency: 850, cycles: 3, seed: 2 }), smoke: false, co: true },
  { name: 'CO alarm at 16 kHz in noise', s: sig.coAlarmSignal({ rate: 16000, noise: 0.04, seed: 3 }), smoke: false, co: true },
  { name: 'CO alarm 7 % slow', s: sig.coAlarmSignal({ timing: 1.07, seed: 4 }), smoke: false, co: true },
  { name: 'four beeps with a 2 s pause (not temporal-four)', s: sig.coAlarmSignal({ pause: 2, cycles: 3, seed: 5 }), smoke: false, co: false },
  { name: 'speech', s: sig.speechSignal(), smoke: false, co: false },
  { name: 'speech, other voice', s: sig.speechSignal({ seed: 21, seconds: 15 }), smoke: false, co: false },
  { name: 'music', s: sig.musicSignal(), smoke: false, co: false },
  { name: 'music, other tune', s: sig.musicSignal({ seed: 31 }), smoke: false, co: false },
  { name: 'kitchen timer (4 beeps, 0.6 s pause)', s: sig.kitchenTimerSignal(), smoke: false, co: false },
  { name: 'kitchen timer, steady 0.5 s beeps', s: sig.steadyBeepSignal(), smoke: false, co: false },
  { name: 'doorbell', s: sig.doorbellSignal(), smoke: false, co: false },
  { name: 'continuous tone', s: sig.continuousToneSignal(), smoke: false, co: false },
  { name: 'room noise', s: sig.roomNoiseSignal(), smoke: false, co: false },
];

test('the signal tables hold at least 20 labelled signals per detector, positives and negatives', () => {
  assert.ok(motion.length >= 20 && audio.length >= 20);
  for (const k of ['crash', 'fall'] as const) assert.ok(motion.some((m) => m[k]) && motion.filter((m) => !m[k]).length >= 10);
  for (const k of ['smoke', 'co'] as const) assert.ok(audio.some((a) => a[k]) && audio.filter((a) => !a[k]).length >= 10);
});

for (const m of motion) {
  test(`crash detector: ${m.name} → ${m.crash ? 'crash' : 'none'}`, () => {
    const d = detectCrash(m.s, m.s.gnss);
    assert.equal(!!d, m.crash, d ? JSON.stringify(d) : 'no detection');
    if (d) {
      assert.ok(d.confidence > 0.5 && d.confidence <= 1);
      assert.ok(d.window.start >= m.s.start && d.window.end > d.window.start);
      assert.ok(d.evidence.peakG >= 4);
    }
  });
  test(`fall detector: ${m.name} → ${m.fall ? 'fall' : 'none'}`, () => {
    const d = detectFall(m.s);
    assert.equal(!!d, m.fall, d ? JSON.stringify(d) : 'no detection');
    if (d) assert.ok(d.confidence > 0.5 && d.evidence.freeFallMs >= FALL_THRESHOLDS.minFreeFallMs);
  });
}

for (const a of audio) {
  test(`smoke alarm detector: ${a.name} → ${a.smoke ? 'smoke' : 'none'}`, () => {
    const d = detectSmokeAlarm(a.s);
    assert.equal(!!d, a.smoke, d ? JSON.stringify(d) : 'no detection');
    if (d) assert.ok(d.evidence.cycles >= 2 && d.window.end > d.window.start);
  });
  test(`CO alarm detector: ${a.name} → ${a.co ? 'CO' : 'none'}`, () => {
    const d = detectCoAlarm(a.s);
    assert.equal(!!d, a.co, d ? JSON.stringify(d) : 'no detection');
  });
}

test('the smoke detector is frequency-agnostic: it reports the band it found', () => {
  for (const f of [520, 1000, 3100]) {
    const d = detectSmokeAlarm(sig.smokeAlarmSignal({ frequency: f, seed: f }));
    assert.ok(d, `no detection at ${f} Hz`);
    assert.ok(Math.abs(d.evidence.frequencyHz - f) < f * 0.05, `${d.evidence.frequencyHz} vs ${f}`);
  }
});
