import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockEnergy, goertzelPower } from '../../src/media/goertzel.js';
import { mixdownToMono, resample, StreamResampler, toTelephonyPcm } from '../../src/media/resample.js';
import { generateTone } from '../../src/media/tone.js';

/** Level of `hz` in the middle of `pcm` (edges hold the filter's start-up), in dB relative to full-scale sine. */
function levelDb(pcm: Int16Array, hz: number, rate: number): number {
  const start = Math.floor(pcm.length / 4);
  const length = Math.floor(pcm.length / 2);
  const power = goertzelPower(pcm, hz, rate, start, length) / length; // = A²/2
  return 10 * Math.log10(power / (32767 ** 2 / 2) + 1e-20);
}

test('48 kHz → 8 kHz keeps a 1 kHz tone and removes a 6 kHz tone (no alias at 2 kHz)', () => {
  const keep = resample(generateTone([1000], 500, { sampleRate: 48000, levelDbfs: -6 }), 48000, 8000);
  assert.equal(keep.length, 4000);
  assert.ok(Math.abs(levelDb(keep, 1000, 8000) - -6) < 0.5, `1 kHz at ${levelDb(keep, 1000, 8000).toFixed(2)} dB`);
  const cut = resample(generateTone([6000], 500, { sampleRate: 48000, levelDbfs: -6 }), 48000, 8000);
  const total = 10 * Math.log10(blockEnergy(cut, 1000, 2000) / 2000 / (32767 ** 2 / 2) + 1e-20);
  assert.ok(total < -60, `6 kHz residue ${total.toFixed(1)} dB`);
  assert.ok(levelDb(cut, 2000, 8000) < -60, 'no alias at 2 kHz');
});

test('22050 and 16000 Hz → 8 kHz and 8 kHz → 48 kHz preserve in-band tones', () => {
  for (const rate of [22050, 16000, 44100]) {
    const out = resample(generateTone([1000], 400, { sampleRate: rate, levelDbfs: -6 }), rate, 8000);
    assert.ok(Math.abs(out.length - 3200) <= 1, `${rate}: length ${out.length}`);
    assert.ok(Math.abs(levelDb(out, 1000, 8000) - -6) < 0.5, `${rate}: level ${levelDb(out, 1000, 8000)}`);
  }
  const up = resample(generateTone([1000], 200, { levelDbfs: -6 }), 8000, 48000);
  assert.equal(up.length, 9600);
  assert.ok(Math.abs(levelDb(up, 1000, 48000) - -6) < 0.5);
  // Upsampling must not create images of the 1 kHz tone at 7, 9, 15 … kHz.
  assert.ok(levelDb(up, 7000, 48000) < -60 && levelDb(up, 9000, 48000) < -60);
});

test('mixdown averages channels', () => {
  assert.deepEqual([...mixdownToMono(Int16Array.of(100, 300, -5, -7), 2)], [200, -6]);
  assert.equal(toTelephonyPcm(new Int16Array(4800 * 2), 48000, 2).length, 800);
});

test('StreamResampler: frame by frame equals one pass over the whole signal (no clicks at frame edges)', () => {
  for (const [from, to, frame] of [
    [8000, 48000, 160],
    [48000, 8000, 960],
    [16000, 48000, 320],
    [48000, 16000, 960],
    [8000, 16000, 160],
  ] as const) {
    const tone = generateTone([1000], 500, { sampleRate: from, levelDbfs: -6 });
    const stream = new StreamResampler(from, to);
    const parts: Int16Array[] = [];
    for (let i = 0; i < tone.length; i += frame) parts.push(stream.process(tone.subarray(i, i + frame)));
    const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
    assert.equal(out.length, (tone.length * to) / from, `${from} → ${to}: every frame yields its share`);
    assert.ok(parts.every((p) => p.length === (frame * to) / from), `${from} → ${to}: fixed output frames`);
    // A click at each frame edge would spread energy away from 1 kHz.
    const start = Math.floor(out.length / 4);
    const length = Math.floor(out.length / 2);
    const share = goertzelPower(out, 1000, to, start, length) / blockEnergy(out, start, length);
    assert.ok(share > 0.999, `${from} → ${to}: 1 kHz holds ${share} of the energy`);
    assert.ok(Math.abs(levelDb(out, 1000, to) - -6) < 0.5, `${from} → ${to}: level ${levelDb(out, 1000, to)}`);
  }
});
