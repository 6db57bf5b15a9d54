import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogCursor } from '../../src/webhooks/log-cursor.js';

test('a pass reads only what is new, and the stored position follows it', () => {
  const c = new LogCursor(1000, true);
  assert.deepEqual(c.next(0), { after: 0, gaps: [] });
  assert.equal(c.advance([1, 2, 3], 0), 3);
  assert.deepEqual(c.next(3), { after: 3, gaps: [] });
});

test('a seq that may still commit is read again until it shows up, and the stored position waits below it', () => {
  const c = new LogCursor(1000, true);
  c.next(0);
  assert.equal(c.advance([1, 2, 5, 6], 0), 2);
  assert.deepEqual(c.next(2), { after: 6, gaps: [{ from: 3, to: 4 }] });
  assert.equal(c.advance([3], 10), 2);
  assert.deepEqual(c.next(2), { after: 6, gaps: [{ from: 3, to: 4 }] });
  assert.equal(c.advance([3, 4, 7], 20), 7);
  assert.deepEqual(c.next(7), { after: 7, gaps: [] });
});

test('a gap older than the settle time was a rolled-back insert: the position passes it', () => {
  const c = new LogCursor(1000, true);
  c.next(0);
  assert.equal(c.advance([1, 9], 0), 1);
  c.next(1);
  assert.equal(c.advance([], 999), 1);
  c.next(1);
  assert.equal(c.advance([], 1000), 9);
});

test('where nothing can commit behind (SQLite) gaps are not waited for', () => {
  const c = new LogCursor(1000, false);
  c.next(0);
  assert.equal(c.advance([1, 5], 0), 5);
  assert.deepEqual(c.next(5), { after: 5, gaps: [] });
});

test('a stored position someone else moved, or a reset, starts the state over from it', () => {
  const c = new LogCursor(1000, true);
  c.next(0);
  c.advance([1, 2, 5], 0);
  assert.deepEqual(c.next(40), { after: 40, gaps: [] });
  c.advance([41], 0);
  c.reset();
  assert.deepEqual(c.next(41), { after: 41, gaps: [] });
});
