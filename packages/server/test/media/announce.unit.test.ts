import { test } from 'node:test';
import assert from 'node:assert/strict';
import { announceToBridge } from '../../src/media/announce.js';
import { goertzelPower, blockEnergy } from '../../src/media/goertzel.js';
import { generateTone } from '../../src/media/tone.js';
import { fakeBridge } from '../helpers/fake-bridge.js';
import { concatPcm } from '../helpers/pcm.js';

const share = (pcm: Int16Array, hz: number) => goertzelPower(pcm, hz, 8000) / blockEnergy(pcm);

test('a prompt into a bridge: each party hears the other and the prompt, then the bridge is left as it was', async () => {
  const { a, b, tick, ticks } = fakeBridge();
  const playback = announceToBridge(a, b, generateTone([2000], 200));
  for (let i = 0; i < 12; i++) tick();
  assert.equal(await playback.done, 'completed');
  assert.equal(a.got.length, 10, 'one frame per tick for 200 ms');
  const toA = concatPcm(a.got.slice(1));
  const toB = concatPcm(b.got.slice(1));
  assert.ok(share(toA, 1000) > 0.3 && share(toA, 2000) > 0.3 && share(toA, 500) < 0.01, 'A hears B and the prompt, not itself');
  assert.ok(share(toB, 500) > 0.3 && share(toB, 2000) > 0.3 && share(toB, 1000) < 0.01, 'B hears A and the prompt, not itself');
  assert.equal(a.listenerCount('audio') + b.listenerCount('audio'), 0, 'listeners removed');
  assert.equal(ticks.size, 0, 'off the clock');
});

test('a stopped announcement sends nothing more', async () => {
  const { a, b, tick } = fakeBridge();
  const playback = announceToBridge(a, b, generateTone([2000], 1000));
  tick();
  playback.stop();
  tick();
  assert.equal(await playback.done, 'stopped');
  assert.equal(a.got.length, 1);
  assert.equal(b.got.length, 1);
});
