import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { CallsightClient, CallsightRealtimeError, type EventStream } from '../../../sdk/src/index.js';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { BACKENDS } from '../helpers/backends.js';
import { startSippUas } from '../helpers/sipp.js';
import { peerPort } from '../helpers/ports.js';
import { allowOutsideCalls } from '../helpers/outbound.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { NodePeer } from '../webrtc/node-peer.js';

/** Eight bytes 0x20|nibble: µ-law decode → encode maps each to itself, so a counter survives the bridge. */
const encodeCounter = (n: number, out: Buffer) => {
  for (let i = 0; i < 8; i++) out[i] = 0x20 | ((n >>> (28 - 4 * i)) & 0xf);
};
const decodeCounter = (b: Buffer) => {
  let n = 0;
  for (let i = 0; i < 8; i++) n = ((n << 4) | (b[i] & 0xf)) >>> 0;
  return n;
};

for (const backend of BACKENDS) {
  describe(`browser ↔ SIP bridge relay (werift browser → callsight → sipp RTP echo, ${backend.name})`, () => {
    let s: TestServer;
    let stream: EventStream;
    const pushed: any[] = [];
    const events: AnyEvent[] = [];

    before(async () => {
      s = await startTestServer({ backend });
      await s.ctx.bus.subscribe({ types: ['call.dtmf'] }, (e) => void events.push(e));
      await allowOutsideCalls(s, 'customer@acme.test');
      const client = new CallsightClient({ baseUrl: s.url, WebSocket });
      await client.login('customer@acme.test', 'demo');
      stream = client.realtime();
      stream.on('message', (m) => pushed.push(m));
    });
    after(async () => {
      stream?.close();
      await s?.destroy();
    });

    test('every frame comes back intact, with no server jitter buffer in the loop (median round trip < 15 ms); signalled DTMF reaches the call; hold sends PCMU silence', async () => {
      const uas = startSippUas({ timeoutSec: 30, extra: ['-rtp_echo', '-mp', String(peerPort())] });
      const peer = new NodePeer('pcmu');
      try {
        const answer: any = await stream.request('rtc.offer', { purpose: 'call', sdp: await peer.offer() });
        await peer.accept(answer.sdp);
        await peer.connected();
        const dialing: any = await stream.request('call.dial', { to: `sip:echo@127.0.0.1:${uas.port}`, sessionId: answer.sessionId });
        await waitFor(() => pushed.some((m) => m.kind === 'call.state' && m.callId === dialing.callId && m.state === 'answered'), 10_000, 'sipp answered');

        const sentAt = new Map<number, number>();
        const delays: number[] = [];
        peer.onPacket = (payload, pt) => {
          if (pt !== 0 || payload.length !== 160) return;
          const at = sentAt.get(decodeCounter(payload));
          if (at !== undefined) delays.push(performance.now() - at);
        };
        const frame = Buffer.alloc(160, 0x55);
        const FRAMES = 150;
        for (let n = 1; n <= FRAMES; n++) {
          encodeCounter(n, frame);
          sentAt.set(n, performance.now());
          peer.send(frame);
          await new Promise((r) => setTimeout(r, 20));
        }
        await waitFor(() => delays.length >= FRAMES - 5, 3000, 'the frames back');
        assert.ok(delays.length >= FRAMES - 5, `${delays.length}/${FRAMES} frames came back`);
        const sorted = [...delays].sort((a, b) => a - b);
        const median = sorted[Math.floor(sorted.length / 2)];
        // Each server jitter buffer (+ the media clock) costs ≥ 20 ms at the median; packets
        // relayed both ways as they arrive leave none (measured: 1–2 ms on a loaded machine).
        assert.ok(median < 15, `median round trip ${median.toFixed(1)} ms`);

        // Keys by signalling (the SDK's fallback where RTCDTMFSender is missing) reach the call; bad ones are refused.
        await stream.request('call.dtmf', { callId: dialing.callId, digits: '7*' });
        await waitFor(() => events.filter((e) => (e.data as { callId: string }).callId === dialing.callId).length === 2, 5000, 'call.dtmf events');
        assert.deepEqual(events.map((e) => (e.data as { digit: string }).digit), ['7', '*']);
        await assert.rejects(stream.request('call.dtmf', { callId: dialing.callId, digits: '7x' }), (e: unknown) => e instanceof CallsightRealtimeError && e.code === 'validation_failed');

        // Held: the browser keeps receiving a steady PCMU stream of silence.
        await stream.request('call.hold', { callId: dialing.callId, hold: true });
        const heldFrom = peer.received.length;
        for (let i = 0; i < 25; i++) {
          peer.send(frame);
          await new Promise((r) => setTimeout(r, 20));
        }
        await waitFor(() => peer.received.length - heldFrom >= 15, 3000, 'packets while held');
        const held = peer.received.slice(heldFrom + 5);
        assert.ok(held.every((p) => p.payload.every((b) => b === 0xff)), 'µ-law silence only while held');
        await stream.request('call.hangup', { callId: dialing.callId });
        const r = await uas.done;
        assert.equal(r.code, 0, r.stdout + r.stderr);
      } finally {
        uas.kill();
        await peer.close();
      }
    });
  });
}
