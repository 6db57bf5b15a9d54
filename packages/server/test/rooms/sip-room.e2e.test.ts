import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { heardFiles, startBaresip, toneShare, type Baresip } from '../helpers/baresip.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { pageAudio } from '../helpers/page-audio.js';

interface Participant {
  id: string;
  name: string;
  role: string;
  publishing: string[];
  external: boolean;
  callId: string | null;
}

/** What the page plays for one participant. */
const listen = (page: Page, participantId: string) => pageAudio(page, '[data-testid=remote-audio]', { data: ['participant', participantId] });

/**
 * Phones in an audio room: baresip dials a number whose flow is `{verb:'room'}` and a
 * browser in the /rooms app hears it; the phone hears the browser through the room's mix.
 * The API dials a second phone in as a listener: it hears the room and is never heard.
 */
describe('SIP callers in a room (baresip ↔ /rooms in Chromium)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let page: Page;
  let port: number;
  let agent: string;
  let roomId: string;
  const phones: Baresip[] = [];
  const events: AnyEvent[] = [];

  before(async () => {
    rig = await startBrowserRig({ apps: ['rooms/index.html'], events: { types: ['room.', 'call.'], into: events }, microphone: { hz: 600, seconds: 40 } });
    s = rig.s;
    port = rig.sipPort();
    agent = await s.login('agent@acme.test');
    const admin = await s.login('admin@acme.test');
    roomId = (await s.api('POST', '/api/rooms', { cookie: agent, body: { name: 'Phone-in', audioCodec: 'pcmu' } })).body.id;
    const flow = await s.api('POST', '/api/flows', { cookie: admin, body: { name: 'phone-in', verbs: [{ verb: 'room', room: roomId }, { verb: 'say', text: 'You left the room. Goodbye.' }] } });
    assert.equal(flow.status, 201, JSON.stringify(flow.body));
    assert.equal((await s.api('POST', '/api/numbers', { cookie: admin, body: { number: 'phonein', flowId: flow.body.id } })).status, 201);

    const token = (await s.api('POST', `/api/rooms/${roomId}/tokens`, { cookie: agent, body: { role: 'host', name: 'Hosting browser' } })).body.token;
    page = await rig.open(`/rooms/#token=${token}`, { timeout: 10_000 });
    await page.getByTestId('lobby-join').click();
    await page.locator('[data-testid=room-stage][data-status=live]').waitFor();
  });
  after(async () => {
    for (const p of phones) p.kill();
    await rig?.close();
  });

  const participants = async () => (await s.api('GET', `/api/rooms/${roomId}/participants`, { cookie: agent })).body as { items: Participant[]; activeSpeaker: string | null };

  test("baresip dials the room's number: the browser hears its 1 kHz tone, it hears the browser's 600 Hz, it shows as a speaker, and a host mute silences it", async () => {
    const phone = startBaresip({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;regint=60`, commands: [`/dial sip:phonein@127.0.0.1:${port}`], seconds: 16, toneHz: 1000 });
    phones.push(phone);
    await waitFor(async () => (await participants()).items.some((p) => p.external && p.publishing.includes('audio')), 10_000, 'the phone in the room');
    const sip = (await participants()).items.find((p) => p.external)!;
    assert.equal(sip.role, 'speaker');
    assert.match(sip.callId ?? '', /^call_/);
    assert.equal(sip.name, 'agent', 'named after the caller');
    assert.ok(events.some((e) => e.type === 'room.joined' && (e.data as { callId?: string }).callId === sip.callId), 'room.joined links the call');

    await waitFor(() => page.locator(`[data-testid=remote-audio][data-participant="${sip.id}"]`).count().then((n) => n === 1), 10_000, 'the browser subscribed to the phone');
    let best = { hz: 0, rms: 0 };
    for (let i = 0; i < 6 && Math.abs(best.hz - 1000) > 30; i++) best = await listen(page, sip.id);
    assert.ok(Math.abs(best.hz - 1000) < 30 && best.rms > 0.01, `the browser hears the phone's 1 kHz tone (peak ${best.hz.toFixed(0)} Hz, rms ${best.rms.toFixed(3)})`);
    // The phone's RFC 6464 levels reach the active-speaker detector like a browser's.
    await page.locator(`[data-testid=participant-tile][data-name="agent"][data-speaking=true]`).waitFor();
    await page.locator(`[data-testid=participant-tile][data-name="agent"] [data-testid=tile-phone]`).waitFor();

    // Muted by the host (server-side), the phone is heard as silence.
    const muted = await s.api('POST', `/api/rooms/${roomId}/participants/${sip.id}/mute`, { cookie: agent, body: { muted: true } });
    assert.equal(muted.status, 200);
    await page.locator(`[data-testid=participant-tile][data-name="agent"][data-muted=true]`).waitFor();
    let silent = await listen(page, sip.id);
    for (let i = 0; i < 3 && silent.rms > best.rms / 10; i++) silent = await listen(page, sip.id);
    assert.ok(silent.rms < best.rms / 10, `muted, the phone is silent in the room (rms ${best.rms.toFixed(3)} → ${silent.rms.toFixed(4)})`);
    await s.api('POST', `/api/rooms/${roomId}/participants/${sip.id}/mute`, { cookie: agent, body: { muted: false } });

    await phone.done;
    const [file] = heardFiles(phone.recordings);
    const { share } = await toneShare(file, 600);
    assert.ok(share > 0.3, `baresip hears the browser's 600 Hz tone through the room (share ${share.toFixed(2)})`);
    await waitFor(async () => !(await participants()).items.some((p) => p.external), 8000, 'the phone left when it hung up');
    await waitFor(() => events.some((e) => e.type === 'room.left' && (e.data as { participantId: string }).participantId === sip.id), 3000, 'room.left');
  });

  test('POST /api/rooms/{id}/dial brings a phone in as a listener: it hears the room, the room never hears it; a host removal ends its stay', async () => {
    const phone = startBaresip({ account: `<sip:customer@127.0.0.1:${port}>;auth_pass=demo;answermode=auto;regint=60`, seconds: 14, toneHz: 1000 });
    phones.push(phone);
    const admin = await s.login('admin@acme.test');
    const registered = async () => ((await s.api('GET', '/api/sip/accounts', { cookie: admin })).body.items as { username: string; registered: string[] }[]).some((a) => a.username === 'customer' && a.registered.length > 0);
    await waitFor(registered, 8000, 'baresip registered');
    const dialled = await s.api('POST', `/api/rooms/${roomId}/dial`, { cookie: agent, body: { to: 'customer', role: 'listener', name: 'Listening phone' } });
    assert.equal(dialled.status, 201, JSON.stringify(dialled.body));
    await waitFor(async () => (await participants()).items.some((p) => p.name === 'Listening phone'), 10_000, 'the listener in the room');
    const listener = (await participants()).items.find((p) => p.name === 'Listening phone')!;
    assert.equal(listener.role, 'listener');
    assert.deepEqual(listener.publishing, [], 'a listening phone is not published');
    assert.equal(listener.callId, dialled.body.callId);
    await new Promise((r) => setTimeout(r, 3000)); // let the phone hear the room for a while
    assert.equal(await page.locator(`[data-testid=remote-audio][data-participant="${listener.id}"]`).count(), 0, 'nobody can subscribe to a listener');
    assert.equal((await participants()).activeSpeaker === listener.id, false);

    // The host removes it: the call leaves the room and its flow ends the call.
    assert.equal((await s.api('DELETE', `/api/rooms/${roomId}/participants/${listener.id}`, { cookie: agent })).status, 204);
    await waitFor(async () => (await s.api('GET', `/api/calls/${dialled.body.callId}`, { cookie: agent })).body.state === 'ended', 8000, 'the call ended after removal');
    await phone.done;
    const [file] = heardFiles(phone.recordings);
    const { share } = await toneShare(file, 600);
    assert.ok(share > 0.3, `the listening phone heard the browser (share ${share.toFixed(2)})`);
  });
});
