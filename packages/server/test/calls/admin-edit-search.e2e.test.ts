import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { signIn } from '../helpers/chromium.js';
import type { TestServer } from '../helpers/test-server.js';
import { RAW_TEXT, VIEWPORTS, screenshot, seriousA11yViolations, type ViewportName } from '../helpers/ui-checks.js';
import { waitFor } from '../helpers/wait.js';
import { newId } from '../../src/core/ids.js';

/** /admin at phone and desktop size: trunks and brands edited in a sheet; calls searched, paged and opened. */
describe('/admin editing (Chromium)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let browser: Browser;
  let admin: string;

  before(async () => {
    rig = await startBrowserRig({ apps: ['admin/index.html'] });
    ({ s, browser } = rig);
    admin = await s.login('admin@acme.test');
    // More calls than a page holds, as the telephony layer records them; one missed call to find.
    const calls = s.ctx.services.get('telephony').calls;
    const tenantId = (await s.ctx.users.byEmailWithHash('admin@acme.test'))!.tenantId;
    const record = async (from: string, answered: boolean) => {
      const c = await calls.create({ id: newId('call'), tenantId, interactionId: newId('int'), direction: 'inbound', from, to: '+15550100', flowId: null });
      if (answered) await calls.markAnswered(c.id);
      await calls.markEnded(c.id, answered ? 'hangup' : 'no_answer');
    };
    await record('sip:+15550122@carrier.example', false);
    for (let i = 0; i < 52; i++) await record(`sip:+1555030${String(i).padStart(4, '0')}@carrier.example`, true);
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
  /** Nothing scrolls sideways, nothing raw shows, nothing serious for axe. */
  async function looksRight(page: Page, what: string) {
    const width = (await page.evaluate('document.scrollingElement.scrollWidth')) as number;
    assert.ok(width <= page.viewportSize()!.width, `${what}: the page is ${width} px wide on a ${page.viewportSize()!.width} px screen`);
    assert.doesNotMatch(await page.locator('body').innerText(), RAW_TEXT, what);
    assert.deepEqual(await seriousA11yViolations(page), [], `${what}: no serious accessibility violations`);
  }

  for (const size of ['phone', 'desktop'] as const) {
    test(`${size}: a trunk and a brand are edited in a sheet; a bad proxy is named and nothing changes`, async () => {
      const made = await s.api('POST', '/api/sip/trunks', { cookie: admin, body: { name: `Carrier ${size}`, address: 'sip:127.0.0.1:5999' } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const page = await openAdmin(size, 'telephony');
      await page.getByTestId('telephony-tab-trunks').click();
      const row = page.locator(`[data-testid=trunk-row][data-name="Carrier ${size}"]`);
      await row.getByTestId('trunk-edit').click();
      const sheet = page.getByRole('dialog', { name: `Edit Carrier ${size}` });
      await sheet.waitFor();
      await sheet.getByTestId('trunk-edit-address').fill('carrier.example');
      await sheet.getByTestId('trunk-edit-save').click();
      assert.match(await sheet.getByTestId('problem').innerText(), /address|Proxy/i);
      assert.equal((await s.api('GET', '/api/sip/trunks', { cookie: admin })).body.items.find((t: { id: string }) => t.id === made.body.id).address, 'sip:127.0.0.1:5999');

      await sheet.getByTestId('trunk-edit-name').fill(`West ${size}`);
      await sheet.getByTestId('trunk-edit-address').fill('sips:sip.carrier.example:5061');
      await sheet.getByTestId('trunk-edit-username').fill('acme');
      await sheet.getByTestId('trunk-edit-password').fill('carrier-secret');
      await sheet.getByTestId('trunk-edit-register').check();
      await sheet.getByTestId('trunk-edit-srtp').selectOption('required');
      const box = await sheet.getByTestId('trunk-edit-save').boundingBox();
      const { width, height } = page.viewportSize()!;
      assert.ok(box && box.x >= 0 && box.x + box.width <= width && box.y + box.height <= height, `Save is on screen: ${JSON.stringify(box)}`);
      await screenshot(page, `admin-trunk-editor-${size}`);
      await looksRight(page, 'trunk editor');
      await sheet.getByTestId('trunk-edit-save').click();
      await sheet.waitFor({ state: 'detached' });
      await page.locator(`[data-testid=trunk-row][data-name="West ${size}"]`, { hasText: 'always' }).waitFor();
      const saved = (await s.api('GET', '/api/sip/trunks', { cookie: admin })).body.items.find((t: { id: string }) => t.id === made.body.id);
      assert.deepEqual([saved.name, saved.address, saved.username, saved.register, saved.srtp], [`West ${size}`, 'sips:sip.carrier.example:5061', 'acme', true, 'required']);

      await page.getByTestId('nav-brands').click();
      const brands = (await s.api('GET', '/api/branding/brands', { cookie: admin })).body.items;
      const brand = brands[0];
      await page.locator(`[data-testid=brand-row][data-name="${brand.name}"]`).getByTestId('brand-edit').click();
      const brandSheet = page.getByTestId('brand-sheet');
      await brandSheet.waitFor();
      assert.equal(await brandSheet.getByTestId('brand-edit-numbers').inputValue(), brand.numbers.join(', '));
      await brandSheet.getByTestId('brand-edit-reasons').fill(`Card delivery\nFraud check ${size}`);
      await screenshot(page, `admin-brand-editor-${size}`);
      await looksRight(page, 'brand editor');
      await brandSheet.getByTestId('brand-edit-save').click();
      await brandSheet.waitFor({ state: 'detached' });
      await page.locator(`[data-testid=brand-row][data-name="${brand.name}"]`, { hasText: `Fraud check ${size}` }).waitFor();
      await waitFor(async () => (await s.api('GET', '/api/branding/brands', { cookie: admin })).body.items[0].reasons.includes(`Fraud check ${size}`));
      await page.context().close();
    });

    test(`${size}: calls are searched, paged and one is opened in detail`, async () => {
      const page = await openAdmin(size, 'telephony');
      await page.getByTestId('telephony-tab-calls').click();
      const rows = page.getByTestId('call-row');
      await page.getByTestId('calls-more').waitFor();
      assert.equal(await rows.count(), 50, 'a page of calls');
      await page.getByTestId('calls-more').click();
      await waitFor(async () => (await rows.count()) === 53, 8000, 'the older calls');
      assert.equal(await page.getByTestId('calls-more').count(), 0, 'no more pages');

      await page.getByTestId('calls-search-q').fill('5550122');
      await page.getByTestId('calls-search-outcome').selectOption('unanswered');
      await page.getByTestId('calls-search-submit').click();
      await waitFor(async () => (await rows.count()) === 1, 8000, 'one missed call');
      await page.getByTestId('calls-search-outcome').selectOption('answered');
      await page.getByTestId('calls-search-submit').click();
      await waitFor(async () => (await rows.count()) === 0, 8000, 'no answered call from that number');
      await page.getByTestId('calls-search-outcome').selectOption('');
      await page.getByTestId('calls-search-submit').click();
      await rows.first().waitFor();
      await screenshot(page, `admin-calls-search-${size}`, { fullPage: true });
      await looksRight(page, 'calls search');

      await rows.first().getByTestId('call-open').click();
      const detail = page.getByTestId('call-detail');
      await detail.waitFor();
      assert.match(await detail.getByTestId('call-detail-from').innerText(), /\+15550122/);
      assert.equal(await detail.getByTestId('call-detail-duration').innerText(), 'Not answered');
      assert.equal(await detail.getByTestId('call-detail-verification').innerText(), 'No caller identity was presented');
      await detail.getByTestId('call-detail-route').locator('li').first().waitFor();
      await screenshot(page, `admin-call-detail-${size}`);
      await looksRight(page, 'call detail');
      await page.keyboard.press('Escape');
      await detail.waitFor({ state: 'detached' });
      await page.context().close();
    });
  }
});
