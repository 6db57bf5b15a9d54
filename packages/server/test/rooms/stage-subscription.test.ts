import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallsightClient, EventStream } from '../../../sdk/src/index.js';
import { DEFAULT_BACKEND } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { NodePeer } from '../webrtc/node-peer.js';
import { StageEar } from '../webrtc/stage-ear.js';

interface Person {
  id: string;
  client: CallsightClient;
  rt: EventStream;
  pushes: any[];
}

/**
 * The stage on one connection: a listener's `room.subscribe_stage` carries every voice on
 * stage, one per slot; a raised hand brought up is heard on that same connection (no new
 * peer anywhere), and a slot handed from one voice to another goes on as one stream.
 */
describe('stage subscription: the whole stage on one listener connection', () => {
  let s: TestServer;
  const streams: EventStream[] = [];
  const closers: (() => Promise<void>)[] = [];
  before(async () => {
    s = await startTestServer({ backend: DEFAULT_BACKEND, config: { sipEnabled: false } });
  });
  after(async () => {
    for (const st of streams) st.close();
    for (const c of closers) await c().catch(() => undefined);
    await s.destroy();
  });

  const person = async (email: string): Promise<Person> => {
    const client = await s.client(email);
    const rt = client.realtime();
    streams.push(rt);
    const pushes: any[] = [];
    rt.on('message', (m) => pushes.push(m));
    await rt.request('ping');
    return { id: (await client.me()).user!.id, client, rt, pushes };
  };
  const publish = async (p: Person, participantId: string, held = false) => {
    const peer = new NodePeer('opus', 'sendonly', { audioLevel: true });
    closers.push(() => peer.close());
    const r: any = await p.rt.request('room.publish', { participantId, sdp: await peer.offer(), ...(held ? { held } : {}) });
    await peer.accept(r.sdp);
    await peer.connected();
    return peer;
  };
  const slotOf = (ear: StageEar, voice: string) => ear.received.findIndex((_, i) => ear.voicesOn(i).includes(voice));

  test('a listener hears A and B on their slots; D, held, is silent until promoted and then heard on the same connection; demoted, its slot goes to the next voice without a sequence gap', async () => {
    const a = await person('agent@acme.test');
    const b = await person('customer@acme.test');
    const c = await person('supervisor@acme.test');
    const started = await a.client.conversations.start({ topic: 'One connection', invite: [b.id] });
    const id = started.conversation.id;
    const aRoom: any = await a.rt.request('room.join', { token: started.token });
    const bRoom: any = await b.rt.request('room.join', { token: (await b.client.conversations.accept(id)).token });
    const aMic = await publish(a, aRoom.participantId);
    const bMic = await publish(b, bRoom.participantId);

    // The listener: joined as a guest with the conversation's listener link, one stage subscription.
    const listenerToken = (await c.client.conversations.join(id)).token;
    const cRoom: any = await c.rt.request('room.join', { token: listenerToken });
    const ear = new StageEar();
    closers.push(() => ear.close());
    const answer: any = await c.rt.request('room.subscribe_stage', { participantId: cRoom.participantId, sdp: await ear.offer() });
    await ear.accept(answer.sdp);
    assert.equal((answer.sdp.match(/^m=audio /gm) ?? []).length, 6, 'one audio slot per m-line offered');

    let talking = true;
    const voices: { peer: NodePeer | null; name: string }[] = [
      { peer: aMic, name: 'A' },
      { peer: bMic, name: 'B' },
      { peer: null, name: 'D' },
    ];
    const talk = (async () => {
      while (talking) {
        for (const v of voices) v.peer?.sendWithLevel(Buffer.from(v.name.repeat(60)), 20);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      await waitFor(() => slotOf(ear, 'A') >= 0 && slotOf(ear, 'B') >= 0, 5000, 'the listener hears A and B');
      assert.notEqual(slotOf(ear, 'A'), slotOf(ear, 'B'), 'A and B on slots of their own');
      for (const i of [slotOf(ear, 'A'), slotOf(ear, 'B')]) assert.equal(ear.voicesOn(i).length, 1, `slot ${i} carries one voice`);
      const slotsPush = () => c.pushes.filter((m) => m.kind === 'room.stage_slots').at(-1)?.slots as (string | null)[] | undefined;
      await waitFor(() => [aRoom.participantId, bRoom.participantId].every((p) => slotsPush()?.includes(p)), 5000, 'the listener is told which slot carries whom');

      // D raises a hand with its send path held: nobody hears it, and no one connects to it.
      const d = await person('admin@acme.test');
      const dRoom: any = await d.rt.request('room.join', { token: (await d.client.conversations.join(id)).token });
      voices[2].peer = await publish(d, dRoom.participantId, true);
      await d.client.conversations.raiseHand(id);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(slotOf(ear, 'D'), -1, 'a held voice is not forwarded');
      const connections = ear.pc.getTransceivers().length;

      // A brings D up: heard on the listener's open connection.
      await a.client.conversations.promote(id, dRoom.participantId);
      await waitFor(() => slotOf(ear, 'D') >= 0, 5000, 'the promoted voice is heard on the stage connection');
      assert.equal(ear.pc.connectionState, 'connected', 'the listener did not reconnect');
      assert.equal(ear.pc.getTransceivers().length, connections);
      const dSlot = slotOf(ear, 'D');
      assert.ok(![slotOf(ear, 'A'), slotOf(ear, 'B')].includes(dSlot), 'D got a free slot');

      // D steps back; B leaves the stage too, then B is brought up again: the freed slots are reused,
      // and a slot handed to another voice goes on in sequence (no gap for the listener's jitter buffer to wait out).
      await a.client.conversations.demote(id, dRoom.participantId);
      await waitFor(() => !slotsPush()?.includes(dRoom.participantId), 5000, 'D’s slot is freed');
      const heardBefore = ear.received[dSlot].length;
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(ear.received[dSlot].length - heardBefore <= 2, 'D is not heard once demoted');
      const heardB = () => ear.received.reduce((n, packets) => n + (packets ?? []).filter((x) => x.payload[0] === 0x42).length, 0);
      await a.client.conversations.demote(id, bRoom.participantId);
      await waitFor(() => !slotsPush()?.includes(bRoom.participantId), 5000, 'B’s slot is freed');
      await new Promise((r) => setTimeout(r, 300));
      const bBefore = heardB();
      await a.client.conversations.promote(id, bRoom.participantId);
      await waitFor(() => heardB() > bBefore + 10, 5000, 'B is heard again');
      for (const [i, packets] of ear.received.entries()) {
        if (!packets) continue;
        for (let k = 1; k < packets.length; k++) {
          const step = (packets[k].seq - packets[k - 1].seq + 0x10000) & 0xffff;
          assert.ok(step >= 1 && step < 5, `slot ${i}: sequence goes on (${packets[k - 1].seq} → ${packets[k].seq})`);
        }
      }
    } finally {
      talking = false;
      await talk;
    }
  });
});
