import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { pageAudio } from '../helpers/page-audio.js';
import { signIn } from '../helpers/chromium.js';

/** What the page plays for one participant, by name. */
const listen = (page: Page, participantName: string) => pageAudio(page, '[data-testid=remote-audio]', { data: ['participantName', participantName] });

/** Two speakers and a listener in real Chromium instances, each microphone a known tone. */
describe('rooms in Chromium: speakers hear each other, listeners listen, the host mutes', () => {
  let rig: BrowserRig;
  let s: TestServer;

  before(async () => {
    // The rig's first Chromium is the host's (440 Hz).
    rig = await startBrowserRig({ apps: ['rooms/index.html'], server: { config: { sipEnabled: false } }, microphone: { hz: 440, seconds: 20 } });
    s = rig.s;
  });
  after(() => rig?.close());

  /** One Chromium per participant: the fake microphone file is a browser-wide flag. */
  async function browserWithTone(hz: number, appPath: string): Promise<Page> {
    const browser = hz === 440 ? rig.browser : await rig.launch({ hz, seconds: 20 });
    return rig.open(appPath, { browser, beforeLoad: (page) => page.on('pageerror', (e) => console.error(`[${hz} Hz page]`, e)) });
  }

  test('A (440 Hz) and B (880 Hz) hear each other; listener C hears both and cannot speak; host A mutes B → silence', async () => {
    const agent = await s.login('agent@acme.test');
    const room = (await s.api('POST', '/api/rooms', { cookie: agent, body: { name: 'Tone check', kind: 'audio' } })).body;
    const token = async (role: string, name: string) => (await s.api('POST', `/api/rooms/${room.id}/tokens`, { cookie: agent, body: { role, name } })).body.token;

    // A: the signed-in host, through the rooms app.
    const a = await browserWithTone(440, '/rooms/');
    await signIn(a, 'agent@acme.test');
    await a.locator('[data-testid=room-row][data-room="Tone check"] [data-testid=join-host]').click();
    // B and C: guests with links. Everyone passes the lobby (name, microphone) first.
    const b = await browserWithTone(880, `/rooms/#token=${await token('speaker', 'Bea')}`);
    const c = await browserWithTone(1320, `/rooms/#token=${await token('listener', 'Cy')}`);
    for (const p of [a, b, c]) await p.getByTestId('lobby-join').click();

    for (const p of [a, b, c]) await p.locator('[data-testid=room-stage][data-status=live]').waitFor();
    const participants = async () => (await s.api('GET', `/api/rooms/${room.id}/participants`, { cookie: agent })).body.items as { id: string; name: string; role: string; publishing: string[] }[];
    await waitFor(async () => (await participants()).filter((p) => p.publishing.includes('audio')).length === 2, 8000, 'two publishers');
    const byName = Object.fromEntries((await participants()).map((p) => [p.name, p.id]));
    const hostName = (await participants()).find((p) => p.role === 'host')!.name;

    // Each page names its audio elements after the participant they play, for `listen`.
    const label = (p: Page) =>
      p.evaluate((ids) => {
        for (const el of document.querySelectorAll<HTMLAudioElement>('[data-testid=remote-audio]')) {
          const name = Object.entries(ids).find(([, id]) => id === el.dataset.participant)?.[0];
          if (name) el.dataset.participantName = name;
        }
        return document.querySelectorAll('[data-testid=remote-audio]').length;
      }, byName);
    await waitFor(async () => (await label(a)) === 1 && (await label(b)) === 1 && (await label(c)) === 2, 10_000, 'remote audio in every page');

    const aHearsB = await listen(a, 'Bea');
    const bHearsA = await listen(b, hostName);
    const cHearsA = await listen(c, hostName);
    const cHearsB = await listen(c, 'Bea');
    assert.ok(Math.abs(aHearsB.hz - 880) < 15, `A should hear B's 880 Hz, heard ${aHearsB.hz.toFixed(0)} Hz`);
    assert.ok(Math.abs(bHearsA.hz - 440) < 15, `B should hear A's 440 Hz, heard ${bHearsA.hz.toFixed(0)} Hz`);
    assert.ok(Math.abs(cHearsA.hz - 440) < 15 && Math.abs(cHearsB.hz - 880) < 15, `C hears both: ${cHearsA.hz.toFixed(0)} / ${cHearsB.hz.toFixed(0)} Hz`);
    assert.ok(aHearsB.rms > 0.01, `B is audible at A (rms ${aHearsB.rms})`);

    // Speaking indicators light up from RFC 6464 levels.
    await a.locator('[data-testid=participant-tile][data-name="Bea"][data-speaking=true]').waitFor();

    // The listener's attempt to speak is refused by the server, clearly.
    await c.getByTestId('speak').click();
    await c.getByTestId('problem').filter({ hasText: 'listener cannot publish' }).waitFor();
    assert.equal((await participants()).find((p) => p.name === 'Cy')!.publishing.length, 0);

    // Host A mutes B: A hears silence from B, B's tile says muted everywhere.
    await a.locator('[data-testid=participant-tile][data-name="Bea"] [data-testid=tile-mute]').click();
    await b.locator('[data-testid=participant-tile][data-name="Bea"][data-muted=true]').waitFor();
    await new Promise((r) => setTimeout(r, 400));
    const afterMute = await listen(a, 'Bea');
    assert.ok(afterMute.rms < aHearsB.rms / 10, `after mute B's energy at A drops: ${aHearsB.rms.toFixed(3)} → ${afterMute.rms.toFixed(4)}`);
    // ...while B still hears A.
    assert.ok((await listen(b, hostName)).rms > 0.01);
  });
});
