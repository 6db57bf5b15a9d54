import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { WEB_DIST, launchChromium, requireBrowserAndWeb, signIn, toneWav } from '../helpers/chromium.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { RAW_TEXT, VIEWPORTS, screenshot, seriousA11yViolations } from '../helpers/ui-checks.js';

/**
 * Conversations in the apps, with Chromium speakers: A (an agent in /rooms, desktop)
 * starts one with B (a customer in /phone, phone size), B's app rings and B joins on
 * stage; C (a supervisor in /rooms, phone size) listens from the feed, raises a hand,
 * and A brings C up — C's page shows C speaking without rejoining. A records it: C sees
 * REC and the consent notice; once all leave, the replay is in the feed of /phone.
 */
describe('conversations in /rooms and /phone (Chromium)', () => {
  let s: TestServer;
  let browser: Browser;
  const dir = mkdtempSync(path.join(tmpdir(), 'conversations-'));

  before(async () => {
    requireBrowserAndWeb('rooms/index.html');
    s = await startTestServer({ config: { webDir: WEB_DIST, sipEnabled: false } });
    browser = await launchChromium({ fakeMedia: toneWav(path.join(dir, 'voice.wav'), 520, 60) });
  });
  after(async () => {
    await browser?.close();
    await s?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (app: string, email: string, size: keyof typeof VIEWPORTS): Promise<Page> => {
    const context = await browser.newContext({ viewport: VIEWPORTS[size], permissions: ['microphone'] });
    // Every peer connection the page opens is kept, to count what it receives on.
    await context.addInitScript(() => {
      const Native = window.RTCPeerConnection;
      const pcs: RTCPeerConnection[] = ((window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = []);
      window.RTCPeerConnection = class extends Native {
        constructor(config?: RTCConfiguration) {
          super(config);
          pcs.push(this);
        }
      };
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${s.url}/${app}/`);
    await signIn(page, email);
    await page.getByTestId('conversations').waitFor();
    return page;
  };
  /** Per open connection receiving audio, how many voices arrive on it: [2] is two voices on one connection. */
  const hearing = (page: Page) =>
    page.evaluate(async () => {
      const counts: number[] = [];
      for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
        if (pc.connectionState !== 'connected') continue;
        let voices = 0;
        (await pc.getStats()).forEach((r: { type: string; kind?: string; packetsReceived?: number }) => {
          if (r.type === 'inbound-rtp' && r.kind === 'audio' && (r.packetsReceived ?? 0) > 0) voices++;
        });
        if (voices) counts.push(voices);
      }
      return counts;
    });
  const hears = async (page: Page, expected: number[], what: string) => {
    let last: number[] = [];
    await waitFor(async () => JSON.stringify((last = await hearing(page))) === JSON.stringify(expected), 15_000, what).catch((err: Error) => {
      throw new Error(`${err.message}; voices per connection: ${JSON.stringify(last)}`);
    });
  };
  const checks = async (page: Page, name: string) => {
    await screenshot(page, name);
    assert.doesNotMatch(await page.locator('body').innerText(), RAW_TEXT, `${name}: no raw ids or codes`);
    assert.deepEqual(await seriousA11yViolations(page), [], `${name}: no serious accessibility violations`);
  };

  test('start with a ringing invite, record, listen from the feed under REC, raise a hand, be brought up, replay', async () => {
    const b = await open('phone', 'customer@acme.test', 'phone');
    const a = await open('rooms', 'agent@acme.test', 'desktop');
    await checks(a, 'conversations-home-desktop');

    await a.getByTestId('conversation-topic-input').fill('Spring launch');
    await a.locator('[data-testid=conversation-pick][data-name="Casey Customer"]').check();
    await a.getByTestId('conversation-start-button').click();
    await a.locator('[data-testid=conversation-stage][data-status=live]').waitFor();

    await b.getByTestId('conversation-ring').waitFor();
    await checks(b, 'conversations-ring-phone');
    await b.getByTestId('conversation-accept').click();
    await b.locator('[data-testid=conversation-stage][data-status=live][data-role=speaker]').waitFor();

    const c = await open('rooms', 'supervisor@acme.test', 'phone');
    await c.locator('[data-testid=conversation-card][data-topic="Spring launch"]').waitFor();
    await checks(c, 'conversations-feed-phone');
    await c.locator('[data-testid=conversation-card][data-topic="Spring launch"] [data-testid=conversation-listen]').click();
    await c.locator('[data-testid=conversation-stage][data-status=live][data-role=listener]').waitFor();
    // The speakers' tones reach the server: C's page marks them speaking (the werift test checks each voice is heard apart).
    await c.locator('[data-testid=conversation-speaker][data-name="Casey Customer"][data-speaking=true]').waitFor({ timeout: 20_000 });
    // C hears both speakers on one connection (the stage subscription), and A hears B.
    await hears(c, [2], 'C hears A and B on one connection');
    // How a phone listens in is on the stage: the demo's number 700 and the conversation's code.
    assert.match(await c.getByTestId('conversation-dial-in').innerText(), /call 700, then key \d{3} \d{3} and #/);
    await hears(a, [1], 'A hears B');
    await c.getByTestId('conversation-hand-toggle').click();

    await a.locator('[data-testid=conversation-hand][data-name="Sam Supervisor"]').waitFor();
    await checks(a, 'conversations-stage-hands-desktop');
    await a.locator('[data-testid=conversation-hand][data-name="Sam Supervisor"] [data-testid=conversation-bring-up]').click();
    // C is on stage and heard (the server detects C's tone) on the same page, without rejoining.
    await c.locator('[data-testid=conversation-stage][data-role=speaker]').waitFor();
    await a.locator('[data-testid=conversation-speaker][data-name="Sam Supervisor"][data-speaking=true]').waitFor({ timeout: 20_000 });
    // A hears C on the connection A already had: no one connected for the promotion.
    await hears(a, [2], 'A hears B and C on its one stage connection');
    // A records from here on: C, now speaking, sees REC and the consent notice.
    await a.getByTestId('conversation-record').click();
    await a.getByTestId('conversation-rec').waitFor();
    await c.getByTestId('conversation-consent').waitFor();
    await c.getByTestId('conversation-rec').waitFor();
    await checks(c, 'conversations-stage-phone');

    // All leave: the recording is the replay, listed in /phone with who spoke and how long.
    for (const p of [a, b, c]) await p.getByTestId('conversation-leave').click();
    for (const p of [a, b, c]) await p.context().close();
    const d = await open('phone', 'customer@acme.test', 'desktop');
    const replay = d.locator('[data-testid=conversation-replay][data-topic="Spring launch"]');
    await replay.waitFor();
    const text = await replay.innerText();
    for (const name of ['Alex Agent', 'Casey Customer', 'Sam Supervisor']) assert.ok(text.includes(name), `the replay names ${name}: ${text}`);
    await replay.getByTestId('conversation-replay-open').click();
    await d.waitForFunction(() => {
      const el = document.querySelector<HTMLAudioElement>('[data-testid=conversation-replay-audio]');
      return !!el && el.readyState >= 1 && Number.isFinite(el.duration) && el.duration > 0;
    });
    assert.equal(await replay.getByTestId('conversation-replay-turn').count(), 3, 'skip to each of the three speakers');
    await checks(d, 'conversations-replay-phone-desktop');
    await d.context().close();
  });
});
