import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { CallsightClient, CallsightRealtimeError, EventStream, type CallsightEvent } from '../../../sdk/src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { NodePeer } from '../webrtc/node-peer.js';

const guestStream = (url: string) => new EventStream({ connect: () => new WebSocket(url.replace('http', 'ws') + '/api/rooms/ws') as never });
const isCode = (code: string) => (e: unknown) => e instanceof CallsightRealtimeError && e.code === code;

for (const backend of BACKENDS) {
  describe(`rooms API (${backend.name})`, () => {
    let s: TestServer;
    let agent: string;
    before(async () => {
      s = await startTestServer({ backend, config: { sipEnabled: false } });
      agent = await s.login('agent@acme.test');
    });
    after(() => s.destroy());

    test('create, list, mint tokens; bad input is a clear 400/404 and changes nothing', async () => {
      const bad = await s.api('POST', '/api/rooms', { cookie: agent, body: { name: '', kind: 'hologram' } });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body.fields.map((f: { path: string }) => f.path).sort(), ['body.kind', 'body.name']);
      assert.equal((await s.api('GET', '/api/rooms', { cookie: agent })).body.items.length, 0);

      const created = await s.api('POST', '/api/rooms', { cookie: agent, body: { name: 'Town hall', kind: 'audio', maxParticipants: 3 } });
      assert.equal(created.status, 201);
      assert.equal(created.body.audioCodec, 'opus');
      const token = await s.api('POST', `/api/rooms/${created.body.id}/tokens`, { cookie: agent, body: { role: 'listener' } });
      assert.equal(token.status, 201);
      assert.match(token.body.token, /^ey/);
      assert.ok(token.body.expiresAt > Date.now() + 3500_000);
      assert.equal((await s.api('POST', `/api/rooms/${created.body.id}/tokens`, { cookie: agent, body: { role: 'owner' } })).status, 400);
      assert.equal((await s.api('POST', '/api/rooms/room_00000000000000000000000000/tokens', { cookie: agent, body: { role: 'host' } })).status, 404);
      const customer = await s.login('customer@acme.test');
      assert.equal((await s.api('POST', '/api/rooms', { cookie: customer, body: { name: 'x' } })).status, 403);
      const participants = await s.api('GET', `/api/rooms/${created.body.id}/participants`, { cookie: agent });
      assert.deepEqual(participants.body, { items: [], nextCursor: null, activeSpeaker: null });
      const events = await s.api('GET', '/api/events?types=room.', { cookie: agent });
      assert.deepEqual(events.body.items.map((e: CallsightEvent) => e.type), ['room.created']);
    });
  });
}

