import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterBuffer, type JitterFrameKind } from '../../src/media/jitter-buffer.js';

/** A frame whose samples all equal `n`, so popped audio says which packet it came from. */
const frame = (n: number) => new Int16Array(160).fill(n);

function popMany(jb: JitterBuffer, count: number): { kind: JitterFrameKind; value: number }[] {
  const out = new Int16Array(160);
  return Array.from({ length: count }, () => {
    const kind = jb.pop(out);
    return { kind, value: out[0] };
  });
}

test('reorders packets and plays them in sequence after the initial delay', () => {
  const jb = new JitterBuffer({ initialDelayFrames: 3 });
  const order = [1, 3, 2, 5, 4, 6];
  const out = new Int16Array(160);
  const played: number[] = [];
  // One packet arrives per 20 ms tick, out of order; one frame is played per tick.
  for (const [i, seq] of order.entries()) {
    assert.equal(jb.push(seq, seq * 160, frame(seq), i * 20), 'accepted');
    if (jb.pop(out) === 'audio') played.push(out[0]);
  }
  for (let i = 0; i < 3; i++) if (jb.pop(out) === 'audio') played.push(out[0]);
  assert.deepEqual(played, [1, 2, 3, 4, 5, 6]);
});

test('silence before the first packet and until the initial delay is buffered', () => {
  const jb = new JitterBuffer({ initialDelayFrames: 2 });
  assert.equal(popMany(jb, 1)[0].kind, 'silence');
  jb.push(10, 0, frame(10), 0);
  assert.equal(popMany(jb, 1)[0].kind, 'silence');
  jb.push(11, 160, frame(11), 20);
  assert.deepEqual(popMany(jb, 2).map((p) => p.value), [10, 11]);
});

test('handles sequence wrap-around 65535 → 0', () => {
  const jb = new JitterBuffer({ initialDelayFrames: 2 });
  const seqs = [65533, 65534, 65535, 0, 1, 2];
  const out = new Int16Array(160);
  const played: number[] = [];
  seqs.forEach((seq, i) => {
    jb.push(seq, i * 160, frame(i + 1), i * 20);
    if (jb.pop(out) === 'audio') played.push(out[0]);
  });
  for (let i = 0; i < 2; i++) if (jb.pop(out) === 'audio') played.push(out[0]);
  assert.deepEqual(played, [1, 2, 3, 4, 5, 6]);
});

test('drops duplicates and late packets, counting them', () => {
  const jb = new JitterBuffer({ initialDelayFrames: 1 });
  jb.push(1, 160, frame(1), 0);
  assert.equal(jb.push(1, 160, frame(99), 1), 'duplicate');
  assert.equal(popMany(jb, 1)[0].value, 1);
  jb.push(3, 480, frame(3), 40);
  assert.equal(popMany(jb, 1)[0].kind, 'concealed', 'seq 2 missing while 3 is here');
  assert.equal(jb.push(2, 320, frame(2), 45), 'late');
  assert.equal(popMany(jb, 1)[0].value, 3);
  assert.deepEqual({ ...jb.stats }, { received: 2, duplicates: 1, late: 1, concealed: 1, dropped: 0 });
});

test('conceals loss by repeating the last frame with a fade, then silence', () => {
  const jb = new JitterBuffer({ initialDelayFrames: 1, concealFrames: 3 });
  jb.push(1, 160, frame(10000), 0);
  const out = popMany(jb, 5);
  assert.deepEqual(out.map((p) => p.kind), ['audio', 'concealed', 'concealed', 'concealed', 'silence']);
  assert.equal(out[1].value, 10000, 'first concealed frame starts at full level');
  assert.ok(out[2].value < out[1].value && out[3].value < out[2].value, 'fading');
  assert.equal(out[4].value, 0);
});

test('target delay grows with jitter and the buffer shrinks back when it calms down', () => {
  const jb = new JitterBuffer({ initialDelayFrames: 2, maxDelayFrames: 10 });
  let seq = 0;
  // 200 packets with ±30 ms arrival jitter.
  for (let i = 0; i < 200; i++, seq++) jb.push(seq, seq * 160, frame(seq), i * 20 + (i % 2 ? 30 : 0));
  const jittery = jb.targetDelayFrames;
  assert.ok(jittery >= 5, `target ${jittery} frames under 30 ms jitter`);
  for (let i = 0; i < 400; i++, seq++) jb.push(seq, seq * 160, frame(seq), (200 + i) * 20);
  assert.ok(jb.targetDelayFrames < jittery, `target back to ${jb.targetDelayFrames}`);
  popMany(jb, 20);
  assert.ok(jb.depthFrames <= jb.targetDelayFrames + 2, 'excess frames dropped');
  assert.ok(jb.stats.dropped > 0);
});

test('a stream restart (large sequence jump) re-primes instead of concealing forever', () => {
  const jb = new JitterBuffer({ initialDelayFrames: 1 });
  jb.push(100, 0, frame(1), 0);
  popMany(jb, 1);
  jb.push(30000, 0, frame(2), 20);
  assert.equal(popMany(jb, 1)[0].value, 2);
});
