import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { heardFiles, startBaresip, toneShare, type Baresip } from '../helpers/baresip.js';
import { joinRoomSpeakers, startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { pageAudio } from '../helpers/page-audio.js';

interface Participant {
  id: string;
  name: string;
  external: boolean;
  publishing: string[];
}

/**
 * A phone in an Opus room: two browsers speak Opus to each other through the SFU, and
 * baresip (PCMU) dials the room's number. The server decodes both browsers' Opus and
 * mixes them to PCMU for the phone, and encodes the phone's audio to Opus for them.
 */
describe('a SIP phone in an Opus room (baresip ↔ two Chromiums)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let pages: Page[];
  let port: number;
  let agent: string;
  let roomId: string;
  let phone: Baresip | undefined;

  before(async () => {
    rig = await startBrowserRig({ apps: ['rooms/index.html'] });
    s = rig.s;
    port = rig.sipPort();
    agent = await s.login('agent@acme.test');
    const admin = await s.login('admin@acme.test');
    const room = await s.api('POST', '/api/rooms', { cookie: agent, body: { name: 'Opus phone-in' } });
    assert.equal(room.body.audioCodec, 'opus', 'rooms default to Opus');
    roomId = room.body.id;
    const flow = await s.api('POST', '/api/flows', { cookie: admin, body: { name: 'opus-phone-in', verbs: [{ verb: 'room', room: roomId }] } });
    assert.equal(flow.status, 201, JSON.stringify(flow.body));
    assert.equal((await s.api('POST', '/api/numbers', { cookie: admin, body: { number: 'opusroom', flowId: flow.body.id } })).status, 201);
    pages = await joinRoomSpeakers(rig, agent, roomId, [
      ['Alice', 600],
      ['Bob', 800],
    ]);
  });
  after(async () => {
    phone?.kill();
    await rig?.close();
  });

  const participants = async () => (await s.api('GET', `/api/rooms/${roomId}/participants`, { cookie: agent })).body.items as Participant[];

  test('the phone hears both browsers and each browser hears the phone', async () => {
    phone = startBaresip({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;regint=60`, commands: [`/dial sip:opusroom@127.0.0.1:${port}`], seconds: 16, toneHz: 1000 });
    await waitFor(async () => (await participants()).some((p) => p.external && p.publishing.includes('audio')), 10_000, 'the phone in the room');
    const sip = (await participants()).find((p) => p.external)!;
    for (const [i, page] of pages.entries()) {
      await waitFor(() => page.locator(`[data-testid=remote-audio][data-participant="${sip.id}"]`).count().then((n) => n === 1), 10_000, `browser ${i} subscribed to the phone`);
      // Until the tone is there at its level: the first window can catch it as its stream starts.
      const heard = (a: { hz: number; rms: number }) => Math.abs(a.hz - 1000) < 30 && a.rms > 0.01;
      let best = { hz: 0, rms: 0 };
      for (let k = 0; k < 6 && !heard(best); k++) best = await pageAudio(page, '[data-testid=remote-audio]', { data: ['participant', sip.id] });
      assert.ok(heard(best), `browser ${i} hears the phone's 1 kHz tone in Opus (peak ${best.hz.toFixed(0)} Hz, rms ${best.rms.toFixed(3)})`);
    }
    await phone.done;
    const [file] = heardFiles(phone.recordings);
    for (const hz of [600, 800]) {
      const { share } = await toneShare(file, hz, { fromSec: 4 });
      assert.ok(share > 0.1, `baresip hears the ${hz} Hz browser through the room's PCMU mix (share ${share.toFixed(2)})`);
    }
    await waitFor(async () => !(await participants()).some((p) => p.external), 8000, 'the phone left when it hung up');
  });
});
