import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { BACKENDS } from '../helpers/backends.js';
import { callScenario, runSipp, SIPP_PCAPS } from '../helpers/sipp.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

for (const backend of BACKENDS) {
  describe(`phone calls in rooms (${backend.name})`, () => {
    let s: TestServer;
    let agent: string;
    let admin: string;
    let port: number;
    const events: AnyEvent[] = [];

    before(async () => {
      s = await startTestServer({ backend });
      port = s.ctx.services.get('telephony').endpoint.ports.udp;
      agent = await s.login('agent@acme.test');
      admin = await s.login('admin@acme.test');
      await s.ctx.bus.subscribe({ types: ['room.', 'call.'] }, (e) => void events.push(e));
    });
    after(() => s?.destroy());

    const callCount = async () => (await s.api('GET', '/api/calls', { cookie: admin })).body.items.length as number;

    test('bad dial requests are refused clearly and nothing rings', async () => {
      const opus = (await s.api('POST', '/api/rooms', { cookie: agent, body: { name: 'Browsers only' } })).body;
      const pcmu = (await s.api('POST', '/api/rooms', { cookie: agent, body: { name: 'Phones welcome', audioCodec: 'pcmu' } })).body;
      const before = await callCount();

      // An Opus room takes phones too (the server transcodes): the dial gets as far as the target.
      const toOpusRoom = await s.api('POST', `/api/rooms/${opus.id}/dial`, { cookie: agent, body: { to: 'customer' } });
      assert.equal(toOpusRoom.status, 404, JSON.stringify(toOpusRoom.body));
      assert.equal(toOpusRoom.body.code, 'target_unreachable');
      const badRole = await s.api('POST', `/api/rooms/${pcmu.id}/dial`, { cookie: agent, body: { to: 'customer', role: 'host' } });
      assert.equal(badRole.status, 400);
      assert.deepEqual(badRole.body.fields.map((f: { path: string }) => f.path), ['body.role']);
      const unknownRoom = await s.api('POST', '/api/rooms/room_00000000000000000000000000/dial', { cookie: agent, body: { to: 'customer' } });
      assert.equal(unknownRoom.status, 404);
      const unreachable = await s.api('POST', `/api/rooms/${pcmu.id}/dial`, { cookie: agent, body: { to: 'customer' } });
      assert.equal(unreachable.status, 404, 'nobody registered as customer');
      assert.equal(unreachable.body.code, 'target_unreachable');
      const customer = await s.login('customer@acme.test');
      assert.equal((await s.api('POST', `/api/rooms/${pcmu.id}/dial`, { cookie: customer, body: { to: 'agent' } })).status, 403);

      assert.equal(await callCount(), before, 'no call was created');
      assert.equal((await s.api('GET', `/api/rooms/${pcmu.id}/participants`, { cookie: agent })).body.items.length, 0);
      const badVerb = await s.api('POST', '/api/flows', { cookie: admin, body: { name: 'broken-room', verbs: [{ verb: 'room', role: 'host' }] } });
      assert.equal(badVerb.status, 400);
      assert.ok(badVerb.body.fields.some((f: { path: string }) => f.path.startsWith('body.verbs.0')), JSON.stringify(badVerb.body.fields));
    });

    test('sipp calls the demo number "room": it joins the Lobby as a published speaker and leaves when it hangs up', async () => {
      const from = events.length;
      const r = await runSipp({ scenario: callScenario({ pcap: `${SIPP_PCAPS}/g711a.pcap`, pauseMs: 500, waitMs: 4000 }), port, service: 'room', timeoutSec: 20 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const mine = () => events.slice(from);
      const joined = mine().find((e) => e.type === 'room.joined');
      assert.ok(joined, 'room.joined');
      const data = joined.data as { roomId: string; participantId: string; role: string; callId?: string };
      assert.equal(data.role, 'speaker');
      assert.match(data.callId ?? '', /^call_/);
      const lobby = (await s.api('GET', '/api/rooms', { cookie: agent })).body.items.find((room: { name: string }) => room.name === 'Lobby');
      assert.equal(lobby?.id, data.roomId, 'the demo flow opened the Lobby');
      assert.equal(lobby.audioCodec, 'pcmu');
      assert.ok(mine().some((e) => e.type === 'room.published' && (e.data as { participantId: string }).participantId === data.participantId));
      await waitFor(() => mine().some((e) => e.type === 'room.left' && (e.data as { participantId: string }).participantId === data.participantId), 5000, 'room.left');
      await waitFor(() => mine().some((e) => e.type === 'call.ended' && (e.data as { callId: string }).callId === data.callId), 5000, 'call.ended');
    });
  });
}
