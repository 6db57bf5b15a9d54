import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ntpMiddle32, ntpTime, parseRtcp, serializeRtcp, SDES_CNAME, type RtcpPacket } from '../../src/media/rtcp.js';
import { RtpReceiverStats } from '../../src/media/rtp-stats.js';

const block = { ssrc: 0x0a0b0c0d, fractionLost: 64, cumulativeLost: -3, highestSequence: 0x1fffe, jitter: 42, lastSr: 0x12345678, delaySinceLastSr: 65536 };

test('SR + SDES + BYE compound round-trips', () => {
  const packets: RtcpPacket[] = [
    { type: 'sr', ssrc: 1, ntpSeconds: 3900000000, ntpFraction: 0x80000000, rtpTimestamp: 160, packetCount: 10, octetCount: 1600, reports: [block] },
    { type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: SDES_CNAME, text: 'leg@callsight' }] }] },
    { type: 'bye', ssrcs: [1, 2], reason: 'hangup' },
  ];
  const wire = serializeRtcp(packets);
  assert.equal(wire.length % 4, 0);
  assert.deepEqual(parseRtcp(wire), packets);
});

test('parses a crafted RR with one report block and keeps unknown packet types opaque', () => {
  const wire = Buffer.from(
    '81c90007' + '00000001' + '0a0b0c0d' + '40fffffd' + '0001fffe' + '0000002a' + '12345678' + '00010000' + '80cc0002' + '00000001' + '6e616d65',
    'hex',
  );
  const parsed = parseRtcp(wire);
  assert.ok(parsed);
  assert.deepEqual(parsed[0], { type: 'rr', ssrc: 1, reports: [block] });
  assert.equal(parsed[1].type, 'other');
  assert.equal(parsed[1].type === 'other' && parsed[1].packetType, 204);
});

test('rejects malformed compounds', () => {
  const good = serializeRtcp([{ type: 'rr', ssrc: 1, reports: [block] }]);
  assert.equal(parseRtcp(good.subarray(0, 10)), null, 'truncated');
  const badVersion = Uint8Array.from(good);
  badVersion[0] = 0x41;
  assert.equal(parseRtcp(badVersion), null, 'version 1');
  const countTooBig = Uint8Array.from(good);
  countTooBig[0] = 0x82; // claims 2 report blocks, holds 1
  assert.equal(parseRtcp(countTooBig), null, 'report count');
  assert.equal(parseRtcp(new Uint8Array(0)), null, 'empty');
  assert.equal(parseRtcp(Buffer.from('81ca0001000000010105616263', 'hex')), null, 'SDES item overruns');
  for (let n = 0; n < 2000; n++) parseRtcp(Uint8Array.from({ length: n % 64 }, () => Math.floor(Math.random() * 256)));
});

test('NTP helpers', () => {
  const t = ntpTime(Date.UTC(2026, 0, 1) + 500);
  assert.equal(t.seconds, Date.UTC(2026, 0, 1) / 1000 + 2208988800);
  assert.equal(t.fraction, 0x80000000);
  assert.equal(ntpMiddle32(0x12345678, 0x9abcdef0), 0x56789abc);
});

test('receiver stats: loss, fraction lost, wrap-around and extended highest sequence (RFC 3550 A.1/A.3)', () => {
  const s = new RtpReceiverStats();
  let ts = 0;
  let arrival = 0;
  // 100 packets from 65500, wrapping at 65535, with every 10th lost.
  for (let i = 0; i < 100; i++, ts += 160, arrival += 20) {
    if (i % 10 === 5) continue;
    s.update((65500 + i) & 0xffff, ts, arrival, 160);
  }
  // Probation: the first packet is not counted, so base = 65501.
  assert.equal(s.extendedHighestSequence, 65536 + ((65500 + 99) & 0xffff));
  assert.equal(s.expected, 99);
  assert.equal(s.received, 89);
  assert.equal(s.cumulativeLost, 10);
  const r = s.reportBlock(7);
  assert.equal(r.fractionLost, Math.floor((10 * 256) / 99));
  assert.equal(r.highestSequence, 65536 + 63);
  assert.equal(s.jitter, 0, 'perfectly paced stream has no jitter');
  assert.equal(s.reportBlock(7).fractionLost, 0, 'nothing new lost in the next interval');
});

test('receiver stats: interarrival jitter follows RFC 3550 A.8', () => {
  const s = new RtpReceiverStats();
  let expected = 0;
  let prevTransit: number | null = null;
  for (let i = 0; i < 200; i++) {
    const arrival = i * 20 + (i % 2 === 0 ? 0 : 5); // alternate 5 ms late
    s.update(i, i * 160, arrival, 160);
    const transit = arrival * 8 - i * 160;
    if (i >= 1) {
      // The stats count from the second packet (probation), so jitter starts there too.
      if (prevTransit !== null) expected += (Math.abs(transit - prevTransit) - expected) / 16;
      prevTransit = transit;
    }
  }
  assert.equal(s.jitter, Math.floor(expected));
  assert.ok(s.jitter > 30 && s.jitter <= 40, `jitter ${s.jitter} ≈ 40 timestamp units (5 ms)`);
});

test('receiver stats: duplicates count as received, a restart needs two consecutive packets', () => {
  const s = new RtpReceiverStats();
  for (let i = 0; i < 10; i++) s.update(i, i * 160, i * 20, 160);
  s.update(9, 9 * 160, 200, 160); // duplicate
  assert.equal(s.cumulativeLost, -1);
  assert.equal(s.update(30000, 0, 220, 160), false, 'isolated jump ignored');
  assert.equal(s.update(30001, 160, 240, 160), true, 'confirmed restart');
  assert.equal(s.extendedHighestSequence, 30001);
});
