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
  // No drift: each tick's lateness against its 20 ms grid is the same at the end as at the
  // start. The least lateness of ten ticks at each end: a stall of the shared machine only
  // ever makes ticks late (deadlines are absolute, none runs early), so one on-time tick in
  // each ten shows the grid, however many a stall delayed; a drifting clock moves them all.
  const lateness = ticksA.map((t, i) => Number(t - ticksA[0]) / 1e6 - i * 20);
  const drift = Math.min(...lateness.slice(40)) - Math.min(...lateness.slice(0, 10));
  assert.ok(Math.abs(drift) < 5, `drift ${drift.toFixed(1)} ms over 49 periods (lateness ${lateness.map((l) => l.toFixed(1)).join(' ')})`);
  const gaps = ticksA.slice(1).map((t, i) => Number(t - ticksA[i]) / 1e6);
  // Other processes share the cores (load average above 3 per core is common here), so a
  // stall can push single ticks late: the absolute deadlines above guarantee that a late
  // tick is followed by early ones (no drift), and the typical gap is the period.
  const sorted = [...gaps].sort((a, b) => a - b);
  // No share of "on time" gaps is asserted: with a browser test beside it, a third of the
  // gaps were stalls and their catch-ups (0 ms) while the grid itself held.
  assert.ok(Math.abs(sorted[Math.floor(sorted.length / 2)] - 20) < 1, `gaps ${gaps.map((g) => g.toFixed(1)).join(' ')}`);
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

test('paced ticks: subscribers keep a fixed phase in the period, 20 ms apart, with the event loop free between slots', async () => {
  const clock = new MediaClock({ slots: 10 });
  const SUBS = 10;
  const TICKS = 40;
  const at: bigint[][] = Array.from({ length: SUBS }, () => []);
  // Set by an immediate queued in slot 0: seen by a later slot of the same tick only if
  // the clock yields to the event loop between slots (where incoming packets are handled).
  let immediateRan = false;
  let sawImmediate = 0;
  const stops: (() => void)[] = [];
  await new Promise<void>((resolve) => {
    for (let i = 0; i < SUBS; i++) {
      stops.push(
        clock.subscribe(() => {
          if (at[i].length === TICKS) return;
          at[i].push(process.hrtime.bigint());
          if (i === 0) {
            immediateRan = false;
            setImmediate(() => (immediateRan = true));
          }
          if (i === SUBS - 1) {
            if (immediateRan) sawImmediate++;
            if (at[i].length === TICKS) resolve();
          }
        }),
      );
    }
  });
  for (const stop of stops) stop();
  assert.equal(clock.subscribers, 0);
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // Ticks were taken by every subscriber in the same order: index j is the same tick.
  for (let i = 1; i < SUBS; i++) {
    const offsets = at[i].map((t, j) => Number(t - at[0][j]) / 1e6);
    const m = median(offsets);
    assert.ok(Math.abs(m - i * 2) < 1.5, `subscriber ${i} runs ${m.toFixed(2)} ms after slot 0 (want ${i * 2} ms)`);
  }
  for (let i = 0; i < SUBS; i++) {
    const gaps = at[i].slice(1).map((t, j) => Number(t - at[i][j]) / 1e6);
    assert.ok(Math.abs(median(gaps) - 20) < 1, `subscriber ${i}: median gap ${median(gaps).toFixed(2)} ms`);
  }
  // A clock that never yields scores 0 here. Ticks caught up after a stall of the shared
  // machine run their due slots together, so under load (31 of 40 seen) not every tick yields.
  assert.ok(sawImmediate >= TICKS * 0.5, `the event loop ran between slots in ${sawImmediate} of ${TICKS} ticks`);
});

test('a subscriber keeps its slot when others leave; a new one fills the emptiest slot', async () => {
  const clock = new MediaClock({ slots: 4 });
  const order: string[] = [];
  const mark = (name: string) => () => order.push(name);
  const stopA = clock.subscribe(mark('a')); // slot 0
  const stopB = clock.subscribe(mark('b')); // slot 1
  const stopC = clock.subscribe(mark('c')); // slot 2
  stopB();
  const stopD = clock.subscribe(mark('d')); // slot 1 (emptiest, lowest) — before c in the period
  await new Promise<void>((resolve) => {
    const check = setInterval(() => order.length >= 9 && (clearInterval(check), resolve()), 5);
  });
  for (const stop of [stopA, stopC, stopD]) stop();
  const ticks = [];
  for (let i = order.indexOf('a'); i + 3 <= order.length; i += 3) ticks.push(order.slice(i, i + 3).join(''));
  assert.ok(ticks.length >= 2);
  for (const t of ticks) assert.equal(t, 'adc');
});
