import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EventStream } from '../../../sdk/src/index.js';
import { OpusCodec } from '../../src/media/opus-codec.js';
import { heardFiles, pcmToneShare, startBaresip, toneShare, type Baresip } from '../helpers/baresip.js';
import { concatPcm } from '../helpers/pcm.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { NodePeer } from '../webrtc/node-peer.js';

/** Share of a tone in the last Opus frames a werift peer received, decoded at 8 kHz. */
function heardTone(peer: NodePeer, hz: number): number {
  const codec = new OpusCodec({ sampleRate: 8000 });
  const pcm = concatPcm(peer.received.slice(-100).map((x) => codec.decode(x.payload) ?? codec.conceal()));
  codec.close();
  return pcmToneShare(pcm, hz).share;
}

/**
 * A phone caller in a conversation: baresip dials a number whose flow (`{verb:'room'}`) puts
 * it in the conversation's Opus room as a listener; it hears the room, nobody hears it; the
 * host brings it up through the conversations API and then hears its 1 kHz tone.
 */
describe('a phone caller listens to a conversation and is brought up (baresip)', () => {
  let s: TestServer;
  const phones: Baresip[] = [];
  const peers: NodePeer[] = [];
  const streams: EventStream[] = [];

  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    for (const p of phones) p.kill();
    for (const st of streams) st.close();
    for (const p of peers) await p.close();
    await s?.destroy();
  });

  test('the phone joins as a listener, cannot be heard or subscribed to, and is heard once the host promotes it', async () => {
    const port = s.ctx.services.get('telephony').endpoint.ports.udp;
    const host = await s.client('agent@acme.test');
    const speaker = await s.client('customer@acme.test');
    const rt = host.realtime();
    streams.push(rt);
    const started = await host.conversations.start({ topic: 'Phone-in', invite: [(await speaker.me()).user!.id] });
    const id = started.conversation.id;
    await speaker.conversations.accept(id);
    const hostRoom: any = await rt.request('room.join', { token: started.token });

    const admin = await s.login('admin@acme.test');
    const flow = await s.api('POST', '/api/flows', { cookie: admin, body: { name: 'conversation-in', verbs: [{ verb: 'room', room: started.conversation.roomId, role: 'listener', name: 'Phone listener' }] } });
    assert.equal(flow.status, 201, JSON.stringify(flow.body));
    assert.equal((await s.api('POST', '/api/numbers', { cookie: admin, body: { number: 'convin', flowId: flow.body.id } })).status, 201);

    const pushes: any[] = [];
    rt.on('message', (m) => pushes.push(m));
    const phone = startBaresip({ account: `<sip:conv@127.0.0.1>;regint=0`, commands: [`/dial sip:convin@127.0.0.1:${port}`], seconds: 16, toneHz: 1000 });
    phones.push(phone);
    const phoneIn = () => pushes.find((m) => (m.kind === 'room.participant.joined' || m.kind === 'room.participant.updated') && m.participant.name === 'Phone listener')?.participant;
    await waitFor(() => phoneIn() !== undefined, 10_000, 'the host sees the phone arrive');
    const caller = phoneIn();
    assert.equal(caller.role, 'listener');
    assert.equal(caller.external, true);
    assert.deepEqual(caller.publishing, [], 'a listening phone is not heard');
    const info = await host.conversations.get(id);
    assert.ok(!info.speakers.some((x) => x.participantId === caller.id), 'not on stage');

    // While it listens nobody can subscribe to it.
    const early = new NodePeer('opus', 'recvonly');
    peers.push(early);
    await assert.rejects(rt.request('room.subscribe', { participantId: hostRoom.participantId, publisherId: caller.id, sdp: await early.offer() }), (e: any) => e.code === 'not_publishing');
    // The host brings it up: a role change in the room, the call is not touched.
    const promoted = await host.conversations.promote(id, caller.id);
    assert.ok(promoted.speakers.some((x) => x.participantId === caller.id && x.name === 'Phone listener'), 'on stage after promotion');
    await waitFor(() => pushes.some((m) => m.kind === 'room.participant.updated' && m.participant.id === caller.id && m.participant.role === 'speaker' && m.participant.publishing.includes('audio')), 5000, 'the host is told it speaks');

    const ear = new NodePeer('opus', 'recvonly');
    peers.push(ear);
    const sub: any = await rt.request('room.subscribe', { participantId: hostRoom.participantId, publisherId: caller.id, sdp: await ear.offer() });
    await ear.accept(sub.sdp);
    await ear.connected();
    await waitFor(() => ear.received.length > 100, 8000, 'the host receives the phone');
    const share = heardTone(ear, 1000);
    assert.ok(share > 0.5, `the host hears the phone's 1 kHz tone (share ${share.toFixed(2)})`);

    await phone.done;
    const [file] = heardFiles(phone.recordings);
    assert.ok(file, 'baresip recorded what it heard');
    const heard = await toneShare(file, 1000);
    assert.ok(heard.share < 0.5, `the phone does not hear itself back (share ${heard.share.toFixed(2)})`);
  });
});
