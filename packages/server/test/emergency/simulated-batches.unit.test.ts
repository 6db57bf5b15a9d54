import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulatedBatch } from '../../../protocol/src/emergency/simulated-batches.js';
import { batchSchema, decodeAudio } from '../../src/emergency/device-batch.js';
import { detectCrash } from '../../src/emergency/detectors/crash-detector.js';
import { detectFall } from '../../src/emergency/detectors/fall-detector.js';
import { detectCoAlarm, detectSmokeAlarm } from '../../src/emergency/detectors/tone-pattern-detector.js';

// What the /phone simulator sends must pass the device API's schema and fire the detector it simulates (and only that one).
const now = Date.now();

test('the simulated crash is a valid batch, ends now, and the crash detector fires on it', () => {
  const b = batchSchema.parse(simulatedBatch('crash', undefined, now));
  const m = b.motion!;
  assert.ok(Math.abs(m.start + (m.accel.length / m.rate) * 1000 - now) < 50, 'the data ends now');
  assert.equal(detectCrash(m, b.gnss ?? [])?.kind, 'crash');
  assert.equal(detectFall(m), undefined);
});

test('the simulated fall fires the fall detector (with its real 60 s of inactivity), not the crash detector', () => {
  const b = batchSchema.parse(simulatedBatch('fall', undefined, now));
  assert.equal(detectFall(b.motion!)?.kind, 'fall');
  assert.equal(detectCrash(b.motion!, b.gnss ?? []), undefined);
});

test('the simulated smoke alarm is heard as temporal-three, not as a CO alarm', () => {
  const b = batchSchema.parse(simulatedBatch('smoke', undefined, now));
  const audio = decodeAudio(b.audio!);
  assert.equal(detectSmokeAlarm(audio)?.kind, 'smoke');
  assert.equal(detectCoAlarm(audio), undefined);
});
