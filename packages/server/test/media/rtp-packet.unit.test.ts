import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EXTENSION_PROFILE_ONE_BYTE,
  EXTENSION_PROFILE_TWO_BYTE,
  isRtcpDatagram,
  parseRtp,
  serializeRtp,
} from '../../src/media/rtp-packet.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

test('parses a crafted packet with CSRCs, marker and a one-byte header extension', () => {
  const buf = hex(`
    92 e0 1234 0000abcd deadbeef
    00000001 00000002
    bede 0002  10 aa 21 bb cc 00 00 00
    01 02 03`);
  const r = parseRtp(buf);
  assert.ok(r.ok);
  const p = r.packet;
  assert.equal(p.marker, true);
  assert.equal(p.payloadType, 96);
  assert.equal(p.sequenceNumber, 0x1234);
  assert.equal(p.timestamp, 0xabcd);
  assert.equal(p.ssrc, 0xdeadbeef);
  assert.deepEqual(p.csrc, [1, 2]);
  assert.equal(p.extension?.profile, EXTENSION_PROFILE_ONE_BYTE);
  assert.deepEqual(
    p.extension?.elements?.map((e) => [e.id, [...e.data]]),
    [
      [1, [0xaa]],
      [2, [0xbb, 0xcc]],
    ],
  );
  assert.deepEqual([...p.payload], [1, 2, 3]);
});

test('parses two-byte extension elements, including zero-length ones and padding', () => {
  const buf = hex(`90 00 0001 00000002 00000003  1000 0002  05 00 0f 02 aa bb 00 00  ff`);
  const r = parseRtp(buf);
  assert.ok(r.ok);
  assert.deepEqual(
    r.packet.extension?.elements?.map((e) => [e.id, e.data.length]),
    [
      [5, 0],
      [15, 2],
    ],
  );
});

test('one-byte ID 15 stops element parsing; unknown profiles keep raw data only', () => {
  const stop = parseRtp(hex(`90 00 0001 00000002 00000003 bede 0001 10 aa f0 ff`));
  assert.ok(stop.ok);
  assert.equal(stop.packet.extension?.elements?.length, 1);
  const raw = parseRtp(hex(`90 00 0001 00000002 00000003 abcd 0001 01020304`));
  assert.ok(raw.ok);
  assert.equal(raw.packet.extension?.elements, undefined);
  assert.deepEqual([...raw.packet.extension!.data], [1, 2, 3, 4]);
});

test('removes padding', () => {
  const r = parseRtp(hex(`a0 08 0001 00000002 00000003 0102 0000 03`));
  assert.ok(r.ok);
  assert.equal(r.packet.paddingLength, 3);
  assert.deepEqual([...r.packet.payload], [1, 2]);
});

test('malformed packets yield reason codes, never exceptions', () => {
  const cases: [string, string][] = [
    ['', 'rtp_too_short'],
    ['80 00 0001 00000002 000000', 'rtp_too_short'],
    ['40 00 0001 00000002 00000003', 'rtp_bad_version'],
    ['83 00 0001 00000002 00000003 00000001', 'rtp_truncated_csrc'],
    ['90 00 0001 00000002 00000003 bede', 'rtp_truncated_extension'],
    ['90 00 0001 00000002 00000003 bede 0002 00000000', 'rtp_truncated_extension'],
    ['90 00 0001 00000002 00000003 bede 0001 1f 00 00 00', 'rtp_bad_extension_element'],
    ['90 00 0001 00000002 00000003 1000 0001 01 09 00 00', 'rtp_bad_extension_element'],
    ['a0 00 0001 00000002 00000003 00', 'rtp_bad_padding'],
    ['a0 00 0001 00000002 00000003 01 09', 'rtp_bad_padding'],
  ];
  for (const [h, error] of cases) assert.deepEqual(parseRtp(hex(h)), { ok: false, error }, h);
  // Random garbage of every length: parse must return, not throw.
  for (let n = 0; n < 2000; n++) {
    const junk = Uint8Array.from({ length: n % 80 }, () => Math.floor(Math.random() * 256));
    parseRtp(junk);
  }
});

test('serialize → parse round-trips, choosing the extension form from the elements', () => {
  const payload = Uint8Array.from({ length: 160 }, (_, i) => i);
  const one = serializeRtp({
    marker: true,
    payloadType: 0,
    sequenceNumber: 65535,
    timestamp: 0xfffffff0,
    ssrc: 0x01020304,
    csrc: [9],
    extension: { elements: [{ id: 3, data: Uint8Array.of(1, 2, 3) }] },
    payload,
    padTo: 16,
  });
  assert.equal(one.length % 16, 0);
  const r = parseRtp(one);
  assert.ok(r.ok);
  assert.equal(r.packet.sequenceNumber, 65535);
  assert.equal(r.packet.timestamp, 0xfffffff0);
  assert.equal(r.packet.extension?.profile, EXTENSION_PROFILE_ONE_BYTE);
  assert.deepEqual([...r.packet.extension!.elements![0].data], [1, 2, 3]);
  assert.deepEqual(r.packet.payload, payload);

  const two = parseRtp(
    serializeRtp({ payloadType: 8, sequenceNumber: 1, timestamp: 2, ssrc: 3, extension: { elements: [{ id: 200, data: new Uint8Array(20) }] }, payload }),
  );
  assert.ok(two.ok);
  assert.equal(two.packet.extension?.profile, EXTENSION_PROFILE_TWO_BYTE);
  assert.equal(two.packet.extension?.elements?.[0].id, 200);
  assert.equal(two.packet.extension?.elements?.[0].data.length, 20);
});

test('distinguishes RTCP from RTP on a muxed port (RFC 5761)', () => {
  assert.equal(isRtcpDatagram(hex('80c8 0006')), true); // SR
  assert.equal(isRtcpDatagram(hex('8000 0001')), false); // PT 0
  assert.equal(isRtcpDatagram(hex('8080 0001')), false); // PT 0 with marker
});
