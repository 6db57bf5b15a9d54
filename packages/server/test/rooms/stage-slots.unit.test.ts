import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StageSlots } from '../../src/rooms/stage-slots.js';

const LOUD = 20;
const QUIET = 100;

test('stage slots: free slots go to voices as they first send; a released slot is reused as a new stream', () => {
  const changes: (string | null)[][] = [];
  const slots = new StageSlots(2, (h) => changes.push([...h]));
  assert.equal(slots.slotFor('a', QUIET, 0), 0, 'a first packet takes a free slot even when silent');
  assert.equal(slots.slotFor('b', LOUD, 0), 1);
  assert.equal(slots.slotFor('a', LOUD, 10), 0, 'a voice keeps its slot');
  assert.equal(changes.length, 2, 'told only when a slot changes hands');
  const before = slots.sourceOf(0);
  slots.release('a');
  assert.deepEqual(slots.current, [null, 'b']);
  assert.equal(slots.slotFor('a', LOUD, 20), 0);
  assert.notEqual(slots.sourceOf(0), before, 'back on stage is a new stream on the slot');
});

test('stage slots: with every slot taken, a speaking voice takes the slot silent longest, but not a recent one, and silence takes nothing', () => {
  const slots = new StageSlots(2, () => undefined);
  slots.slotFor('a', LOUD, 0);
  slots.slotFor('b', LOUD, 0);
  slots.slotFor('b', LOUD, 1500);
  assert.equal(slots.slotFor('c', LOUD, 1000), null, 'a and b spoke within 2 s: c waits');
  assert.equal(slots.slotFor('c', QUIET, 5000), null, 'silence takes no slot');
  assert.equal(slots.slotFor('c', LOUD, 3000), 0, 'a, silent since 0, gives its slot to c');
  assert.deepEqual(slots.current, ['c', 'b']);
  assert.equal(slots.slotFor('a', QUIET, 3100), null, 'a, now without a slot, is not forwarded while silent');
  slots.release('b');
  assert.equal(slots.slotFor('a', QUIET, 3200), 1, 'a free slot again');
});
