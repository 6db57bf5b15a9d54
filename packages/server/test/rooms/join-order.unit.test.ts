import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JoinOrder } from '../../src/rooms/join-order.js';

/** A promise settled by the test, standing in for a token check that finishes whenever the store answers. */
const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('room joins are admitted in arrival order', () => {
  test('checks finishing in reverse order are still admitted first-come, and one room does not wait for another', async () => {
    const order = new JoinOrder();
    const admitted: string[] = [];
    const checks = ['a', 'b', 'c'].map(() => deferred<string>());
    const joins = checks.map((c) => order.run('room1', c.promise, (v) => (admitted.push(v), v)));
    const other = deferred<string>();
    const otherJoin = order.run('room2', other.promise, (v) => (admitted.push(v), v));
    checks[2].resolve('c');
    checks[1].resolve('b');
    other.resolve('x');
    assert.equal(await otherJoin, 'x');
    assert.deepEqual(admitted, ['x'], 'room1 waits for its first joiner; room2 does not');
    checks[0].resolve('a');
    assert.deepEqual(await Promise.all(joins), ['a', 'b', 'c']);
    assert.deepEqual(admitted, ['x', 'a', 'b', 'c']);
  });

  test('a refused join fails alone, its turn passes, and an admission that throws does not block the next', async () => {
    const order = new JoinOrder();
    const bad = deferred<string>();
    const first = order.run('r', bad.promise, (v) => v);
    bad.reject(new Error('invalid_join_token')); // rejected before its turn: must not be an unhandled rejection
    const full = order.run('r', Promise.resolve('full'), () => {
      throw new Error('room_full');
    });
    const ok = order.run('r', Promise.resolve('ok'), (v) => v);
    await assert.rejects(first, /invalid_join_token/);
    await assert.rejects(full, /room_full/);
    assert.equal(await ok, 'ok');
  });

  test('the next admission waits for a later event-loop turn, after what the caller sends once admitted', async () => {
    const order = new JoinOrder();
    const log: string[] = [];
    // The reply goes out some promise hops after admission (async handlers, the dispatcher's await).
    const hops = async (n: number) => {
      for (let i = 0; i < n; i++) await null;
    };
    const reply = (name: string) =>
      order.run('r', Promise.resolve(name), (v) => (log.push(`admit ${v}`), v)).then(async (v) => (await hops(20), log.push(`reply ${v}`)));
    await Promise.all([reply('a'), reply('b')]);
    assert.deepEqual(log, ['admit a', 'reply a', 'admit b', 'reply b']);
  });
});
