import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtmfDetector } from '../../src/media/dtmf-detector.js';
import { DTMF_DIGITS } from '../../src/media/dtmf-digit.js';
import { generateDtmf, generateTone } from '../../src/media/tone.js';
import { concatPcm } from '../helpers/pcm.js';

const silence = (ms: number) => new Int16Array(ms * 8);

/** Feeds audio in 20 ms frames, as a leg would. */
function detect(audio: Int16Array, detector = new DtmfDetector()): string {
  let digits = '';
  for (let i = 0; i < audio.length; i += 160) digits += detector.process(audio.subarray(i, i + 160)).join('');
  return digits;
}

/** Deterministic noise source (xorshift) so failures reproduce. */
function noise(samples: number, amplitude: number, seed = 1): Int16Array {
  let x = seed;
  return Int16Array.from({ length: samples }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return Math.round(((x >>> 0) / 0xffffffff - 0.5) * 2 * amplitude);
  });
}

test('detects all 16 digits, each exactly once, in sequence', () => {
  const audio = concatPcm(DTMF_DIGITS.flatMap((d) => [generateDtmf(d, 80), silence(60)]));
  assert.equal(detect(audio), DTMF_DIGITS.join(''));
});

test('tolerates level, twist and background noise within limits', () => {
  const audio = concatPcm(
    ['5', '9', '#'].map((d) => {
      const tone = generateDtmf(d as '5', 100, { levelDbfs: -25, highGroupBoostDb: 3 });
      const n = noise(tone.length, 300, d.charCodeAt(0));
      return concatPcm([tone.map((v, i) => v + n[i]), silence(60)]);
    }),
  );
  assert.equal(detect(audio), '59#');
});

test('a held key is one digit; a repeated key after a pause is two', () => {
  assert.equal(detect(concatPcm([generateDtmf('7', 600)])), '7');
  assert.equal(detect(concatPcm([generateDtmf('7', 100), silence(50), generateDtmf('7', 100)])), '77');
});

test('rejects tones shorter than 40 ms', () => {
  assert.equal(detect(concatPcm([silence(20), generateDtmf('1', 30), silence(100)])), '');
  assert.equal(detect(concatPcm([silence(20), generateDtmf('1', 60), silence(100)])), '1');
});

test('rejects single tones, chords, excessive twist and speech-like noise', () => {
  assert.equal(detect(generateTone([697], 500)), '', 'single row tone');
  assert.equal(detect(generateTone([1209], 500)), '', 'single column tone');
  assert.equal(detect(generateTone([1000], 500)), '', '1 kHz test tone');
  assert.equal(detect(generateTone([697, 770, 1209], 500)), '', 'two row tones');
  assert.equal(detect(generateDtmf('1', 300, { highGroupBoostDb: 12 })), '', 'twist 12 dB');
  assert.equal(detect(generateDtmf('1', 300, { highGroupBoostDb: -8 })), '', 'reverse twist 8 dB');
  assert.equal(detect(generateDtmf('1', 300, { levelDbfs: -50 })), '', 'too quiet');
  assert.equal(detect(noise(8000 * 3, 12000)), '', 'white noise');
  // Voiced-speech-like: a 120 Hz harmonic series with formant-shaped amplitudes.
  const speech = new Int16Array(8000 * 2);
  for (let i = 0; i < speech.length; i++) {
    const f0 = 120 + 20 * Math.sin((2 * Math.PI * i) / 4000); // gliding pitch
    let v = 0;
    for (let h = 1; h * f0 < 3800; h++) {
      const f = h * f0;
      const formant = Math.exp(-(((f - 700) / 300) ** 2)) + 0.6 * Math.exp(-(((f - 1200) / 300) ** 2));
      v += formant * Math.sin((2 * Math.PI * f * i) / 8000 + h);
    }
    speech[i] = Math.round(v * 4000);
  }
  assert.equal(detect(speech), '', 'harmonic speech-like signal');
});
