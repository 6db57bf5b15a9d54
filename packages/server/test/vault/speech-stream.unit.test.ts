import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockEnergy } from '../../src/media/goertzel.js';
import { generateTone } from '../../src/media/tone.js';
import type { Tts } from '../../src/media/tts.js';
import { CardSpeech } from '../../src/vault/card-speech.js';

/** A TTS whose clips arrive only when the test releases them, one tone per text. */
function slowTts() {
  const pending: { text: string; release: () => void }[] = [];
  const tts: Tts = {
    synthesize: (text) =>
      new Promise((resolve) => {
        const d = /^[0-9]$/.test(text) ? Number(text) : -1;
        pending.push({ text, release: () => resolve(generateTone([d < 0 ? 300 : 600 + d * 100], 100)) });
      }),
  };
  const flush = () => new Promise((r) => setImmediate(r));
  return { tts, pending, flush };
}

const loud = (frame: Int16Array) => blockEnergy(frame) / frame.length > 1e5;

test('a reading sends silence at once, speaks nothing before the clip and the audit row are ready, and asks for clips in the order heard', async () => {
  const { tts, pending, flush } = slowTts();
  const speech = new CardSpeech(tts, 2);
  let audited!: () => void;
  const audit = new Promise<void>((r) => (audited = r));
  const s = speech.stream([{ label: 'Card number', groups: [Buffer.from('4917'), Buffer.from('0000')] }], {}, audit);
  const frame = new Int16Array(160);
  assert.equal(s.next(frame), true, 'the first frame goes out before anything is synthesized');
  assert.equal(pending.length, 0, 'no synthesizer spawned in the tick of the first frame');
  await flush();
  // Two syntheses at a time, the label first, then the digits as they come in the number.
  assert.deepEqual(pending.map((p) => p.text), ['Card number', '4']);
  for (let i = 0; i < 20; i++) {
    assert.equal(s.next(frame), true, 'the stream plays while nothing is rendered');
    assert.equal(loud(frame), false, 'silence while waiting');
  }
  pending[0].release();
  await flush();
  assert.deepEqual(pending.map((p) => p.text), ['Card number', '4', '9']);
  for (let i = 0; i < 10; i++) {
    s.next(frame);
    assert.equal(loud(frame), false, 'no speech before the audit row is written');
  }
  audited();
  await flush();
  let heard = false;
  for (let i = 0; i < 5; i++) heard ||= (s.next(frame), loud(frame));
  assert.ok(heard, 'the label is heard as soon as both are ready');
  while (pending.length) {
    pending.shift()!.release();
    await flush();
  }
  const ms = await s.rendered;
  assert.ok(ms > 0);
  let frames = 0;
  while (s.next(frame)) frames++;
  assert.ok(frames > 0);
  assert.equal(s.next(frame), false, 'ended');
  s.dispose();
});

test('a clip that cannot be rendered ends the reading and rejects it', async () => {
  const speech = new CardSpeech({ synthesize: () => Promise.reject(new Error('no espeak')) });
  const s = speech.stream([{ label: 'Card number', groups: [Buffer.from('4111')] }]);
  s.start();
  await assert.rejects(s.rendered, /no espeak/);
  assert.equal(s.next(new Int16Array(160)), false);
});

test('warm renders the digits and labels ahead: a reading after it is complete without any synthesis', async () => {
  const texts: string[] = [];
  const speech = new CardSpeech({
    synthesize: async (text) => {
      texts.push(text);
      return generateTone([500], 50);
    },
  });
  await speech.warm(['Card number']);
  const before = texts.length;
  assert.equal(before, 11);
  const s = speech.stream([{ label: 'Card number', groups: [Buffer.from('4111'), Buffer.from('1111')] }]);
  const frame = new Int16Array(160);
  // Lead-in then speech within the first 200 ms, with the cached clips.
  s.start();
  await s.rendered;
  let first = -1;
  for (let i = 0; i < 10 && first < 0; i++) if ((s.next(frame), loud(frame))) first = i;
  assert.ok(first >= 1 && first <= 6, `speech starts after the lead-in (frame ${first})`);
  assert.equal(texts.length, before, 'nothing synthesized again');
  assert.ok(texts.every((t) => t.length === 1 || /^[A-Za-z ]+$/.test(t)), 'only single digits and labels reach the TTS');
  s.dispose();
});
