import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConferenceMixer } from '../../src/media/mixer.js';

const f = (v: number) => new Int16Array(160).fill(v);

test('each participant hears the sum of the others (mix-minus)', () => {
  const m = new ConferenceMixer();
  const a = m.add('a');
  const b = m.add('b');
  const c = m.add('c');
  m.setInput('a', f(100));
  m.setInput('b', f(20));
  m.setInput('c', f(3));
  m.mix();
  assert.equal(a.output[0], 23);
  assert.equal(b.output[159], 103);
  assert.equal(c.output[7], 120);
});

test('saturates instead of wrapping; honours mute and gain; missing input is silence', () => {
  const m = new ConferenceMixer();
  const a = m.add('a');
  const b = m.add('b', { gain: 0.5 });
  const c = m.add('c');
  m.setInput('a', f(30000));
  m.setInput('b', f(30000));
  m.setInput('c', f(30000));
  m.mix();
  assert.equal(a.output[0], 32767, 'clamped');
  assert.equal(b.output[0], 32767);
  c.muted = true;
  m.setInput('a', f(-30000));
  m.setInput('b', f(-30000));
  m.setInput('c', f(1000));
  m.mix();
  assert.equal(a.output[0], -15000, 'b at half gain, c muted');
  assert.equal(c.output[0], -32768, 'muted participant still hears the others, clamped');
  m.mix(); // no inputs this tick
  assert.equal(a.output[0], 0);
  assert.equal(m.remove('b'), true);
  assert.equal(m.size, 2);
  assert.throws(() => m.add('a'));
});
