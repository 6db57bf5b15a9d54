/** The one emitter of server objects: typed, emitted only from inside, and safeEmit keeps going past a throwing listener. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setListenerErrorHandler, TypedEmitter } from '../../src/core/typed-emitter.js';

class Ticker extends TypedEmitter<{ tick: [n: number]; done: (why: string) => void }> {
  tick(n: number): void {
    this.safeEmit('tick', n);
  }
  finish(why: string): boolean {
    return this.emit('done', why);
  }
}

test('safeEmit runs every listener, reports one that throws, and once-listeners still go away', () => {
  const reported: string[] = [];
  setListenerErrorHandler((err, event, emitter) => reported.push(`${emitter}.${event}: ${(err as Error).message}`));
  const t = new Ticker();
  const seen: number[] = [];
  t.on('tick', () => {
    throw new Error('bad listener');
  });
  t.on('tick', (n) => seen.push(n));
  t.once('tick', (n) => seen.push(n * 100));
  t.tick(1);
  t.tick(2);
  assert.deepEqual(seen, [1, 100, 2], 'the listener after the throwing one ran; the once listener ran once');
  assert.deepEqual(reported, ['Ticker.tick: bad listener', 'Ticker.tick: bad listener']);
  assert.equal(t.listenerCount('tick'), 2);
});

test('emit (the plain one) throws into its caller, and both event-map styles are typed', () => {
  const t = new Ticker();
  const why: string[] = [];
  const listener = (w: string) => why.push(w);
  t.on('done', listener);
  assert.equal(t.finish('ok'), true);
  t.off('done', listener);
  assert.equal(t.finish('again'), false);
  assert.deepEqual(why, ['ok']);
  t.on('done', () => {
    throw new Error('boom');
  });
  assert.throws(() => t.finish('x'), /boom/);
  // Compile-time only (tsconfig.check.json type-checks tests): never called.
  const _typing = () => {
    // @ts-expect-error only the object itself emits its events
    t.emit('done', 'from outside');
    // @ts-expect-error listener arguments are checked
    t.on('tick', (n: string) => n);
  };
  void _typing;
});
