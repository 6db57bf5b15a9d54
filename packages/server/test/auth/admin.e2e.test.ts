import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import type { TestServer } from '../helpers/test-server.js';

/** The admin app in a real browser against a real server: forms, the once-shown API key, and the live event feed. */
describe('admin web app in Chromium', () => {
  let rig: BrowserRig;
  let s: TestServer;

  before(async () => {
    rig = await startBrowserRig({ apps: ['admin/index.html'] });
    s = rig.s;
  });
  after(() => rig?.close());

  const openAdminAs = (email: string): Promise<Page> => rig.open('/admin/', { as: email, timeout: 5000 });

  test('admin creates an agent and an API key, and sees events made with that key live', async () => {
    const page = await openAdminAs('admin@acme.test');

    await page.getByTestId('user-name').fill('Erin Agent');
    await page.getByTestId('user-email').fill('erin@acme.test');
    await page.getByTestId('user-role').selectOption('agent');
    await page.getByTestId('user-password').fill('erin-password');
    await page.getByTestId('user-submit').click();
    await page.locator('[data-testid=user-row][data-email="erin@acme.test"]').waitFor();

    await page.getByTestId('nav-api-keys').click();
    await page.getByTestId('api-key-name').fill('e2e');
    await page.getByTestId('api-key-submit').click();
    const key = await page.getByTestId('new-api-key').inputValue();
    assert.match(key, /^csk_/);

    const users = await s.api('GET', '/api/users', { key });
    assert.equal(users.status, 200);
    assert.ok(users.body.items.some((u: { email: string; role: string }) => u.email === 'erin@acme.test' && u.role === 'agent'));

    await page.getByTestId('nav-events').click();
    await page.locator('[data-testid=feed-status][data-state=live]').waitFor();
    // A reload would clear this marker: the event must arrive over the open WebSocket.
    await page.evaluate(() => Object.assign(window, { e2eMarker: true }));
    const created = await s.api('POST', '/api/users', { key, body: { email: 'live@acme.test', name: 'Live', role: 'customer', password: 'live-password' } });
    assert.equal(created.status, 201);
    await page.locator('[data-testid=feed-event][data-type="user.created"]', { hasText: 'live@acme.test' }).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { e2eMarker?: boolean }).e2eMarker), true);
  });

  test('admin adds a webhook (secret shown once) and a brand; a bad brand number is named and nothing is created', async () => {
    const page = await openAdminAs('admin@acme.test');

    await page.getByTestId('nav-webhooks').click();
    await page.getByTestId('webhook-url').fill('https://example.com/hooks/callsight');
    await page.getByTestId('webhook-types').fill('call., user.created');
    await page.getByTestId('webhook-submit').click();
    assert.match(await page.getByTestId('new-webhook-secret').inputValue(), /\S{20,}/);
    await page.getByTestId('webhook-row').filter({ hasText: 'example.com/hooks/callsight' }).waitFor();

    await page.getByTestId('nav-brands').click();
    const before = (await s.api('GET', '/api/branding/brands', { cookie: await s.login('admin@acme.test') })).body.items.length;
    await page.getByTestId('brand-name').fill('Globex Energy');
    await page.getByTestId('brand-numbers').fill('call me maybe');
    await page.getByTestId('brand-title').fill('Your meter reading');
    await page.getByTestId('brand-submit').click();
    const problem = page.getByTestId('problem');
    await problem.waitFor();
    assert.match(await problem.innerText(), /numbers/);
    assert.equal((await s.api('GET', '/api/branding/brands', { cookie: await s.login('admin@acme.test') })).body.items.length, before);

    await page.getByTestId('brand-numbers').fill('+15550177');
    await page.getByTestId('brand-submit').click();
    await page.locator('[data-testid=brand-row][data-name="Globex Energy"]').waitFor();
    assert.equal(await problem.count(), 0);
  });

  test('a customer is told the admin app is not for them', async () => {
    const page = await openAdminAs('customer@acme.test');
    const refusal = page.getByTestId('role-refusal');
    await refusal.waitFor();
    const text = await refusal.innerText();
    assert.match(text, /This app is for admins and supervisors/);
    assert.match(text, /logged in as customer/);
    assert.equal(await page.getByTestId('users-table').count(), 0);
  });
});