describe('rooms SFU with werift peers', () => {
  let s: TestServer;
  let agent: string;
  let roomId: string;
  const events: CallsightEvent[] = [];
  const streams: EventStream[] = [];
  const peers: NodePeer[] = [];
  const token = async (role: string, name: string) =>
    (await s.api('POST', `/api/rooms/${roomId}/tokens`, { cookie: agent, body: { role, name } })).body.token as string;

  before(async () => {
    s = await startTestServer({ config: { sipEnabled: false } });
    agent = await s.login('agent@acme.test');
    roomId = (await s.api('POST', '/api/rooms', { cookie: agent, body: { name: 'Standup', maxParticipants: 3 } })).body.id;
    await s.ctx.bus.subscribe({ types: ['room.'] }, (e) => void events.push(e));
  });
  after(async () => {
    for (const st of streams) st.close();
    for (const p of peers) await p.close();
    await s.destroy();
  });

  test('host (logged in) and guests join; a speaker publishes Opus; host and listener receive it; listener cannot publish; mute, active speaker, kick', async () => {
    const hostClient = new CallsightClient({ baseUrl: s.url, WebSocket });
    await hostClient.login('agent@acme.test', 'demo');
    const host = hostClient.realtime();
    const speaker = guestStream(s.url);
    const listener = guestStream(s.url);
    streams.push(host, speaker, listener);
    const pushedToHost: any[] = [];
    host.on('message', (m) => pushedToHost.push(m));
    const pushedToListener: any[] = [];
    listener.on('message', (m) => pushedToListener.push(m));

    const h: any = await host.request('room.join', { token: await token('host', 'Hana') });
    const sp: any = await speaker.request('room.join', { token: await token('speaker', 'Sam') });
    const listenerToken = await token('listener', 'Lee');
    const li: any = await listener.request('room.join', { token: listenerToken });
    assert.equal(h.role, 'host');
    assert.equal(li.role, 'listener');
    const fourth = guestStream(s.url);
    streams.push(fourth);
    await assert.rejects(fourth.request('room.join', { token: await token('listener', 'Fourth') }), isCode('room_full'));
    await assert.rejects(speaker.request('room.join', { token: listenerToken.slice(0, -4) + 'AAAA' }), isCode('invalid_join_token'));

    // The speaker publishes Opus with RFC 6464 audio levels.
    const pub = new NodePeer('opus', 'sendonly', { audioLevel: true });
    peers.push(pub);
    const published: any = await speaker.request('room.publish', { participantId: sp.participantId, sdp: await pub.offer() });
    assert.match(published.sdp, /a=rtpmap:111 opus\/48000\/2/);
    assert.match(published.sdp, /a=recvonly/);
    await pub.accept(published.sdp);
    await pub.connected();

    // The listener's publish is refused, clearly, and the room carries on.
    const refused = new NodePeer('opus', 'sendonly');
    peers.push(refused);
    await assert.rejects(listener.request('room.publish', { participantId: li.participantId, sdp: await refused.offer() }), (e: unknown) => {
      assert.ok(e instanceof CallsightRealtimeError && e.code === 'publish_not_allowed', String(e));
      assert.match((e as Error).message, /listener cannot publish/);
      return true;
    });
    // Broken SDP is an error on that channel only.
    await assert.rejects(speaker.request('room.publish', { participantId: sp.participantId, sdp: 'v=0\r\nnonsense' }), isCode('invalid_sdp'));

    const subscribe = async (stream: EventStream, participantId: string) => {
      const peer = new NodePeer('opus', 'recvonly');
      peers.push(peer);
      const r: any = await stream.request('room.subscribe', { participantId, publisherId: sp.participantId, sdp: await peer.offer() });
      await peer.accept(r.sdp);
      await peer.connected();
      return peer;
    };
    const hostEar = await subscribe(host, h.participantId);
    const listenerEar = await subscribe(listener, li.participantId);

    // 1 s of "speech": Opus-sized frames at -20 dBov, each carrying its index.
    const talk = async (frames: number, from: number) => {
      for (let i = 0; i < frames; i++) {
        const payload = Buffer.alloc(80, 0);
        payload.writeUInt32BE(from + i);
        pub.sendWithLevel(payload, 20);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await talk(50, 0);
    await waitFor(() => hostEar.received.length >= 45 && listenerEar.received.length >= 45, 3000, 'forwarded audio');
    assert.ok(hostEar.received.every((p) => p.pt === 111));
    assert.equal(hostEar.received[0].payload.readUInt32BE(0) < 5, true, 'payload forwarded untouched');
    await waitFor(() => pushedToHost.some((m) => m.kind === 'room.speakers' && m.activeSpeaker === sp.participantId), 3000, 'active speaker push');
    await waitFor(() => events.some((e) => e.type === 'room.active_speaker' && (e.data as any).participantId === sp.participantId), 3000, 'active speaker event');

    // The host mutes the speaker: forwarding stops.
    const muted: any = await host.request('room.mute', { participantId: h.participantId, targetId: sp.participantId, muted: true });
    assert.equal(muted.participant.muted, true);
    const before = hostEar.received.length;
    await talk(25, 1000);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(hostEar.received.length - before <= 2, `muted audio must not be forwarded (got ${hostEar.received.length - before})`);
    // A non-host cannot mute others.
    await assert.rejects(listener.request('room.mute', { participantId: li.participantId, targetId: sp.participantId, muted: false }), isCode('forbidden'));
    // Unmute over the API.
    const unmuted = await s.api('POST', `/api/rooms/${roomId}/participants/${sp.participantId}/mute`, { cookie: agent, body: { muted: false } });
    assert.equal(unmuted.body.muted, false);
    await talk(10, 2000);
    await waitFor(() => hostEar.received.some((p) => p.payload.readUInt32BE(0) >= 2000), 2000, 'audio after unmute');

    const list = await s.api('GET', `/api/rooms/${roomId}/participants`, { cookie: agent });
    assert.deepEqual(list.body.items.map((p: any) => [p.name, p.role, p.publishing]).sort(), [['Hana', 'host', []], ['Lee', 'listener', []], ['Sam', 'speaker', ['audio']]]);

    // Kick the listener: told so, its token cannot come back.
    await host.request('room.kick', { participantId: h.participantId, targetId: li.participantId });
    await waitFor(() => pushedToListener.some((m) => m.kind === 'room.kicked'), 2000, 'kicked push');
    await assert.rejects(listener.request('room.join', { token: listenerToken }), isCode('forbidden'));

    const types = new Set(events.map((e) => e.type));
    for (const t of ['room.joined', 'room.published', 'room.muted', 'room.kicked', 'room.left', 'room.active_speaker']) assert.ok(types.has(t as never), `event ${t}`);
  });
});
