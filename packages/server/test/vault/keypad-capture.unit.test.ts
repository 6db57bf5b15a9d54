import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { blockEnergy, goertzelPower } from '../../src/media/goertzel.js';
import { MASK_TONE_HZ, keypadMask } from '../../src/media/keypad-mask.js';
import { generateDtmf } from '../../src/media/tone.js';
import { KeypadCapture, MAX_ATTEMPTS } from '../../src/vault/keypad-capture.js';
import { fakeBridge } from '../helpers/fake-bridge.js';
import { CANARY } from './vault-helpers.js';

const NOW = () => new Date(Date.UTC(2026, 11, 2));
const keys = (k: KeypadCapture, s: string) => [...s].map((c) => k.press(c)).at(-1);

describe('keypad capture: stages, checks and results', () => {
  test('number, expiry and code keyed with # end in the card; progress carries counts, Luhn and brand only', () => {
    const k = new KeypadCapture(NOW);
    const mid = keys(k, CANARY.slice(0, 6));
    assert.deepEqual(mid, { kind: 'progress', state: { stage: 'number', digits: 6, luhnValid: null, brand: 'visa', attempt: 1, rejected: null } });
    const all = keys(k, CANARY.slice(6));
    assert.equal(all?.kind === 'progress' && all.state.luhnValid, true);
    assert.ok(!JSON.stringify(all).includes('5556'), 'progress never carries digits');
    assert.equal(keys(k, '#')?.kind === 'progress' && k.state.stage, 'expiry');
    assert.equal(keys(k, '1229')?.kind === 'progress' && k.state.stage, 'cvc');
    const done = keys(k, '123');
    assert.equal(done?.kind, 'complete');
    if (done?.kind !== 'complete') return;
    assert.equal(done.card.pan.toString('ascii'), CANARY);
    assert.deepEqual([done.card.expMonth, done.card.expYear, done.card.cvc.toString(), done.card.brand, done.card.last4], [12, 2029, '123', 'visa', '5556']);
    assert.equal(k.press('1'), null, 'nothing after the end');
  });

  test('a wrong Luhn or a past expiry is keyed again; three rejections end it; * cancels', () => {
    const k = new KeypadCapture(NOW);
    const bad = keys(k, '4000056655665557#');
    assert.equal(bad?.kind === 'progress' && bad.state.rejected, 'number');
    assert.equal(k.state.attempt, 2);
    assert.equal(k.state.digits, 0, 'the stage starts over');
    keys(k, `${CANARY}#`);
    const past = keys(k, '1125');
    assert.equal(past?.kind === 'progress' && past.state.rejected, 'expiry');
    assert.equal(MAX_ATTEMPTS, 3);
    assert.deepEqual(keys(k, '1325'), { kind: 'failed', result: 'too-many-failed-attempts' });
    const star = new KeypadCapture(NOW);
    keys(star, '4000');
    assert.deepEqual(star.press('*'), { kind: 'failed', result: 'caller-interrupted-with-star' });
  });

  test('an Amex takes a four-digit code', () => {
    const k = new KeypadCapture(NOW);
    keys(k, '378282246310005#0130');
    assert.equal(keys(k, '123')?.kind, 'progress');
    assert.equal(keys(k, '4')?.kind, 'complete');
  });
});

describe('keypad mask: the agent hears flat tones, never the caller', () => {
  test("the keying side's audio (its in-band key tones) never reaches the other side; a key is a flat tone there; the keying side still hears the other", () => {
    const { a, b, tick } = fakeBridge();
    a.tone = generateDtmf('5', 20, { levelDbfs: -6 });
    let started = 0;
    const mask = keypadMask(a, b, { onStart: () => started++ });
    for (let i = 0; i < 5; i++) tick();
    mask.key(100);
    for (let i = 0; i < 10; i++) tick();
    mask.stop();
    tick();
    assert.equal(started, 1);
    assert.equal(b.got.length, 15, 'one frame a tick, stopped after');
    const heard = Int16Array.from(b.got.flatMap((f) => [...f]));
    for (const hz of [770, 1336]) assert.ok(goertzelPower(heard, hz, 8000) / (blockEnergy(heard) || 1) < 0.01, `no DTMF ${hz} Hz`);
    const toneFrames = b.got.filter((f) => blockEnergy(f) > 0);
    assert.equal(toneFrames.length, 5, 'the key is 100 ms of tone');
    const tone = Int16Array.from(toneFrames.flatMap((f) => [...f]));
    assert.ok(goertzelPower(tone, MASK_TONE_HZ, 8000) / blockEnergy(tone) > 0.5, 'a flat single tone');
    const keying = Int16Array.from(a.got.slice(0, 5).flatMap((f) => [...f]));
    assert.ok(goertzelPower(keying, 1000, 8000) / blockEnergy(keying) > 0.5, 'the keying side hears the other');
  });
});
