import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { EventStream, Room } from '../../../sdk/src/index.js';
import { LISTENER_SAMPLE } from '../../src/rooms/live-room.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/** A guest room socket that records every message the server sends it after its join reply. */
class Seat {
  readonly pushes: any[] = [];
  joined: any;
  private constructor(private readonly ws: WebSocket) {}

  static async join(url: string, token: string): Promise<Seat> {
    const ws = new WebSocket(url.replace('http', 'ws') + '/api/rooms/ws');
    const seat = new Seat(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString());
        if (m.kind === 'hello') return ws.send(JSON.stringify({ kind: 'room.join', ref: 'join', token }));
        if (m.ref === 'join') {
          if (m.kind === 'error') return reject(new Error(`${m.code}: ${m.message}`));
          seat.joined = m;
          return resolve();
        }
        if (seat.joined) seat.pushes.push(m);
      });
    });
    return seat;
  }

  request(message: object): void {
    this.ws.send(JSON.stringify(message));
  }

  of(kind: string): any[] {
    return this.pushes.filter((m) => m.kind === kind);
  }

  lastListenerCount(): number | undefined {
    return this.of('room.listeners').at(-1)?.count;
  }

  close(): void {
    this.ws.close();
  }
}

const LISTENERS = 60;

for (const backend of BACKENDS) {
  describe(`room signalling scales with the audience (${backend.name})`, () => {
    let s: TestServer;
    let agent: string;
    let roomId: string;
    const seats: Seat[] = [];
    const token = async (role: string, name: string) =>
      (await s.api('POST', `/api/rooms/${roomId}/tokens`, { cookie: agent, body: { role, name } })).body.token as string;
    const seat = async (role: string, name: string) => {
      const st = await Seat.join(s.url, await token(role, name));
      seats.push(st);
      return st;
    };

    before(async () => {
      s = await startTestServer({ backend, config: { sipEnabled: false } });
      agent = await s.login('agent@acme.test');
      roomId = (await s.api('POST', '/api/rooms', { cookie: agent, body: { name: 'Big room', maxParticipants: 200 } })).body.id;
    });
    after(async () => {
      for (const st of seats) st.close();
      await s.destroy();
    });

    test(`${LISTENERS} listener joins cost O(N) pushes; a late joiner gets the full state; deltas follow mutes and leaves`, async () => {
      const host = await seat('host', 'Hana');
      const speaker = await seat('speaker', 'Sam');
      assert.deepEqual(speaker.joined.participants.map((p: any) => p.name), ['Hana', 'Sam'], 'full state on join');
      await waitFor(() => host.of('room.participant.joined').some((m) => m.participant.name === 'Sam'), 5000, 'host told of the speaker');

      const tokens = await Promise.all(Array.from({ length: LISTENERS }, (_, i) => token('listener', `L${i}`)));
      const started = Date.now();
      const listeners: Seat[] = [];
      for (let i = 0; i < LISTENERS; i += 10) listeners.push(...(await Promise.all(tokens.slice(i, i + 10).map((t) => Seat.join(s.url, t)))));
      seats.push(...listeners);
      const existing = [host, speaker, ...listeners];
      await waitFor(() => existing.every((st) => st.lastListenerCount() === LISTENERS), 10_000, 'every seat told the audience size');
      const elapsed = Date.now() - started;

      // The host moderates the audience: it is told of each listener, once.
      const hostJoins = host.of('room.participant.joined').filter((m) => m.participant.role === 'listener');
      assert.equal(hostJoins.length, LISTENERS);
      assert.equal(new Set(hostJoins.map((m) => m.participant.id)).size, LISTENERS);
      // Nobody else hears of listeners one by one, and no one is sent a snapshot again.
      for (const st of [speaker, ...listeners]) assert.equal(st.of('room.participant.joined').length, 0, 'listener joins are a count for non-hosts');
      for (const st of existing) assert.equal(st.of('room.state').length + st.of('room.joined').length, 0);
      // In total: N deltas to the host plus the throttled counts (≤ 2 per second per seat),
      // far below the N²/2 that a snapshot per join cost.
      const total = existing.reduce((n, st) => n + st.pushes.length, 0) - 1; // the host's "Sam joined"
      const countPushesBound = existing.length * (Math.ceil(elapsed / 500) + 2);
      assert.ok(total <= LISTENERS + countPushesBound, `${total} pushes for ${LISTENERS} joins in ${elapsed} ms`);
      assert.ok(total < (LISTENERS * (LISTENERS - 1)) / 2, `${total} pushes is not O(N)`);
      // A listener's join state names the stage, itself and a capped sample of the audience.
      const last = listeners.at(-1)!.joined;
      assert.equal(last.listenerCount, LISTENERS);
      assert.equal(last.participants.filter((p: any) => p.role === 'listener').length, Math.min(LISTENERS, LISTENER_SAMPLE + 1));
      assert.ok(last.participants.some((p: any) => p.id === last.participantId), 'the joiner is in its own state');

      // A stage change reaches everyone, once each, as a delta.
      host.request({ kind: 'room.mute', ref: 'm', participantId: host.joined.participantId, targetId: speaker.joined.participantId, muted: true });
      const mutedDelta = (st: Seat) => st.of('room.participant.updated').some((m) => m.participant.id === speaker.joined.participantId && m.participant.muted);
      await waitFor(() => existing.every(mutedDelta), 5000, 'mute delta to every seat');

      // A late joiner gets the full state: stage with its current flags, the audience size.
      const late = await seat('listener', 'Late');
      const stage = late.joined.participants.filter((p: any) => p.role !== 'listener');
      assert.deepEqual(stage.map((p: any) => [p.name, p.role, p.muted]), [['Hana', 'host', false], ['Sam', 'speaker', true]]);
      assert.equal(late.joined.listenerCount, LISTENERS + 1);
      assert.equal(late.joined.participants.filter((p: any) => p.role === 'listener').length, LISTENER_SAMPLE + 1);
      // A late host gets every listener: it moderates them.
      const lateHost = await seat('host', 'Hugo');
      assert.equal(lateHost.joined.participants.filter((p: any) => p.role === 'listener').length, LISTENERS + 1);
      await waitFor(() => existing.every((st) => st.of('room.participant.joined').some((m) => m.participant.name === 'Hugo')), 5000, 'a host joining is on stage for all');

      // A listener leaving: hosts are told, others see the count drop.
      listeners[0].request({ kind: 'room.leave', ref: 'l', participantId: listeners[0].joined.participantId });
      await waitFor(() => host.of('room.participant.left').some((m) => m.participantId === listeners[0].joined.participantId), 5000, 'host told of the leave');
      // It was one of the named few: their new list comes with the count.
      const gone = listeners[0].joined.participantId;
      const latest = () => speaker.of('room.listeners').filter((m) => m.sample).at(-1);
      await waitFor(() => latest()?.count === LISTENERS && !latest().sample.some((p: any) => p.id === gone), 5000, 'count and named few after the leave');
      assert.equal(latest().sample.length, LISTENER_SAMPLE);
      assert.equal(speaker.of('room.participant.left').length, 0);

      // The REST list stays complete, whole or in pages that do not skip anyone.
      const list = await s.api('GET', `/api/rooms/${roomId}/participants`, { cookie: agent });
      assert.equal(list.body.items.length, 3 + LISTENERS);
      assert.equal(list.body.nextCursor, null);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await s.api('GET', `/api/rooms/${roomId}/participants?limit=25${cursor ? `&cursor=${cursor}` : ''}`, { cookie: agent });
        assert.equal(page.status, 200);
        paged.push(...page.body.items.map((p: any) => p.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.deepEqual(paged, list.body.items.map((p: any) => p.id));
      // Bad paging input: a 400 naming the fields.
      const bad = await s.api('GET', `/api/rooms/${roomId}/participants?limit=0&cursor=abc`, { cookie: agent });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body.fields.map((f: { path: string }) => f.path).sort(), ['querystring.cursor', 'querystring.limit']);
    });

    test('the SDK Room keeps its participants and listener count from the deltas', async () => {
      const room2 = (await s.api('POST', '/api/rooms', { cookie: agent, body: { name: 'SDK room', maxParticipants: 50 } })).body.id;
      const mint = async (role: string, name: string) => (await s.api('POST', `/api/rooms/${room2}/tokens`, { cookie: agent, body: { role, name } })).body.token as string;
      const channel = () => new EventStream({ connect: () => new WebSocket(s.url.replace('http', 'ws') + '/api/rooms/ws') as never });
      const hostCh = channel();
      const listenerCh = channel();
      try {
        const host = new Room(hostCh, { autoSubscribe: false });
        const listener = new Room(listenerCh, { autoSubscribe: false });
        await host.join(await mint('host', 'Hana'));
        await listener.join(await mint('listener', 'Lee'));
        assert.deepEqual(listener.participants.map((p) => p.name), ['Hana', 'Lee']);
        const others = await Promise.all(Array.from({ length: 3 }, async (_, i) => {
          const st = await Seat.join(s.url, await mint('listener', `O${i}`));
          seats.push(st);
          return st;
        }));
        const speaker = await Seat.join(s.url, await mint('speaker', 'Sam'));
        seats.push(speaker);
        await waitFor(() => host.participants.length === 6 && host.listenerCount === 4, 5000, 'host list from deltas');
        await waitFor(() => listener.listenerCount === 4 && listener.participants.some((p) => p.name === 'Sam'), 5000, 'listener count and stage from deltas');
        assert.deepEqual(listener.participants.filter((p) => p.role === 'listener').map((p) => p.name).sort(), ['Lee', 'O0', 'O1', 'O2']);

        speaker.close();
        others[0].close();
        await waitFor(() => host.participants.length === 4 && host.listenerCount === 3, 5000, 'host list after leaves');
        await waitFor(() => !listener.participants.some((p) => p.name === 'Sam' || p.name === 'O0') && listener.listenerCount === 3, 5000, 'listener list after leaves');
      } finally {
        hostCh.close();
        listenerCh.close();
      }
    });
  });
}
