import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { CallsightError } from '../../src/core/errors.js';
import {
  decodeTelephoneEvent,
  DtmfEventReceiver,
  DtmfEventSender,
  encodeTelephoneEvent,
  type ReceivedDtmf,
} from '../../src/media/dtmf-event.js';
import { RtpPacketizer } from '../../src/media/packetizer.js';
import { parseRtp, type RtpPacket } from '../../src/media/rtp-packet.js';

test('telephone-event payload codec (RFC 4733 §2.3)', () => {
  const wire = encodeTelephoneEvent({ event: 11, end: true, volume: 10, duration: 800 });
  assert.deepEqual([...wire], [11, 0x8a, 0x03, 0x20]);
  assert.deepEqual(decodeTelephoneEvent(wire), { event: 11, end: true, volume: 10, duration: 800 });
  assert.equal(decodeTelephoneEvent(Uint8Array.of(1, 2, 3)), null);
});

test('receiver reports each press once, ignoring repeats and non-DTMF events', () => {
  const r = new DtmfEventReceiver();
  const ev = (event: number, end: boolean, duration: number) => encodeTelephoneEvent({ event, end, volume: 10, duration });
  assert.equal(r.receive(ev(1, false, 0), 1000), null);
  assert.equal(r.receive(ev(1, false, 400), 1000), null);
  assert.deepEqual(r.receive(ev(1, true, 800), 1000), { digit: '1', durationMs: 100 });
  assert.equal(r.receive(ev(1, true, 800), 1000), null, 'repeated end');
  assert.equal(r.receive(ev(1, false, 400), 1000), null, 'late update of an ended event');
  assert.equal(r.receive(ev(16, true, 800), 3000), null, 'event 16 (flash) is not a digit');
  // An event whose end packets were all lost is reported when the next one starts.
  assert.equal(r.receive(ev(2, false, 400), 5000), null);
  assert.deepEqual(r.receive(ev(3, false, 0), 6000), { digit: '2', durationMs: 50 });
});

test('sender timing: marker first, updates every 50 ms, three identical end packets', async () => {
  const sent: { payload: Uint8Array; marker: boolean; timestamp: number; at: number }[] = [];
  const t0 = performance.now();
  const sender = new DtmfEventSender((payload, marker, timestamp) => sent.push({ payload, marker, timestamp, at: performance.now() - t0 }));
  await sender.send('9', 160, 12345);
  const events = sent.map((s) => decodeTelephoneEvent(s.payload)!);
  assert.deepEqual(
    events.map((e) => [e.event, e.end, e.duration]),
    [
      [9, false, 0],
      [9, false, 400],
      [9, false, 800],
      [9, false, 1200],
      [9, true, 1280],
      [9, true, 1280],
      [9, true, 1280],
    ],
  );
  assert.deepEqual(sent.map((s) => s.marker), [true, false, false, false, false, false, false]);
  assert.ok(sent.every((s) => s.timestamp === 12345));
  assert.ok(sent[1].at >= 49 && sent[1].at < 80, `second update at ${sent[1].at} ms`);
  await assert.rejects(sender.send('1', 9000, 0), (e: unknown) => e instanceof CallsightError && e.code === 'dtmf_duration_out_of_range');
});

test('sender → receiver over loopback UDP yields the digits', async () => {
  const rx = createSocket('udp4');
  const tx = createSocket('udp4');
  rx.bind(0, '127.0.0.1');
  await once(rx, 'listening');
  const port = rx.address().port;
  const receiver = new DtmfEventReceiver();
  const digits: ReceivedDtmf[] = [];
  const packets: RtpPacket[] = [];
  rx.on('message', (msg) => {
    const r = parseRtp(msg);
    if (!r.ok || r.packet.payloadType !== 101) return;
    packets.push(r.packet);
    const d = receiver.receive(r.packet.payload, r.packet.timestamp);
    if (d) digits.push(d);
  });
  const packetizer = new RtpPacketizer({ payloadType: 0 });
  const sender = new DtmfEventSender((payload, marker, timestamp) => tx.send(packetizer.event(101, payload, marker, timestamp), port, '127.0.0.1'));
  for (const d of ['1', '#', 'D'] as const) {
    await sender.send(d, 100, packetizer.timestamp);
    packetizer.skip(10); // media time moves on between presses
  }
  await new Promise((r) => setTimeout(r, 50));
  rx.close();
  tx.close();
  assert.deepEqual(digits, [
    { digit: '1', durationMs: 100 },
    { digit: '#', durationMs: 100 },
    { digit: 'D', durationMs: 100 },
  ]);
  // Sequence numbers are consecutive across all events (one RTP stream).
  for (let i = 1; i < packets.length; i++) assert.equal(packets[i].sequenceNumber, (packets[i - 1].sequenceNumber + 1) & 0xffff);
});
