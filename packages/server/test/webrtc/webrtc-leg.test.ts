import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { CallsightClient, CallsightRealtimeError, type EventStream } from '../../../sdk/src/index.js';
import { encodeTelephoneEvent } from '../../src/media/dtmf-event.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { NodePeer } from './node-peer.js';

/** The browser leg against a real werift peer over real ICE/DTLS-SRTP on 127.0.0.1. */
describe('webrtc leg (werift peer ↔ server)', () => {
  let s: TestServer;
  let stream: EventStream;
  const pushed: any[] = [];

  before(async () => {
    s = await startTestServer({ config: { sipEnabled: false } });
    const client = new CallsightClient({ baseUrl: s.url, WebSocket });
    await client.login('agent@acme.test', 'demo');
    stream = client.realtime();
    stream.on('message', (m) => pushed.push(m));
  });
  after(async () => {
    stream.close();
    await s.destroy();
  });

  test('echo purpose: PCMU frames sent by the peer come back byte-identical; DTMF arrives as a digit', async () => {
    const peer = new NodePeer('pcmu');
    const reply: any = await stream.request('rtc.offer', { sdp: await peer.offer(), purpose: 'echo' });
    assert.equal(reply.kind, 'rtc.answer');
    assert.match(reply.sdp, /a=rtpmap:0 PCMU\/8000/);
    assert.match(reply.sdp, /a=rtpmap:101 telephone-event\/8000/);
    assert.doesNotMatch(reply.sdp, /opus/i, 'a SIP-bound leg negotiates PCMU only');
    await peer.accept(reply.sdp);
    await peer.connected();
    await waitFor(() => pushed.some((m) => m.kind === 'rtc.state' && m.sessionId === reply.sessionId && m.state === 'connected'));

    const frames = Array.from({ length: 25 }, (_, i) => Buffer.alloc(160, i + 1));
    for (const f of frames) {
      peer.send(f);
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => peer.received.length >= 25, 3000);
    assert.deepEqual(peer.received.slice(0, 25).map((p) => p.payload[0]), frames.map((f) => f[0]));
    assert.ok(peer.received.every((p) => p.pt === 0 && p.payload.length === 160));

    // RFC 4733: digit 5, three updates then three end packets sharing one timestamp.
    for (const [end, duration] of [[false, 160], [false, 320], [false, 480], [true, 640], [true, 640], [true, 640]] as const) {
      peer.send(Buffer.from(encodeTelephoneEvent({ event: 5, end, volume: 10, duration })), { pt: 101, ts: 999_999 });
    }
    await waitFor(() => pushed.some((m) => m.kind === 'rtc.dtmf' && m.sessionId === reply.sessionId));
    assert.deepEqual(pushed.filter((m) => m.kind === 'rtc.dtmf').map((m) => m.digit), ['5'], 'one press, reported once');

    const bye: any = await stream.request('rtc.hangup', { sessionId: reply.sessionId });
    assert.equal(bye.kind, 'rtc.closed');
    await waitFor(() => pushed.some((m) => m.kind === 'rtc.state' && m.sessionId === reply.sessionId && m.state === 'closed'));
    assert.equal(s.ctx.services.get('rtc').size, 0);
    await peer.close();
  });

  test('broken SDP, unknown purpose, bad candidates and unknown sessions are errors on the channel only', async () => {
    const before = s.ctx.services.get('rtc').size;
    await assert.rejects(stream.request('rtc.offer', { sdp: 'hello', purpose: 'echo' }), (e: CallsightRealtimeError) => e.code === 'invalid_sdp');
    await assert.rejects(
      stream.request('rtc.offer', { sdp: 'v=0\r\nm=audio 9 RTP/AVP 0\r\nthis is not sdp', purpose: 'echo' }),
      (e: CallsightRealtimeError) => e.code === 'invalid_sdp' || e.code === 'no_common_codec',
    );
    const opusOnly = new NodePeer('opus');
    await assert.rejects(stream.request('rtc.offer', { sdp: await opusOnly.offer(), purpose: 'echo' }), (e: CallsightRealtimeError) => e.code === 'no_common_codec');
    await opusOnly.close();
    await assert.rejects(stream.request('rtc.offer', { sdp: 'v=0', purpose: 'nope' }), (e: CallsightRealtimeError) => e.code === 'unknown_purpose');
    await assert.rejects(stream.request('rtc.hangup', { sessionId: 'missing' }), (e: CallsightRealtimeError) => e.code === 'not_found');
    assert.equal(s.ctx.services.get('rtc').size, before, 'no leg left behind by refused offers');

    // A working session survives a garbage candidate sent to it.
    const peer = new NodePeer('pcmu');
    const reply: any = await stream.request('rtc.offer', { sdp: await peer.offer(), purpose: 'echo', sessionId: 'keep-me' });
    assert.equal(reply.sessionId, 'keep-me');
    await assert.rejects(
      stream.request('rtc.candidate', { sessionId: 'keep-me', candidate: { candidate: 'candidate:garbage' } }),
      (e: CallsightRealtimeError) => e.code === 'invalid_candidate',
    );
    const duplicate = new NodePeer('pcmu');
    await assert.rejects(stream.request('rtc.offer', { sdp: await duplicate.offer(), purpose: 'echo', sessionId: 'keep-me' }), (e: CallsightRealtimeError) => e.code === 'rtc_session_exists');
    await duplicate.close();
    await peer.accept(reply.sdp);
    await peer.connected();
    peer.send(Buffer.alloc(160, 7));
    await waitFor(() => peer.received.length > 0);
    await stream.request('rtc.hangup', { sessionId: 'keep-me' });
    await peer.close();
  });

  test('a peer whose DTLS certificate does not match its SDP fingerprint: the leg fails with dtls_failed, pushed on the channel', async () => {
    const peer = new NodePeer('pcmu');
    // Flip the last byte of the fingerprint: ICE still connects, the DTLS check cannot pass.
    const forged = (await peer.offer()).replace(/(a=fingerprint:sha-256 (?:[0-9A-F]{2}:){31})([0-9A-F]{2})/i, (_, head: string, last: string) => head + (last.toUpperCase() === '00' ? '01' : '00'));
    assert.notEqual(forged, peer.pc.localDescription!.sdp, 'the fingerprint was changed');
    const reply: any = await stream.request('rtc.offer', { sdp: forged, purpose: 'echo' });
    await peer.accept(reply.sdp);
    const states = () => pushed.filter((m) => m.kind === 'rtc.state' && m.sessionId === reply.sessionId).map((m) => `${m.state}:${m.cause ?? ''}`);
    await waitFor(() => states().includes('closed:dtls_failed'), 15_000, 'the leg to end');
    assert.deepEqual(states(), ['failed:dtls_failed', 'closed:dtls_failed'], 'never connected, failed with the cause');
    assert.equal(s.ctx.services.get('rtc').size, 0, 'the session is gone');
    await peer.close();
  });

  test('a peer that never completes ICE/DTLS ends with connect_timeout', async () => {
    const { WebRtcLeg } = await import('../../src/webrtc/webrtc-leg.js');
    const peer = new NodePeer('pcmu');
    const { leg } = await WebRtcLeg.answer(await peer.offer(), { profile: 'pcmu', connectTimeoutMs: 300 });
    const causes: string[] = [];
    leg.on('failed', (c) => causes.push(`failed:${c}`));
    leg.on('closed', (c) => causes.push(`closed:${c}`));
    await waitFor(() => leg.state === 'closed', 2000);
    assert.deepEqual(causes, ['failed:connect_timeout', 'closed:connect_timeout']);
    await peer.close();
  });
});
