import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { openSoftphone } from '../helpers/chromium.js';
import type { TestServer } from '../helpers/test-server.js';
import { RAW_TEXT, VIEWPORTS, screenshot, seriousA11yViolations } from '../helpers/ui-checks.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The brand a call rang with stays with it: Acme Bank's verified call keeps its
 * logo, name, badge and reason on the call screen once answered (with a timer and
 * the call controls), and in Recent after it ended — never only the number.
 */
describe('/phone: a verified brand stays through the call and in Recent (Chromium)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let browser: Browser;
  let admin: string;

  before(async () => {
    rig = await startBrowserRig({ apps: ['phone/index.html'], microphone: true });
    ({ s, browser } = rig);
    admin = await s.login('admin@acme.test');
  });
  after(() => rig?.close());

  const inState = (p: Page, state: string) => waitFor(async () => (await p.getByTestId('softphone').getAttribute('data-state')) === state, 8000, state);

  for (const size of ['phone', 'desktop'] as const) {
    test(`${size}: answered, the call screen shows the brand, reason, timer and controls; Recent keeps the brand`, async () => {
      const page = await (await browser.newContext({ viewport: VIEWPORTS[size] })).newPage();
      page.setDefaultTimeout(8000);
      await openSoftphone(page, `${s.url}/phone/`, 'customer@acme.test');

      const call = await s.api('POST', '/api/calls', { cookie: admin, body: { to: '+15550100', from: '+15550199', reason: 'Card delivery' } });
      assert.equal(call.status, 201, JSON.stringify(call.body));
      await page.getByTestId('lockscreen-verified').waitFor();
      await page.getByTestId('lockscreen-accept').click();
      await inState(page, 'answered');

      const screen = page.getByTestId('call-screen');
      assert.match(await page.getByTestId('call-remote-name').innerText(), /Acme Bank/);
      await page.getByTestId('call-verified').waitFor();
      assert.equal(await page.getByTestId('call-reason').innerText(), 'Card delivery');
      assert.ok(await page.getByTestId('call-brand-logo').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the logo stays on the call screen');
      for (const control of ['mute', 'keypad', 'speaker', 'hold', 'hangup']) assert.ok(await screen.getByTestId(control).isVisible(), `${control} is on the call screen`);
      await waitFor(async () => (await page.getByTestId('call-timer').innerText()) !== '0:00', 4000, 'the timer runs');
      // The chat launcher yields to the call.
      const launcher = page.getByTestId('chat-launcher');
      if (await launcher.count()) assert.equal(await launcher.isVisible(), false);
      await screenshot(page, `phone-branded-call-${size}`);
      assert.deepEqual(await seriousA11yViolations(page), [], 'the call screen has no serious accessibility violations');

      await page.getByTestId('hold').click();
      await inState(page, 'held');
      assert.equal(await page.getByTestId('hold').getAttribute('aria-pressed'), 'true');
      await page.getByTestId('hold').click();
      await inState(page, 'answered');

      await page.getByTestId('hangup').click();
      await inState(page, 'ended');
      const recent = page.locator('[data-testid=history-row] [data-testid=recent-peer][data-verified=true]').first();
      await recent.waitFor();
      assert.match(await recent.innerText(), /Acme Bank[\s\S]*Card delivery/);
      const shown = await page.getByTestId('softphone').innerText();
      assert.doesNotMatch(shown, RAW_TEXT, 'no raw codes after the call');
      await screenshot(page, `phone-recent-branded-${size}`, { fullPage: true });
      await page.context().close();
    });
  }

  test('in a background tab, a ringing branded call raises a notification with the brand name, reason and logo', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.phone });
    await context.grantPermissions(['notifications']);
    // The tab as if in the background, and every notification the page raises recorded.
    // (A string, not a function: the test transpiler's helpers do not exist in the page.)
    await context.addInitScript(`
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      window.shownNotifications = [];
      const record = (title, o) => window.shownNotifications.push({ title, body: o && o.body, icon: o && o.icon });
      if (window.ServiceWorkerRegistration) ServiceWorkerRegistration.prototype.showNotification = async (title, o) => record(title, o);
      function Recorded(title, o) { record(title, o); }
      Recorded.permission = 'granted';
      Recorded.requestPermission = async () => 'granted';
      Recorded.prototype.close = () => {};
      Object.defineProperty(window, 'Notification', { configurable: true, value: Recorded });
    `);
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    await openSoftphone(page, `${s.url}/phone/`, 'customer@acme.test');
    const call = await s.api('POST', '/api/calls', { cookie: admin, body: { to: '+15550100', from: '+15550199', reason: 'Card delivery' } });
    assert.equal(call.status, 201, JSON.stringify(call.body));
    await page.getByTestId('lockscreen-verified').waitFor();
    type Shown = { title: string; body?: string; icon?: string };
    await waitFor(async () => (await page.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications.length)) > 0, 5000, 'a notification');
    const [note] = await page.evaluate(() => (window as unknown as { shownNotifications: Shown[] }).shownNotifications);
    assert.match(note!.title, /Acme Bank/);
    assert.equal(note!.body, 'Card delivery');
    assert.equal(note!.icon, await page.getByTestId('lockscreen-logo').getAttribute('src'), 'the brand logo as the icon');
    await page.getByTestId('lockscreen-decline').click();
    await waitFor(async () => (await s.api('GET', `/api/calls/${call.body.id}`, { cookie: admin })).body.state === 'ended', 5000, 'declined');
    await context.close();
  });
});
