import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaClock, type ClockTimers } from '../../src/media/clock.js';

/**
 * Virtual time for the clock: a timer fires when `runUntil` reaches it, `lateness(n)` ms
 * after it was due (the n-th firing), each in its own event-loop turn as Node's do. The
 * clock's scheduling is then checked exactly, whatever else the machine is doing.
 */
class VirtualTimers implements ClockTimers {
  private t = 0n;
  private nextId = 1;
  private fired = 0;
  private readonly pending = new Map<number, { at: bigint; fn: () => void }>();
  constructor(private readonly lateness: (n: number) => number = () => 0) {}
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.pending.set(id, { at: this.t + BigInt(Math.round(ms * 1e6)), fn });
    return id;
  };
  clearTimeout = (id: unknown) => void this.pending.delete(id as number);
  get ms(): number {
    return Number(this.t) / 1e6;
  }
  async runUntil(done: () => boolean): Promise<void> {
    for (let guard = 0; !done() && this.pending.size > 0 && guard < 100_000; guard++) {
      const [id, timer] = [...this.pending].reduce((a, b) => (b[1].at < a[1].at ? b : a));
      this.pending.delete(id);
      const at = timer.at + BigInt(Math.round(this.lateness(this.fired++) * 1e6));
      if (at > this.t) this.t = at;
      timer.fn();
      await new Promise((r) => setImmediate(r));
    }
  }
}

test('one timer drives all subscribers every 20 ms without drift; a stall is caught up, a long one skipped on the same grid', async () => {
  // Every timer fires 0.6 ms late; the 20th firing stalls 45 ms (2 periods), the 60th 300 ms (15 periods).
  const timers = new VirtualTimers((n) => (n === 20 ? 45 : n === 60 ? 300 : 0.6));
  const clock = new MediaClock({ slots: 1, timers });
  const seen: { tick: number; at: number }[] = [];
  let ticksB = 0;
  const stopB = clock.subscribe(() => ticksB++);
  const start = timers.ms + 20;
  const stopA = clock.subscribe((tick) => seen.push({ tick, at: timers.ms }));
  await timers.runUntil(() => seen.length >= 80);
  stopA();
  stopB();
  assert.equal(clock.subscribers, 0);
  assert.equal(ticksB, seen.length, 'every subscriber gets every tick');

  // Up to the long stall, ticks are consecutive: the short stall's ticks were replayed, not lost.
  const skipAt = seen.findIndex((s, i) => i > 0 && s.tick !== seen[i - 1]!.tick + 1);
  assert.ok(skipAt > 20, `ticks consecutive through the short stall (first gap at ${skipAt})`);
  assert.deepEqual(seen.slice(0, skipAt).map((s) => s.tick), Array.from({ length: skipAt }, (_, i) => i));
  assert.ok(clock.stats.skippedTicks >= 9, `the long stall's ticks beyond the catch-up are dropped (${clock.stats.skippedTicks})`);

  // Every tick runs at or after its place on the 20 ms grid, and once caught up within about a
  // millisecond of it: lateness never accumulates into drift, not even across the skipped ticks.
  const lateness = seen.map((s) => s.at - (start + s.tick * 20));
  assert.ok(lateness.every((l) => l > -1.01), `no tick early: ${lateness.map((l) => l.toFixed(1)).join(' ')}`);
  // (The ticks replayed right after each stall are late by design: they are the catch-up.)
  for (const range of [[0, 10], [30, 40], [seen.length - 10, seen.length]] as const) {
    const window = lateness.slice(range[0], range[1]);
    assert.ok(window.every((l) => l < 1.5), `on the grid in ticks ${range[0]}–${range[1]}: ${window.map((l) => l.toFixed(1)).join(' ')}`);
  }
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
  const timers = new VirtualTimers(() => 0.3);
  const clock = new MediaClock({ slots: 10, timers });
  const SUBS = 10;
  const TICKS = 40;
  const at: number[][] = Array.from({ length: SUBS }, () => []);
  // Set by an immediate queued in slot 0: seen by a later slot of the same tick only if
  // the clock yields to the event loop between slots (where incoming packets are handled).
  let immediateRan = false;
  let sawImmediate = 0;
  const stops: (() => void)[] = [];
  for (let i = 0; i < SUBS; i++) {
    stops.push(
      clock.subscribe(() => {
        if (at[i].length === TICKS) return;
        at[i].push(timers.ms);
        if (i === 0) {
          immediateRan = false;
          setImmediate(() => (immediateRan = true));
        }
        if (i === SUBS - 1 && immediateRan) sawImmediate++;
      }),
    );
  }
  await timers.runUntil(() => at[SUBS - 1].length === TICKS);
  for (const stop of stops) stop();
  assert.equal(clock.subscribers, 0);
  for (let i = 0; i < SUBS; i++) {
    const offsets = at[i].map((t, j) => t - at[0][j]);
    // A slot runs once its deadline is under 1 ms away (Node timers' resolution): within 1 ms of its phase.
    assert.ok(offsets.every((o) => Math.abs(o - i * 2) < 1.01), `subscriber ${i} runs ${i * 2} ms after slot 0: ${offsets.map((o) => o.toFixed(1)).join(' ')}`);
    const gaps = at[i].slice(1).map((t, j) => t - at[i][j]);
    assert.ok(gaps.every((g) => Math.abs(g - 20) < 1.01), `subscriber ${i}: gaps ${gaps.map((g) => g.toFixed(1)).join(' ')}`);
  }
  // A clock running all slots in one timer callback scores 0 here.
  assert.equal(sawImmediate, TICKS, 'the event loop ran between slots in every tick');
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
