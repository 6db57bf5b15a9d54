import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { heardFiles, startBaresip, toneShare, type Baresip } from '../helpers/baresip.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/** Three baresip softphones, each sending its own tone, joined into one conference through the API. */
describe('conferences', () => {
  let s: TestServer;
  let cookie: string;
  let port: number;
  const events: AnyEvent[] = [];
  const phones: Baresip[] = [];

  before(async () => {
    s = await startTestServer();
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    cookie = await s.login('admin@acme.test');
    await s.ctx.bus.subscribe({ types: ['call.', 'conference.'] }, (e) => void events.push(e));
    const flow = (await s.api('POST', '/api/flows', { cookie, body: { name: 'lobby', verbs: [{ verb: 'pause', seconds: 60 }] } })).body;
    assert.equal((await s.api('POST', '/api/numbers', { cookie, body: { number: 'lobby', flowId: flow.id } })).status, 201);
  });
  after(async () => {
    for (const p of phones) p.kill();
    await s?.destroy();
  });

  test('unknown calls and non-members are refused without opening a room', async () => {
    const unknown = await s.api('POST', '/api/conferences/team/join', { cookie, body: { callId: 'call_00000000000000000000000000' } });
    assert.equal(unknown.status, 404);
    const bad = await s.api('POST', '/api/conferences/Team!/join', { cookie, body: { callId: 'x' } });
    assert.equal(bad.status, 400);
    assert.equal((await s.api('GET', '/api/conferences/team', { cookie })).status, 404);
  });

  test('each of three callers hears the other two and not itself', async () => {
    const tones = [600, 1000, 1400];
    for (const toneHz of tones) {
      phones.push(startBaresip({ account: `<sip:conf${toneHz}@127.0.0.1>;regint=0`, commands: [`/dial sip:lobby@127.0.0.1:${port}`], seconds: 9, toneHz }));
    }
    const answered = () => events.filter((e) => e.type === 'call.answered').map((e) => (e.data as { callId: string }).callId);
    await waitFor(() => answered().length === 3, 8000, 'three answered calls');
    const callIds = answered();

    for (const callId of callIds) {
      const r = await s.api('POST', '/api/conferences/team/join', { cookie, body: { callId } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const room = (await s.api('GET', '/api/conferences/team', { cookie })).body;
    assert.deepEqual(room.members.map((m: { callId: string }) => m.callId).sort(), [...callIds].sort());
    assert.equal(events.filter((e) => e.type === 'conference.joined').length, 3);
    const muted = (await s.api('POST', '/api/conferences/team/mute', { cookie, body: { callId: callIds[0], muted: true } })).body;
    assert.equal(muted.members.find((m: { callId: string }) => m.callId === callIds[0]).muted, true);
    assert.equal((await s.api('POST', '/api/conferences/team/mute', { cookie, body: { callId: callIds[0], muted: false } })).status, 200);

    const results = await Promise.all(phones.map((p) => p.done));
    await waitFor(() => events.filter((e) => e.type === 'conference.left').length === 3, 5000, 'members leave when they hang up');
    assert.equal((await s.api('GET', '/api/conferences/team', { cookie })).status, 404, 'the empty room is gone');

    for (const [i, phone] of phones.entries()) {
      const [heard] = heardFiles(phone.recordings);
      assert.ok(heard, `phone ${tones[i]} recorded its call: ${results[i].stdout.slice(-500)}`);
      const share = async (hz: number) => (await toneShare(heard, hz)).share;
      const own = await share(tones[i]);
      const others = await Promise.all(tones.filter((_, j) => j !== i).map(share));
      for (const o of others) assert.ok(o > 0.3, `phone ${tones[i]} hears the others: ${others.map((x) => x.toFixed(2))}`);
      assert.ok(own < 0.05, `phone ${tones[i]} does not hear itself: ${own.toFixed(3)}`);
    }
  });
});
