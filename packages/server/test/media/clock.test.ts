import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaClock } from '../../src/media/clock.js';

test('one timer drives all subscribers every 20 ms without drift', async () => {
  const clock = new MediaClock();
  const ticksA: bigint[] = [];
  let ticksB = 0;
  const stopB = clock.subscribe(() => ticksB++);
  await new Promise<void>((resolve) => {
    const stopA = clock.subscribe(() => {
      ticksA.push(process.hrtime.bigint());
      if (ticksA.length === 50) {
        stopA();
        resolve();
      }
    });
  });
  stopB();
  assert.equal(clock.subscribers, 0);
  assert.ok(ticksB >= 50);
  const spanMs = Number(ticksA[49] - ticksA[0]) / 1e6;
  assert.ok(Math.abs(spanMs - 49 * 20) < 10, `49 periods took ${spanMs.toFixed(1)} ms`);
  const gaps = ticksA.slice(1).map((t, i) => Number(t - ticksA[i]) / 1e6);
  // Other test files run in parallel on the same cores, so allow the odd late tick; the
  // absolute deadlines above guarantee a late tick is followed by an early one (no drift).
  const onTime = gaps.filter((g) => Math.abs(g - 20) < 3).length;
  assert.ok(onTime >= gaps.length * 0.8, `gaps ${gaps.map((g) => g.toFixed(1)).join(' ')}`);
});

test('a throwing handler is isolated; unsubscribing during a tick is safe', async () => {
  const errors: unknown[] = [];
  const clock = new MediaClock({ onError: (e) => errors.push(e) });
  let calls = 0;
  const stopBad = clock.subscribe(() => {
    throw new Error('boom');
  });
  await new Promise<void>((resolve) => {
    const stop = clock.subscribe(() => {
      if (++calls === 3) {
        stop();
        stopBad();
        resolve();
      }
    });
  });
  assert.equal(calls, 3);
  assert.equal(errors.length, 3);
  assert.equal(clock.stats.errors, 3);
});
