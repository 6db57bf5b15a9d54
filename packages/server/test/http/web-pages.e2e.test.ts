import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { signIn } from '../helpers/chromium.js';
import type { TestServer } from '../helpers/test-server.js';
import { RAW_TEXT, VIEWPORTS, screenshot, seriousA11yViolations, type ViewportName } from '../helpers/ui-checks.js';

/**
 * Every app as a person first meets it, at phone and desktop size: the landing
 * page (what is not built yet, the demo logins), an HTML 404 for a mistyped
 * address, a proper page for a dead call link, each app's sign-in with
 * show-password and its main screen — each scanned by axe-core.
 */
describe('web pages at phone and desktop size (Chromium, axe-core)', () => {
  let rig: BrowserRig;
  let s: TestServer;

  before(async () => {
    rig = await startBrowserRig({ apps: ['index.html'], microphone: true });
    s = rig.s;
  });
  after(() => rig?.close());

  const page = (size: ViewportName): Promise<Page> => rig.page({ context: { viewport: VIEWPORTS[size] } });
  const noSerious = async (p: Page, what: string) => assert.deepEqual(await seriousA11yViolations(p), [], `${what}: no serious accessibility violations`);

  test('API routes keep problem+json; page loads get HTML 404 and dead call links a page', async () => {
    const api = await fetch(`${s.url}/api/nope`, { headers: { accept: 'text/html' } });
    assert.equal(api.status, 404);
    assert.match(api.headers.get('content-type')!, /application\/problem\+json/);
    const pageLoad = await fetch(`${s.url}/nope`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    assert.equal(pageLoad.status, 404);
    assert.match(pageLoad.headers.get('content-type')!, /text\/html/);
    assert.match(await pageLoad.text(), /Page not found/);
    const fetchClient = await fetch(`${s.url}/nope`);
    assert.match(fetchClient.headers.get('content-type')!, /application\/problem\+json/, 'a client that does not ask for HTML gets problem+json');
    const link = await fetch(`${s.url}/b/not-a-token`, { headers: { accept: 'text/html' } });
    assert.equal(link.status, 410);
    assert.match(await link.text(), /This link has expired/);
    const linkApi = await fetch(`${s.url}/b/not-a-token`);
    assert.equal(linkApi.status, 410);
    assert.equal((await linkApi.json()).code, 'link_invalid');
  });

  for (const size of ['phone', 'desktop'] as const) {
    test(`${size}: the landing page marks what is not built, shows the demo logins and links the chat demo`, async () => {
      const p = await page(size);
      await p.goto(`${s.url}/`);
      await p.getByTestId('demo-logins').waitFor();
      const text = await p.getByTestId('demo-logins').innerText();
      for (const email of ['admin@acme.test', 'agent@acme.test', 'customer@acme.test']) assert.match(text, new RegExp(email));
      assert.match(text, /password is demo/);
      assert.ok((await p.getByTestId('not-built').count()) >= 3, 'capabilities not built yet are marked');
      assert.equal(await p.locator('a[href="/chat/demo.html"]').count(), 1);
      await screenshot(p, `landing-${size}`, { fullPage: true });
      await noSerious(p, 'landing');

      await p.goto(`${s.url}/no-such-page`);
      await p.getByTestId('not-found').waitFor();
      await screenshot(p, `not-found-${size}`);
      await noSerious(p, '404 page');
      await p.context().close();
    });

    test(`${size}: each app's sign-in shows the password on request, and its main screen passes axe`, async () => {
      const apps = [
        { app: 'phone', email: 'customer@acme.test', ready: 'softphone' },
        { app: 'agent', email: 'agent@acme.test', ready: 'softphone' },
        { app: 'admin', email: 'admin@acme.test', ready: 'current-user' },
        { app: 'rooms', email: 'agent@acme.test', ready: 'current-user' },
      ];
      for (const { app, email, ready } of apps) {
        const p = await page(size);
        await p.goto(`${s.url}/${app}/`);
        const password = p.getByTestId('login-password');
        await password.fill('demo');
        assert.equal(await password.getAttribute('type'), 'password');
        await p.getByTestId('login-password-show').click();
        assert.equal(await password.getAttribute('type'), 'text', 'show password reveals it');
        if (app === 'phone') await screenshot(p, `login-${size}`);
        await noSerious(p, `${app} sign-in`);
        await signIn(p, email);
        await p.getByTestId(ready).first().waitFor();
        await p.waitForLoadState('networkidle').catch(() => undefined);
        await screenshot(p, `${app}-home-${size}`, { fullPage: true });
        const shown = await p.locator('body').innerText();
        assert.doesNotMatch(shown, RAW_TEXT, `${app}: no raw ids, codes or JSON on screen`);
        await noSerious(p, `${app} main screen`);
        await p.context().close();
      }
    });
  }
});
