import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alawToLinear,
  g711Decode,
  g711Encode,
  lawForPayloadType,
  linearToAlaw,
  linearToUlaw,
  ulawToLinear,
} from '../../src/media/g711.js';

test('µ-law matches ITU-T G.711 reference values', () => {
  assert.equal(linearToUlaw(0), 0xff);
  assert.equal(ulawToLinear(0xff), 0);
  assert.equal(ulawToLinear(0x7f), 0);
  assert.equal(ulawToLinear(0x00), -32124);
  assert.equal(ulawToLinear(0x80), 32124);
  assert.equal(linearToUlaw(32767), 0x80);
  assert.equal(linearToUlaw(-32768), 0x00);
  assert.equal(ulawToLinear(0xfe), 8); // smallest non-zero magnitude
  assert.equal(ulawToLinear(0x7e), -8);
});

test('A-law matches ITU-T G.711 reference values', () => {
  assert.equal(linearToAlaw(0), 0xd5);
  assert.equal(alawToLinear(0xd5), 8);
  assert.equal(alawToLinear(0x55), -8);
  assert.equal(alawToLinear(0xaa), 32256);
  assert.equal(alawToLinear(0x2a), -32256);
  assert.equal(linearToAlaw(32767), 0xaa);
  assert.equal(linearToAlaw(-32768), 0x2a);
});

test('every code word decodes and re-encodes to itself (except µ-law negative zero)', () => {
  for (let b = 0; b < 256; b++) {
    assert.equal(linearToAlaw(alawToLinear(b)), b, `A-law 0x${b.toString(16)}`);
    if (b !== 0x7f) assert.equal(linearToUlaw(ulawToLinear(b)), b, `µ-law 0x${b.toString(16)}`);
  }
});

test('round-trip error stays within half a quantisation step over the whole 16-bit range', () => {
  for (let x = -32768; x <= 32767; x++) {
    const u = ulawToLinear(linearToUlaw(x));
    const a = alawToLinear(linearToAlaw(x));
    const mag = Math.min(Math.abs(x), 32124);
    // µ-law step in a segment is 1/16 of (|x| + bias 132) at most; half step = /32.
    assert.ok(Math.abs(Math.max(-32124, Math.min(32124, x)) - u) <= (mag + 132) / 32 + 1, `µ-law ${x} → ${u}`);
    assert.ok(Math.abs(x - a) <= Math.max(16, Math.abs(x) / 32) + 1 + (Math.abs(x) > 32256 ? 512 : 0), `A-law ${x} → ${a}`);
  }
});

test('buffer encode/decode write into caller buffers', () => {
  const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
  const bytes = new Uint8Array(160);
  assert.equal(g711Encode('ulaw', pcm, bytes), bytes);
  const back = new Int16Array(160);
  assert.equal(g711Decode('ulaw', bytes, back), back);
  for (let i = 0; i < 160; i++) assert.ok(Math.abs(back[i] - pcm[i]) <= (Math.abs(pcm[i]) + 132) / 32 + 1);
  assert.deepEqual(g711Decode('alaw', g711Encode('alaw', new Int16Array(4))), Int16Array.of(8, 8, 8, 8));
  assert.equal(lawForPayloadType(0), 'ulaw');
  assert.equal(lawForPayloadType(8), 'alaw');
  assert.equal(lawForPayloadType(18), null);
});
