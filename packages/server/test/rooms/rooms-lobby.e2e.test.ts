import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WEB_DIST, launchChromium, requireBrowserAndWeb, signIn, toneWav } from '../helpers/chromium.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { RAW_TEXT, VIEWPORTS, screenshot, seriousA11yViolations } from '../helpers/ui-checks.js';
import { waitFor } from '../helpers/wait.js';

/**
 * /rooms before and while joining, at phone and desktop size: a guest's link shows
 * the room's name and lets them choose what they are called; speakers pick a
 * microphone and see its level first; only the room's creator or a supervisor may
 * host; a speaker on stage is clearly marked speaking.
 */
describe('/rooms lobby, hosts and speaking (Chromium)', () => {
  let s: TestServer;
  let browser: Browser;
  let agent: string;
  let supervisor: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'rooms-lobby-'));

  before(async () => {
    requireBrowserAndWeb('rooms/index.html');
    s = await startTestServer({ config: { webDir: WEB_DIST, sipEnabled: false } });
    // A steady tone as the microphone: the level meter moves and the speaker is detected throughout.
    browser = await launchChromium({ fakeMedia: toneWav(path.join(dir, 'voice.wav'), 440, 60) });
    agent = await s.login('agent@acme.test');
    supervisor = await s.login('supervisor@acme.test');
  });
  after(async () => {
    await browser?.close();
    await s?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const noSerious = async (p: Page, what: string) => assert.deepEqual(await seriousA11yViolations(p), [], `${what}: no serious accessibility violations`);

  test("an agent cannot host a supervisor's room (API and app); its creator can", async () => {
    const room = (await s.api('POST', '/api/rooms', { cookie: supervisor, body: { name: 'Supervisors only', kind: 'audio' } })).body;
    const refused = await s.api('POST', `/api/rooms/${room.id}/tokens`, { cookie: agent, body: { role: 'host' } });
    assert.equal(refused.status, 403);
    assert.equal((await s.api('POST', `/api/rooms/${room.id}/tokens`, { cookie: agent, body: { role: 'speaker' } })).status, 201);
    assert.equal((await s.api('POST', `/api/rooms/${room.id}/tokens`, { cookie: supervisor, body: { role: 'host' } })).status, 201);
    const page = await (await browser.newContext({ viewport: VIEWPORTS.desktop })).newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`${s.url}/rooms/`);
    await signIn(page, 'agent@acme.test');
    const row = page.locator('[data-testid=room-row][data-room="Supervisors only"]');
    await row.waitFor();
    assert.equal(await row.getByTestId('join-host').count(), 0, 'no Host button for an agent in a supervisor’s room');
    assert.equal(await row.getByTestId('join-speaker').count(), 1);
    await page.context().close();
  });

  for (const size of ['phone', 'desktop'] as const) {
    test(`${size}: a guest link shows the room's name, the guest picks a name and a microphone, and speaking is marked`, async () => {
      const room = (await s.api('POST', '/api/rooms', { cookie: agent, body: { name: `Town hall ${size}`, kind: 'audio' } })).body;
      const { token } = (await s.api('POST', `/api/rooms/${room.id}/tokens`, { cookie: agent, body: { role: 'speaker' } })).body;
      const page = await (await browser.newContext({ viewport: VIEWPORTS[size] })).newPage();
      page.setDefaultTimeout(8000);
      await page.goto(`${s.url}/rooms/#token=${token}`);
      await page.getByTestId('room-lobby').waitFor();
      assert.equal(await page.getByTestId('lobby-room-name').innerText(), `Town hall ${size}`);
      await page.getByTestId('lobby-name').fill('Gina Guest');
      // The tone on the microphone moves the meter.
      await waitFor(async () => Number(await page.getByTestId('lobby-mic-level').getAttribute('data-level')) > 0.01, 15_000, 'the microphone level moves');
      assert.ok((await page.getByTestId('lobby-mic').locator('option').count()) >= 1);
      await screenshot(page, `rooms-lobby-${size}`);
      await noSerious(page, 'rooms lobby');
      await page.getByTestId('lobby-join').click();
      await page.locator('[data-testid=room-stage][data-status=live]').waitFor();
      assert.equal(await page.getByTestId('room-title').innerText(), `Town hall ${size}`);
      const me = page.locator('[data-testid=participant-tile][data-name="Gina Guest"]');
      await me.waitFor();
      const listed = (await s.api('GET', `/api/rooms/${room.id}/participants`, { cookie: agent })).body.items;
      assert.deepEqual(listed.map((p: { name: string }) => p.name), ['Gina Guest'], 'the chosen name is the one everyone sees');
      // The tone makes the guest a speaker the server detects (RFC 6464 levels).
      await page.locator('[data-testid=participant-tile][data-name="Gina Guest"][data-speaking=true] [data-testid=tile-speaking]').waitFor({ timeout: 20_000 });
      await screenshot(page, `rooms-stage-speaking-${size}`);
      assert.doesNotMatch(await page.locator('body').innerText(), RAW_TEXT);
      await noSerious(page, 'room stage');
      await page.getByTestId('leave-room').click();
      await page.context().close();
    });
  }
});
