import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { signIn } from '../helpers/chromium.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const SHOTS = process.env.CALLSIGHT_SCREENSHOTS;

/** The admin Access section in a real browser: the calling policy, internal addresses and sign-in locks. */
describe('admin access in Chromium', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let cookie: string;

  before(async () => {
    rig = await startBrowserRig({ apps: ['admin/index.html'], server: { config: { sipEnabled: false } } });
    s = rig.s;
    cookie = await s.login('admin@acme.test');
  });
  after(() => rig?.close());

  async function openAccess(viewport = { width: 1440, height: 900 }): Promise<Page> {
    const page = await rig.open('/admin/#access', { as: 'admin@acme.test', timeout: 5000, context: { viewport } });
    await page.getByTestId('section-access').waitFor();
    return page;
  }

  test('the admin lets one customer call outside numbers and blocks international calls; a bad prefix is explained, not saved', async () => {
    const page = await openAccess();
    const customer = (await s.api('GET', '/api/users?role=customer', { cookie })).body.items[0];
    await page.getByTestId('reach-customer').waitFor();
    assert.equal(await page.getByTestId('reach-customer').inputValue(), 'internal');
    await page.getByTestId('reach-exception-user').selectOption(customer.id);
    await page.getByTestId('reach-exception-add').click();
    await page.getByTestId('block-international').check();
    await page.getByTestId('allowed-prefixes').fill('+1, +44x');
    await page.getByTestId('outbound-save').click();
    const problem = page.locator('[data-testid=outbound-policy] [data-testid=problem]');
    await problem.waitFor();
    assert.match(await problem.innerText(), /“44x” is not a number prefix/);
    if (SHOTS) await problem.screenshot({ path: `${SHOTS}/access-calling-problem.png` });
    assert.deepEqual((await s.api('GET', '/api/outbound-policy', { cookie })).body.users, {}, 'nothing saved');

    await page.getByTestId('allowed-prefixes').fill('+1, +44');
    await page.getByTestId('outbound-save').click();
    await waitFor(async () => (await s.api('GET', '/api/outbound-policy', { cookie })).body.blockInternational === true, 5000, 'the policy saved');
    const saved = (await s.api('GET', '/api/outbound-policy', { cookie })).body;
    assert.deepEqual(saved.users, { [customer.id]: 'external' });
    assert.deepEqual(saved.allowedPrefixes, ['1', '44']);
    assert.match(await page.getByTestId('reach-exception').innerText(), new RegExp(customer.name));
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/access-calling-desktop.png`, fullPage: true });
  });

  test('internal addresses are saved as listed; sign-in locks are shown and cleared', async () => {
    const page = await openAccess();
    await page.getByTestId('access-tab-requests').click();
    await page.getByTestId('egress-allow').fill('10.20.0.0/16\n192.168.1.15');
    await page.getByTestId('egress-save').click();
    await waitFor(async () => (await s.api('GET', '/api/egress-policy', { cookie })).body.allow.length === 2, 5000, 'the allow-list saved');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/access-egress-desktop.png`, fullPage: true });

    for (let i = 0; i < s.config.loginMaxAttempts; i++) await s.api('POST', '/api/auth/login', { body: { email: 'supervisor@acme.test', password: 'wrong-one' } });
    assert.equal((await s.api('POST', '/api/auth/login', { body: { email: 'supervisor@acme.test', password: 'demo' } })).status, 429);
    await page.getByTestId('access-tab-sign-in').click();
    const row = page.getByTestId('lock-row');
    await row.waitFor();
    assert.match(await row.innerText(), /supervisor@acme\.test/);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/access-locks-desktop.png`, fullPage: true });
    await page.getByTestId('lock-clear').click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await s.api('POST', '/api/auth/login', { body: { email: 'supervisor@acme.test', password: 'demo' } })).status, 200);
  });

  test('an open app notices at once when its user is given another role or disabled elsewhere', async () => {
    const email = 'sam2@acme.test';
    const user = (await s.api('POST', '/api/users', { cookie, body: { email, name: 'Sam Second', role: 'supervisor', password: 'password-1' } })).body;
    const page = await rig.open('/admin/#users', { timeout: 5000 });
    await signIn(page, email, 'password-1');
    await page.getByTestId('section-users').waitFor();
    // Another role: the page asks who it is again and shows that /admin is not for customers.
    assert.equal((await s.api('PATCH', `/api/users/${user.id}`, { cookie, body: { role: 'customer' } })).status, 200);
    await page.getByTestId('role-refusal').waitFor();
    // Disabled: back to the sign-in form, without reloading.
    assert.equal((await s.api('PATCH', `/api/users/${user.id}`, { cookie, body: { disabled: true } })).status, 200);
    await page.getByTestId('login-email').waitFor();
  });

  test('on a phone the section fits the screen', async () => {
    const page = await openAccess({ width: 390, height: 844 });
    await page.getByTestId('reach-customer').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/access-calling-phone.png`, fullPage: true });
  });
});
