import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRange } from '../../src/http/send-file-range.js';

test('byte ranges: first-last, open-ended, suffix; unsatisfiable ones 416; the rest ignored (whole file)', () => {
  assert.deepEqual(parseRange('bytes=0-99', 1000), [0, 99]);
  assert.deepEqual(parseRange('bytes=900-', 1000), [900, 999]);
  assert.deepEqual(parseRange('bytes=500-5000', 1000), [500, 999], 'the end is clamped to the file');
  assert.deepEqual(parseRange('bytes=-100', 1000), [900, 999]);
  assert.deepEqual(parseRange('bytes=-5000', 1000), [0, 999]);
  assert.equal(parseRange('bytes=1000-', 1000), 'unsatisfiable');
  assert.equal(parseRange('bytes=-0', 1000), 'unsatisfiable');
  assert.equal(parseRange(undefined, 1000), null);
  assert.equal(parseRange('bytes=0-1,5-9', 1000), null, 'multiple ranges: the whole file');
  assert.equal(parseRange('bytes=9-5', 1000), null, 'an inverted range is ignored');
  assert.equal(parseRange('items=0-5', 1000), null);
  assert.equal(parseRange('bytes=-', 1000), null);
});
