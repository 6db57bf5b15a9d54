import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { CallsightError } from '../../src/core/errors.js';
import { blockEnergy } from '../../src/media/goertzel.js';
import { EspeakTts } from '../../src/media/tts.js';

function espeakInstalled(): boolean {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('EspeakTts speaks: non-silent 8 kHz audio of plausible length', async () => {
  // A missing peer is a failure, never a skip (DESIGN.md: tests never skip silently).
  assert.ok(espeakInstalled(), 'espeak-ng is not installed: run `apt-get install -y espeak-ng`');
  const tts = new EspeakTts();
  const text = 'Thank you for calling. Your call is important to us.';
  const pcm = await tts.synthesize(text);
  const seconds = pcm.length / 8000;
  // ~10 words at 160 wpm ≈ 3.5 s; allow for pauses and voice differences.
  assert.ok(seconds > 1.5 && seconds < 8, `duration ${seconds.toFixed(2)} s`);
  const rms = Math.sqrt(blockEnergy(pcm) / pcm.length);
  assert.ok(rms > 300, `RMS ${rms.toFixed(0)} is too quiet`);
  const faster = await tts.synthesize(text, { rate: 300 });
  assert.ok(faster.length < pcm.length * 0.8, 'a higher rate gives shorter audio');
});

test('EspeakTts caches results and returns independent copies', async () => {
  assert.ok(espeakInstalled(), 'espeak-ng is not installed: run `apt-get install -y espeak-ng`');
  const tts = new EspeakTts();
  const t0 = performance.now();
  const a = await tts.synthesize('cached prompt');
  const first = performance.now() - t0;
  a.fill(0);
  const t1 = performance.now();
  const b = await tts.synthesize('cached prompt');
  assert.ok(performance.now() - t1 < Math.max(5, first / 2), 'second call served from cache');
  assert.ok(b.some((v) => v !== 0), 'mutating a result does not corrupt the cache');
});

test('EspeakTts validates input and reports a missing binary with a typed error', async () => {
  const code = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'ok';
    } catch (e) {
      assert.ok(e instanceof CallsightError);
      return e.code;
    }
  };
  const tts = new EspeakTts();
  assert.equal(await code(tts.synthesize('  ')), 'tts_empty_text');
  assert.equal(await code(tts.synthesize('hi', { voice: '--help' })), 'tts_invalid_voice');
  assert.equal(await code(tts.synthesize('hi', { voice: 'en; rm -rf /' })), 'tts_invalid_voice');
  assert.equal(await code(tts.synthesize('hi', { rate: 5000 })), 'tts_invalid_rate');
  assert.equal(await code(tts.synthesize('x'.repeat(6000))), 'tts_text_too_long');
  assert.equal(await code(new EspeakTts({ command: 'callsight-no-such-espeak' }).synthesize('hi')), 'tts_unavailable');
});
