import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { CallsightRealtimeError, EventStream, Room, type RoomLayout } from '../../../sdk/src/index.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const guestStream = (url: string) => new EventStream({ connect: () => new WebSocket(url.replace('http', 'ws') + '/api/rooms/ws') as never });
const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'no error';
  } catch (e) {
    assert.ok(e instanceof CallsightRealtimeError, String(e));
    return e.code;
  }
};

/** Room signalling carries one layout per video room: hosts set it, the server checks it, everyone gets it. */
describe('spatial layout in room signalling', () => {
  let s: TestServer;
  let agent: string;
  const streams: EventStream[] = [];
  const rooms: Room[] = [];
  before(async () => {
    s = await startTestServer({ config: { sipEnabled: false } });
    agent = await s.login('agent@acme.test');
  });
  after(async () => {
    for (const r of rooms) await r.leave().catch(() => undefined);
    for (const st of streams) st.close();
    await s.destroy();
  });

  async function seat(roomId: string, role: string, name: string): Promise<Room> {
    const token = (await s.api('POST', `/api/rooms/${roomId}/tokens`, { cookie: agent, body: { role, name } })).body.token as string;
    const stream = guestStream(s.url);
    streams.push(stream);
    const room = new Room(stream, { autoSubscribe: false });
    rooms.push(room);
    await room.join(token);
    return room;
  }

  test('a host sets focus on a speaker and app positions; every participant gets the same layout; later joiners get it on joining', async () => {
    const roomId = (await s.api('POST', '/api/rooms', { cookie: agent, body: { name: 'Video call', kind: 'video' } })).body.id as string;
    const host = await seat(roomId, 'host', 'Hana');
    const bea = await seat(roomId, 'speaker', 'Bea');
    assert.deepEqual(host.layout, { mode: 'grid', featured: null, positions: {}, version: 0, by: null }, 'the default layout comes with the join');
    const seen: RoomLayout[] = [];
    bea.on('layout', (l) => seen.push(l));

    const set = await host.setLayout({ mode: 'focus', featured: bea.participantId, positions: { [bea.participantId!]: { azimuth: -40, elevation: 5, distance: 1.5 } } });
    assert.equal(set.version, 1);
    assert.equal(set.by, host.participantId);
    await waitFor(() => seen.length === 1, 5000, 'Bea is told');
    assert.deepEqual(seen[0], set);
    assert.deepEqual(bea.layout, host.layout);

    // setPositions keeps the mode and featured participant.
    const moved = await host.setPositions({ [host.participantId!]: { azimuth: 30, elevation: 0, distance: 1 } });
    assert.equal(moved.mode, 'focus');
    assert.equal(moved.featured, bea.participantId);
    assert.deepEqual(Object.keys(moved.positions), [host.participantId]);

    const late = await seat(roomId, 'speaker', 'Cy');
    assert.deepEqual(late.layout, moved, 'a newcomer starts with the current layout');
  });

  test('bad layouts are refused with a clear error on the socket and nothing is applied', async () => {
    const roomId = (await s.api('POST', '/api/rooms', { cookie: agent, body: { name: 'Strict call', kind: 'video' } })).body.id as string;
    const host = await seat(roomId, 'host', 'Hana');
    const bea = await seat(roomId, 'speaker', 'Bea');
    const pushed: unknown[] = [];
    bea.on('layout', (l) => pushed.push(l));
    const stranger = 'ptc_' + '0'.repeat(26);

    assert.equal(await codeOf(bea.setLayout({ mode: 'focus', featured: bea.participantId })), 'layout_not_allowed', 'a speaker is not a host');
    assert.equal(await codeOf(host.setLayout({ mode: 'focus', featured: stranger })), 'unknown_participant');
    assert.equal(await codeOf(host.setPositions({ [stranger]: { azimuth: 0, elevation: 0, distance: 1 } })), 'unknown_participant');
    for (const bad of [{ azimuth: 181, elevation: 0, distance: 1 }, { azimuth: 0, elevation: -91, distance: 1 }, { azimuth: 0, elevation: 0, distance: 0 }, { azimuth: 'left', elevation: 0, distance: 1 }]) {
      assert.equal(await codeOf(host.setPositions({ [bea.participantId!]: bad as never })), 'validation_failed', JSON.stringify(bad));
    }
    assert.equal(await codeOf(host.setLayout({ mode: 'mosaic' as never })), 'validation_failed');
    // Nothing changed anywhere.
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(pushed, []);
    assert.equal(host.layout!.version, 0);
    assert.equal(bea.layout!.version, 0);

    // An audio room has no tiles.
    const audioId = (await s.api('POST', '/api/rooms', { cookie: agent, body: { name: 'Talk', kind: 'audio' } })).body.id as string;
    const audioHost = await seat(audioId, 'host', 'Hana');
    assert.equal(audioHost.layout, null);
    assert.equal(await codeOf(audioHost.setLayout({ mode: 'grid' })), 'layout_not_supported');
  });
});
