import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CallsightApiError, type CallsightClient, type CallsightEvent, type EventStream } from '../../../sdk/src/index.js';
import { BACKENDS, DEFAULT_BACKEND } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { NodePeer } from '../webrtc/node-peer.js';
import { parseOggPages } from '../../src/media/ogg-reader.js';

const apiCode = (code: string, status?: number) => (e: unknown) => {
  assert.ok(e instanceof CallsightApiError, String(e));
  assert.equal(e.code, code, e.message);
  if (status) assert.equal(e.status, status);
  return true;
};

/** One signed-in person: an SDK client, its realtime socket and what it was pushed. */
interface Person {
  id: string;
  name: string;
  client: CallsightClient;
  rt: EventStream;
  pushes: any[];
}

async function person(s: TestServer, email: string, streams: EventStream[]): Promise<Person> {
  const client = await s.client(email);
  const rt = client.realtime();
  streams.push(rt);
  const pushes: any[] = [];
  rt.on('message', (m) => pushes.push(m));
  await rt.request('ping');
  const me = await client.me();
  return { id: me.user!.id, name: me.user!.name, client, rt, pushes };
}

for (const backend of BACKENDS) {
  describe(`conversations API (${backend.name})`, () => {
    let s: TestServer;
    const streams: EventStream[] = [];
    let a: Person;
    let b: Person;
    let c: Person;
    before(async () => {
      s = await startTestServer({ backend, config: { sipEnabled: false } });
      a = await person(s, 'agent@acme.test', streams);
      b = await person(s, 'customer@acme.test', streams);
      c = await person(s, 'supervisor@acme.test', streams);
    });
    after(async () => {
      for (const st of streams) st.close();
      await s.destroy();
    });

    test('invites ring; bad invites are clear errors that create nothing; roles are checked; hands are rate-limited; removed people cannot rejoin', async () => {
      // Bad input first: nothing is created.
      await assert.rejects(a.client.conversations.start({ topic: 'x', invite: ['usr_00000000000000000000000000'] }), apiCode('conversation_unknown_user', 404));
      await assert.rejects(a.client.conversations.start({ topic: 'x', invite: [a.id] }), apiCode('conversation_invalid_invite', 400));
      await assert.rejects(a.client.conversations.start({ topic: '', invite: [b.id] } as never), apiCode('validation_failed', 400));
      await c.client.conversations.block(a.id, true);
      await assert.rejects(a.client.conversations.start({ topic: 'Blocked', invite: [b.id, c.id] }), apiCode('conversation_blocked', 403));
      await c.client.conversations.block(a.id, false);
      assert.equal((await a.client.conversations.feed()).items.length, 0);

      const started = await a.client.conversations.start({ topic: 'Launch plans', invite: [b.id] });
      const id = started.conversation.id;
      assert.equal(started.conversation.status, 'inviting');
      assert.equal(started.roomRole, 'host');
      assert.deepEqual(started.deliveries, { [b.id]: 'ring' });
      await waitFor(() => b.pushes.some((m) => m.kind === 'conversation.ring' && m.conversation.id === id && m.from === a.name), 5000, 'the invite rings in B’s app');
      // The invitee sees it in their feed while it rings; others do not until it is live.
      assert.deepEqual((await b.client.conversations.feed()).items.map((x) => x.id), [id]);
      assert.equal((await c.client.conversations.feed()).items.length, 0);
      // C was not invited: accepting is refused.
      await assert.rejects(c.client.conversations.accept(id), apiCode('conversation_not_allowed', 403));

      const hostRoom: any = await a.rt.request('room.join', { token: started.token });
      const accepted = await b.client.conversations.accept(id);
      assert.equal(accepted.conversation.status, 'live');
      assert.equal(accepted.roomRole, 'speaker');
      const bRoom: any = await b.rt.request('room.join', { token: accepted.token });
      assert.deepEqual((await c.client.conversations.feed({ topic: 'launch' })).items.map((x) => x.id), [id]);
      assert.equal((await c.client.conversations.feed({ topic: 'cooking' })).items.length, 0);

      const listened = await c.client.conversations.join(id);
      assert.equal(listened.roomRole, 'listener');
      const cRoom: any = await c.rt.request('room.join', { token: listened.token });
      await waitFor(async () => (await a.client.conversations.get(id)).listenerCount === 1, 5000, 'one listener');
      const info = await a.client.conversations.get(id);
      assert.deepEqual(info.speakers.map((x) => x.name).sort(), [a.name, b.name].sort());

      // A listener cannot promote; a speaker cannot remove.
      await assert.rejects(c.client.conversations.promote(id, cRoom.participantId), apiCode('conversation_not_allowed', 403));
      await assert.rejects(b.client.conversations.remove(id, cRoom.participantId), apiCode('conversation_not_allowed', 403));
      await assert.rejects(b.client.conversations.raiseHand(id), apiCode('conversation_already_on_stage', 409));

      // Hands: raised, seen by the host, and a flood is refused without changing anything.
      await c.client.conversations.raiseHand(id, true);
      await waitFor(() => a.pushes.some((m) => m.kind === 'conversation.updated' && m.conversation.hands.some((h: any) => h.userId === c.id)), 5000, 'the host sees the hand');
      for (let i = 0; i < 4; i++) await c.client.conversations.raiseHand(id, i % 2 === 1);
      await assert.rejects(c.client.conversations.raiseHand(id, false), apiCode('rate_limited', 429));
      assert.equal((await a.client.conversations.get(id)).hands.length, 1, 'the refused lowering changed nothing');

      // A promotes C: C's room role changes in place (no rejoin), and the hand is down.
      const promoted = await a.client.conversations.promote(id, cRoom.participantId);
      assert.ok(promoted.speakers.some((x) => x.userId === c.id));
      assert.equal(promoted.hands.length, 0);
      await waitFor(() => c.pushes.some((m) => m.kind === 'room.participant.updated' && m.participant.id === cRoom.participantId && m.participant.role === 'speaker'), 5000, 'C told it speaks');

      // Remove C: C leaves and cannot rejoin, even with a fresh join.
      await a.client.conversations.remove(id, cRoom.participantId);
      await waitFor(() => c.pushes.some((m) => m.kind === 'room.kicked'), 5000, 'C removed from the room');
      await assert.rejects(c.client.conversations.join(id), apiCode('conversation_banned', 403));
      await assert.rejects(c.rt.request('room.join', { token: listened.token }), (e: any) => e.code === 'forbidden');

      // Everyone leaves: it ends, with its events in order.
      await a.rt.request('room.leave', { participantId: hostRoom.participantId });
      await b.rt.request('room.leave', { participantId: bRoom.participantId });
      await waitFor(async () => (await a.client.conversations.get(id)).status === 'ended', 5000, 'ended when empty');
      await assert.rejects(b.client.conversations.join(id), apiCode('conversation_ended', 409));
      const events = await s.api('GET', '/api/events?types=conversation.&limit=200', { cookie: await s.login('admin@acme.test') });
      const types = (events.body.items as CallsightEvent[]).map((e) => e.type);
      for (const t of ['conversation.invited', 'conversation.started', 'conversation.hand_raised', 'conversation.promoted', 'conversation.extended', 'conversation.removed', 'conversation.ended']) assert.ok(types.includes(t as never), `${t} in ${types}`);
    });
  });
}

