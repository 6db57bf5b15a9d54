import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { openSoftphone, signIn } from '../helpers/chromium.js';
import type { TestServer } from '../helpers/test-server.js';
import { RAW_TEXT, VIEWPORTS, screenshot, seriousA11yViolations, type ViewportName } from '../helpers/ui-checks.js';
import { waitFor } from '../helpers/wait.js';

/**
 * /admin as full management, at phone and desktop size: users edited, disabled and
 * given a new password; SIP accounts with the server to set a phone up against,
 * edited and removed; calls one row per call with names, live, with the actions
 * their state allows and a running duration; event chips per family.
 */
describe('/admin management (Chromium)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let browser: Browser;
  let admin: string;

  before(async () => {
    rig = await startBrowserRig({ apps: ['admin/index.html'], microphone: true });
    ({ s, browser } = rig);
    admin = await s.login('admin@acme.test');
  });
  after(() => rig?.close());

  async function openAdmin(size: ViewportName, hash: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: VIEWPORTS[size] })).newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`${s.url}/admin/#${hash}`);
    await signIn(page, 'admin@acme.test');
    await page.getByTestId('current-user').waitFor();
    return page;
  }
  /** The page itself never scrolls sideways: wide tables scroll inside their section. */
  const noSidewaysScroll = async (p: Page, what: string) => {
    const width = (await p.evaluate('document.scrollingElement.scrollWidth')) as number;
    assert.ok(width <= p.viewportSize()!.width, `${what}: the page is ${width} px wide on a ${p.viewportSize()!.width} px screen`);
  };
  const noSerious = async (p: Page, what: string) => assert.deepEqual(await seriousA11yViolations(p), [], `${what}: no serious accessibility violations`);

  for (const size of ['phone', 'desktop'] as const) {
    test(`${size}: the Users, Brands and Devices tables do not widen the page`, async () => {
      const page = await openAdmin(size, 'users');
      for (const [section, table] of [['users', 'users-table'], ['brands', 'brands-table'], ['devices', 'section-devices']] as const) {
        await page.getByTestId(`nav-${section}`).click();
        await page.getByTestId(table).waitFor();
        await noSidewaysScroll(page, section);
      }
      await page.context().close();
    });

    test(`${size}: users are edited, disabled, re-enabled and given a new password`, async () => {
      const email = `staff-${size}@acme.test`;
      const created = await s.api('POST', '/api/users', { cookie: admin, body: { email, name: 'Temp Staff', role: 'agent', password: 'initial-pass' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const page = await openAdmin(size, 'users');
      await page.getByTestId('nav-users').click();
      const row = page.locator(`[data-testid=user-row][data-email="${email}"]`);
      await row.getByTestId('user-edit').click();
      const editor = page.getByTestId('user-editor');
      await editor.waitFor();
      assert.equal(await page.getByRole('dialog', { name: 'Manage Temp Staff' }).count(), 1, 'the editor is a labelled dialog');
      assert.equal(await page.evaluate(`document.activeElement?.closest('[data-testid=user-sheet]') !== null`), true, 'focus moves into the editor');
      const { width, height } = page.viewportSize()!;
      for (const id of ['edit-user-save', 'edit-user-reset-link', 'edit-user-reset', 'edit-user-disable', 'edit-user-remove']) {
        const box = await editor.getByTestId(id).boundingBox();
        assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height, `${id} is inside the ${width}x${height} viewport: ${JSON.stringify(box)}`);
      }
      await noSidewaysScroll(page, 'users with the editor open');
      await page.keyboard.press('Escape');
      await editor.waitFor({ state: 'detached' });
      await row.getByTestId('user-edit').click();
      await editor.getByTestId('edit-user-name').fill('Tess Staff');
      await editor.getByTestId('edit-user-role').selectOption('supervisor');
      await screenshot(page, `admin-user-editor-${size}`, { fullPage: true });
      await noSerious(page, 'user editor');
      await editor.getByTestId('edit-user-save').click();
      await row.getByText('Tess Staff').waitFor();
      assert.equal((await s.api('GET', `/api/users/${created.body.id}`, { cookie: admin })).body.role, 'supervisor');

      await row.getByTestId('user-edit').click();
      await page.getByTestId('edit-user-reset').click();
      const password = await page.getByTestId('user-new-password').inputValue();
      assert.equal(password.length, 16);
      assert.equal((await s.api('POST', '/api/auth/login', { body: { email, password } })).status, 200, 'the new password signs in');
      assert.notEqual((await s.api('POST', '/api/auth/login', { body: { email, password: 'initial-pass' } })).status, 200, 'the old one does not');

      await page.getByTestId('edit-user-disable').click();
      await row.getByText('disabled').waitFor();
      assert.notEqual((await s.api('POST', '/api/auth/login', { body: { email, password } })).status, 200, 'a disabled user cannot sign in');
      await page.getByTestId('edit-user-disable').click();
      await row.getByText('active').waitFor();

      // Removed: gone from the list, signed out, the email free again.
      const session = await s.login(email, password);
      page.once('dialog', (d) => void d.accept());
      await page.getByTestId('edit-user-remove').click();
      await row.waitFor({ state: 'detached' });
      assert.equal((await s.api('GET', '/api/me', { cookie: session })).status, 401, 'their session ended');
      assert.equal((await s.api('GET', `/api/users/${created.body.id}`, { cookie: admin })).body.name, 'Former user', 'history names them Former user');
      const again = await s.api('POST', '/api/users', { cookie: admin, body: { email, name: 'New Staff', role: 'agent', password: 'another-pass' } });
      assert.equal(again.status, 201, 'the email can be used again');
      await page.context().close();
    });

    test(`${size}: a forgotten password: the admin's one-time link opens a page to choose a new one, and the sign-in offers a text`, async () => {
      const email = `forgetful-${size}@acme.test`;
      const created = await s.api('POST', '/api/users', { cookie: admin, body: { email, name: 'Fran Getful', role: 'admin', password: 'initial-pass' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const page = await openAdmin(size, 'users');
      await page.getByTestId('nav-users').click();
      await page.locator(`[data-testid=user-row][data-email="${email}"]`).getByTestId('user-edit').click();
      await page.getByTestId('edit-user-reset-link').click();
      const link = await page.getByTestId('user-reset-link').inputValue();
      assert.match(link, /\/admin\/#reset=[A-Za-z0-9_-]{20,}$/);

      const user = await (await browser.newContext({ viewport: VIEWPORTS[size] })).newPage();
      user.setDefaultTimeout(8000);
      await user.goto(link);
      await user.getByTestId('reset-password').fill('brand new passphrase');
      await user.getByTestId('reset-confirm').fill('brand new passphrase!');
      await user.getByTestId('reset-submit').click();
      await user.getByText('The two passwords differ').waitFor();
      await user.getByTestId('reset-confirm').fill('brand new passphrase');
      await screenshot(user, `reset-password-${size}`);
      await noSerious(user, 'choose a new password');
      await user.getByTestId('reset-submit').click();
      await user.getByTestId('login-notice').waitFor();
      assert.equal(new URL(user.url()).hash, '', 'the spent link leaves the address bar');
      await signIn(user, email, 'brand new passphrase');
      await user.getByTestId('current-user').waitFor();
      assert.notEqual((await s.api('POST', '/api/auth/login', { body: { email, password: 'initial-pass' } })).status, 200, 'the old password is gone');

      // The link was spent: opened again, it says so in words.
      const fresh = await (await browser.newContext({ viewport: VIEWPORTS[size] })).newPage();
      fresh.setDefaultTimeout(8000);
      await fresh.goto(link);
      await fresh.getByTestId('reset-password').fill('yet another passphrase');
      await fresh.getByTestId('reset-confirm').fill('yet another passphrase');
      await fresh.getByTestId('reset-submit').click();
      await fresh.getByText('expired or was already used').waitFor();

      await fresh.goto(`${s.url}/admin/`);
      await fresh.reload();
      await fresh.getByTestId('login-forgot').click();
      await fresh.getByTestId('reset-email').fill(email);
      await fresh.getByTestId('reset-request').click();
      await fresh.getByTestId('reset-requested').waitFor();
      await screenshot(fresh, `forgot-password-${size}`);
      assert.doesNotMatch(await fresh.locator('body').innerText(), RAW_TEXT);
      await fresh.getByTestId('back-to-signin').click();
      await fresh.getByTestId('login-email').waitFor();
      for (const p of [page, user, fresh]) await p.context().close();
    });

    test(`${size}: SIP accounts show the server to register with, and are edited and removed`, async () => {
      const username = `desk-${size}`;
      const made = await s.api('POST', '/api/sip/accounts', { cookie: admin, body: { username, password: 'desk-password' } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const page = await openAdmin(size, 'telephony');
      await page.getByTestId('nav-telephony').click();
      await page.getByTestId('telephony-tab-sip').click();
      const server = page.getByTestId('sip-server');
      await server.waitFor();
      assert.equal(await page.getByTestId('sip-server-host').innerText(), '127.0.0.1');
      const udp = s.ctx.services.get('telephony').endpoint.ports.udp;
      assert.equal(await page.getByTestId('sip-server-udp').innerText(), `port ${udp}`);
      const row = page.locator(`[data-testid=sip-account-row][data-username="${username}"]`);
      await row.getByTestId('sip-account-edit').click();
      const customer = (await s.api('GET', '/api/users', { cookie: admin })).body.items.find((u: { email: string }) => u.email === 'customer@acme.test');
      await page.getByTestId('sip-edit-user').selectOption(customer.id);
      await page.getByTestId('sip-edit-save').click();
      await row.getByText('Casey Customer').waitFor();
      await screenshot(page, `admin-sip-accounts-${size}`, { fullPage: true });
      await noSerious(page, 'SIP accounts');
      await row.getByTestId('sip-account-edit').click();
      await page.getByTestId('sip-edit-delete').click();
      await page.getByTestId('sip-edit-delete-confirm').click();
      await row.waitFor({ state: 'detached' });
      const left = (await s.api('GET', '/api/sip/accounts', { cookie: admin })).body.items.map((a: { username: string }) => a.username);
      assert.ok(!left.includes(username), 'the account is gone');
      await page.context().close();
    });

    test(`${size}: a call is one row with names, live, with Hold or Resume as its state allows and a running duration`, async () => {
      const phone = await (await browser.newContext({ viewport: VIEWPORTS.phone })).newPage();
      phone.setDefaultTimeout(8000);
      await openSoftphone(phone, `${s.url}/phone/`, 'customer@acme.test');
      const page = await openAdmin(size, 'telephony');
      await page.getByTestId('nav-telephony').click();
      await page.getByTestId('calls-table').waitFor().catch(() => undefined);

      const call = await s.api('POST', '/api/calls', { cookie: admin, body: { to: '+15550100', from: '+15550199', reason: 'Card delivery' } });
      assert.equal(call.status, 201, JSON.stringify(call.body));
      await phone.getByTestId('lockscreen-accept').click();
      const row = page.locator(`[data-testid=call-row][data-call-id="${call.body.id}"]`);
      await page.locator(`[data-testid=call-row][data-call-id="${call.body.id}"][data-state=answered]`).waitFor();
      assert.match(await row.innerText(), /Casey Customer/, 'the callee by name');
      assert.doesNotMatch(await page.getByTestId('calls-table').innerText(), RAW_TEXT, 'no raw ids in the calls table');
      await waitFor(async () => /^0:0[1-9]/.test(await row.getByTestId('call-duration').innerText()), 5000, 'the duration runs');

      await row.getByTestId('call-hold').click();
      await row.getByTestId('call-resume').waitFor();
      assert.equal(await row.getByTestId('call-hold').count(), 0, 'a held call offers Resume, not Hold');
      assert.equal(await row.getByTestId('call-state').innerText(), 'On hold');
      await screenshot(page, `admin-calls-${size}`, { fullPage: true });
      await noSerious(page, 'calls');
      await row.getByTestId('call-resume').click();
      await row.getByTestId('call-hold').waitFor();
      await row.getByTestId('call-hangup').click();
      await page.locator(`[data-testid=call-row][data-call-id="${call.body.id}"][data-state=ended]`).waitFor();
      assert.doesNotMatch(await row.innerText(), /\(hangup\)|_/, 'the end cause in words');

      // The event feed filters by family with one chip each.
      await page.getByTestId('nav-events').click();
      await page.getByTestId('feed-chip-call').click();
      assert.equal(await page.getByTestId('feed-chip-call').getAttribute('aria-pressed'), 'true');
      await s.api('POST', '/api/users', { cookie: admin, body: { email: `feed-${size}@acme.test`, name: 'Feed', role: 'agent', password: 'feed-password' } });
      const again = await s.api('POST', '/api/calls', { cookie: admin, body: { to: '+15550100', from: '+15550199' } });
      await page.locator('[data-testid=feed-event][data-type^="call."]').first().waitFor();
      assert.equal(await page.locator('[data-testid=feed-event][data-type^="user."]').count(), 0, 'only call events with the Calls chip on');
      await screenshot(page, `admin-events-${size}`, { fullPage: true });
      await noSerious(page, 'event feed');
      await phone.getByTestId('lockscreen-decline').click();
      await waitFor(async () => (await s.api('GET', `/api/calls/${again.body.id}`, { cookie: admin })).body.state === 'ended', 5000, 'declined');
      await phone.context().close();
      await page.context().close();
    });
  }
});