describe('conversation audio with werift peers', () => {
  let s: TestServer;
  const streams: EventStream[] = [];
  const peers: NodePeer[] = [];
  before(async () => {
    s = await startTestServer({ backend: DEFAULT_BACKEND, config: { sipEnabled: false } });
  });
  after(async () => {
    for (const st of streams) st.close();
    for (const p of peers) await p.close();
    await s.destroy();
  });

  const publish = async (p: Person, participantId: string, held = false) => {
    const peer = new NodePeer('opus', 'sendonly', { audioLevel: true });
    peers.push(peer);
    const r: any = await p.rt.request('room.publish', { participantId, sdp: await peer.offer(), ...(held ? { held } : {}) });
    await peer.accept(r.sdp);
    await peer.connected();
    return peer;
  };
  const subscribe = async (p: Person, participantId: string, publisherId: string) => {
    const peer = new NodePeer('opus', 'recvonly');
    peers.push(peer);
    const r: any = await p.rt.request('room.subscribe', { participantId, publisherId, sdp: await peer.offer() });
    await peer.accept(r.sdp);
    await peer.connected();
    return peer;
  };
  /** Frames whose payload names the speaker: what a listener receives shows who it heard. */
  const voices = (peer: NodePeer) => new Set(peer.received.map((x) => x.payload.subarray(0, 1).toString()));

  test('A invites B and records, C hears both from the feed under REC; C raises a hand and is heard once promoted, without reconnecting; A leaves, B and C go on; the replay indexes A, B and C', async (t) => {
    const a = await person(s, 'agent@acme.test', streams);
    const b = await person(s, 'customer@acme.test', streams);
    const c = await person(s, 'supervisor@acme.test', streams);
    const started = await a.client.conversations.start({ topic: 'Audio check', invite: [b.id] });
    const id = started.conversation.id;
    const aRoom: any = await a.rt.request('room.join', { token: started.token });
    const bJoin = await b.client.conversations.accept(id);
    const bRoom: any = await b.rt.request('room.join', { token: bJoin.token });
    const aMic = await publish(a, aRoom.participantId);
    const bMic = await publish(b, bRoom.participantId);
    // Only a host records; it is recorded once, and its replay is for the people in it.
    await assert.rejects(b.client.conversations.startRecording(id), apiCode('conversation_not_allowed', 403));
    const recordingStartedAt = Date.now();
    const recording = await a.client.conversations.startRecording(id, 'participants');
    let wallSeconds = 0;
    assert.equal(recording.recording?.state, 'recording');
    await assert.rejects(a.client.conversations.startRecording(id), apiCode('conversation_already_recorded', 409));
    let talking = true;
    const cMic: { peer: NodePeer | null } = { peer: null };
    const talk = (async () => {
      while (talking) {
        aMic.sendWithLevel(Buffer.from('A'.repeat(60)), 20);
        bMic.sendWithLevel(Buffer.from('B'.repeat(60)), 25);
        cMic.peer?.sendWithLevel(Buffer.from('C'.repeat(60)), 22);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      // C opens the feed and listens: one tap is a join plus a subscription per speaker.
      const feed = await c.client.conversations.feed();
      assert.equal(feed.items[0].id, id);
      const t0 = performance.now();
      const cJoin = await c.client.conversations.join(id);
      assert.equal(cJoin.conversation.recording?.state, 'recording', 'the listener is told it is recorded (REC)');
      await assert.rejects(c.client.conversations.startRecording(id), apiCode('conversation_not_allowed', 403));
      const cRoom: any = await c.rt.request('room.join', { token: cJoin.token });
      const stage = cRoom.participants.filter((x: any) => x.publishing.length > 0);
      assert.deepEqual(stage.map((x: any) => x.name).sort(), [a.name, b.name].sort());
      const ears = await Promise.all(stage.map((x: any) => subscribe(c, cRoom.participantId, x.id)));
      await waitFor(() => ears.every((e) => e.received.length > 5), 5000, 'C hears both speakers');
      const firstAudioMs = Math.min(...ears.map((e) => e.received[0].at)) - t0;
      assert.deepEqual([...new Set(ears.flatMap((e) => [...voices(e)]))].sort(), ['A', 'B'], 'C hears A and B, each on its own track');

      // C raises a hand and negotiates its send path now: held, nothing it sends is heard; but
      // everyone is told, so A and B connect to it ahead and the promotion needs no new peer.
      await c.client.conversations.raiseHand(id);
      cMic.peer = await publish(c, cRoom.participantId, true);
      const heldPc = cMic.peer.pc;
      await waitFor(() => b.pushes.some((m) => m.kind === 'room.participant.updated' && m.participant.id === cRoom.participantId && m.participant.held), 5000, 'B (not a host) is told C has a held send path');
      const [aHearsC, bHearsC] = await Promise.all([subscribe(a, aRoom.participantId, cRoom.participantId), subscribe(b, bRoom.participantId, cRoom.participantId)]);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(aHearsC.received.length + bHearsC.received.length, 0, 'nothing of C is forwarded while held');

      // A promotes C: the subscriptions made ahead hear C; C's peer is the same one.
      const tPromote = performance.now();
      await a.client.conversations.promote(id, cRoom.participantId);
      await waitFor(() => a.pushes.some((m) => m.kind === 'room.participant.updated' && m.participant.id === cRoom.participantId && m.participant.publishing.includes('audio') && !m.participant.held), 5000, 'A told C publishes');
      await waitFor(() => aHearsC.received.length > 3 && bHearsC.received.length > 3, 5000, 'A and B hear C');
      const promoteToHeardMs = Math.max(aHearsC.received[0].at, bHearsC.received[0].at) - tPromote;
      assert.deepEqual([...voices(aHearsC)], ['C']);
      assert.equal(cMic.peer.pc, heldPc);
      assert.equal(heldPc.connectionState, 'connected', 'C did not reconnect');
      // A stops the recording (a speaker may not); the replay is listed once the conversation ends.
      await assert.rejects(b.client.conversations.stopRecording(id), apiCode('conversation_not_allowed', 403));
      const stopped = await a.client.conversations.stopRecording(id);
      wallSeconds = (Date.now() - recordingStartedAt) / 1000;
      assert.equal(stopped.recording?.state, 'ready');
      await assert.rejects(a.client.conversations.stopRecording(id), apiCode('conversation_not_recording', 409));

      // A leaves: the conversation goes on, B and C still hear each other.
      await a.rt.request('room.leave', { participantId: aRoom.participantId });
      const bHeard = bHearsC.received.length;
      const cEarOnB = ears.find((e) => voices(e).has('B'))!;
      const cHeard = cEarOnB.received.length;
      await waitFor(() => bHearsC.received.length > bHeard + 10 && cEarOnB.received.length > cHeard + 10, 5000, 'B and C go on after A left');
      const after = await b.client.conversations.get(id);
      assert.equal(after.status, 'live');
      assert.deepEqual(after.speakers.map((x) => x.name).sort(), [b.name, c.name].sort());
      t.diagnostic(JSON.stringify({ firstAudioMs: Math.round(firstAudioMs), promoteToHeardMs: Math.round(promoteToHeardMs) }));
    } finally {
      talking = false;
      await talk;
    }

    // Everyone leaves: the recording ends with the conversation and is its replay.
    for (const x of [b, c]) {
      const me = (await b.client.conversations.get(id)).speakers.find((sp) => sp.userId === x.id)!;
      await x.rt.request('room.leave', { participantId: me.participantId });
    }
    await waitFor(async () => (await c.client.conversations.replays()).items.some((x) => x.id === id), 10_000, 'the replay is listed');
    const replay = (await c.client.conversations.replays()).items.find((x) => x.id === id)!;
    const rec = replay.recording!;
    assert.equal(rec.state, 'ready');
    assert.deepEqual(rec.speakers.map((x) => x.name).sort(), [a.name, b.name, c.name].sort(), 'the index lists A, B and C');
    assert.equal(rec.speakers.at(-1)!.name, c.name, 'C, brought up last, is first heard last');
    assert.ok(rec.speakers.at(-1)!.atSeconds > rec.speakers[0].atSeconds);
    assert.ok(rec.durationSeconds! > 0 && rec.durationSeconds! <= wallSeconds, `recorded ${rec.durationSeconds} s in ${wallSeconds} s`);
    // The file's last granule position is the duration reported.
    const cookie = await s.login('supervisor@acme.test');
    const res = await fetch(`${s.url}${rec.url}`, { headers: { cookie } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^audio\/ogg/);
    const pages = parseOggPages(Buffer.from(await res.arrayBuffer()));
    const head = pages[0].packets[0];
    const granuleSeconds = (Number(pages.at(-1)!.granule) - head.readUInt16LE(10)) / 48000;
    assert.ok(Math.abs(granuleSeconds - rec.durationSeconds!) <= 0.02, `granules say ${granuleSeconds} s, the replay ${rec.durationSeconds} s`);
    // Someone who was not in it: not listed, and refused the file.
    const outsider = await s.client('admin@acme.test');
    assert.ok(!(await outsider.conversations.replays()).items.some((x) => x.id === id));
    const refused = await fetch(`${s.url}${rec.url}`, { headers: { cookie: await s.login('admin@acme.test') } });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { code: string }).code, 'conversation_replay_private');
    t.diagnostic(JSON.stringify({ replaySeconds: rec.durationSeconds, wallSeconds, speakers: rec.speakers }));
  });
});
