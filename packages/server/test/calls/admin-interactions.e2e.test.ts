import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { signIn } from '../helpers/chromium.js';
import { seedInteraction, type SeededInteraction } from '../helpers/interaction-seed.js';
import type { TestServer } from '../helpers/test-server.js';
import { RAW_TEXT, VIEWPORTS, screenshot, seriousA11yViolations, type ViewportName } from '../helpers/ui-checks.js';
import { waitFor } from '../helpers/wait.js';

/** /admin › Interactions as a supervisor: names, a status that says whether a call is on, and a detail sheet with the timeline in words. */
describe('/admin interactions (Chromium)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let browser: Browser;
  let seeded: SeededInteraction;

  before(async () => {
    rig = await startBrowserRig({ apps: ['admin/index.html'] });
    ({ s, browser } = rig);
    seeded = await seedInteraction(s);
  });
  after(() => rig?.close());

  async function openAdmin(size: ViewportName): Promise<Page> {
    const page = await (await browser.newContext({ viewport: VIEWPORTS[size] })).newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`${s.url}/admin/#interactions`);
    await signIn(page, 'supervisor@acme.test');
    await page.getByTestId('interactions-table').waitFor();
    return page;
  }
  async function looksRight(page: Page, what: string) {
    const width = (await page.evaluate('document.scrollingElement.scrollWidth')) as number;
    assert.ok(width <= page.viewportSize()!.width, `${what}: the page is ${width} px wide on a ${page.viewportSize()!.width} px screen`);
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, RAW_TEXT, what);
    assert.doesNotMatch(text, /TN-Validation|user:|\b(?:desk|routing|call)\.[a-z_]+/, `${what}: no raw codes or event names`);
    assert.deepEqual(await seriousA11yViolations(page), [], `${what}: no serious accessibility violations`);
  }

  for (const size of ['phone', 'desktop'] as const) {
    test(`${size}: the list names the customer and says the call is on; the sheet shows the timeline in words, in order, with times`, async () => {
      const page = await openAdmin(size);
      const row = page.getByTestId('interaction-row').first();
      assert.match(await row.innerText(), /Casey Customer/);
      assert.equal(await row.getByTestId('interaction-status').innerText(), 'On a call');
      await looksRight(page, `${size} list`);
      await screenshot(page, `admin-interactions-${size}`);

      await row.getByTestId('interaction-open').click();
      const sheet = page.getByRole('dialog', { name: 'Contact details' });
      await sheet.waitFor();
      await sheet.getByTestId('interaction-timeline').waitFor();
      assert.equal(await sheet.getByTestId('interaction-customer').innerText(), 'Casey Customer');
      const steps = (await sheet.getByTestId('timeline-entry').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      const expected = [
        /Contact opened/,
        /Incoming call from Casey Customer to \+15550199/,
        /Caller check: Verified by the carrier \(attestation A/,
        /Waiting in a queue/,
        /Assigned to Alex Agent/,
        /Answered/,
        /Sam Supervisor started listening in/,
      ];
      assert.equal(steps.length, expected.length, steps.join('\n'));
      expected.forEach((re, i) => {
        assert.match(steps[i]!, re);
        assert.match(steps[i]!, /^\d{1,2}:\d{2}/, `step ${i} starts with its time`);
      });
      // The calls screen's detail, reused for the interaction's call.
      assert.match(await sheet.getByTestId('call-detail-from').innerText(), /Casey Customer/);
      await looksRight(page, `${size} detail`);
      await screenshot(page, `admin-interaction-detail-${size}`, { fullPage: true });
      await page.keyboard.press('Escape');
      await sheet.waitFor({ state: 'detached' });
      await page.context().close();
    });
  }

  test('when the call ends the row says so without a reload', async () => {
    const page = await openAdmin('desktop');
    const status = page.getByTestId('interaction-row').first().getByTestId('interaction-status');
    assert.equal(await status.innerText(), 'On a call');
    await s.ctx.services.get('telephony').calls.markEnded(seeded.callId, 'hangup');
    const tenantId = (await s.ctx.users.get((await s.ctx.users.byEmailWithHash('customer@acme.test'))!.tenantId, seeded.customerId))!.tenantId;
    await s.ctx.bus.publish({ tenantId, interactionId: seeded.interactionId, type: 'call.ended', data: { callId: seeded.callId, cause: 'hangup', durationSeconds: 75 } });
    await waitFor(async () => (await status.innerText()) === 'Open, nothing live');
    await page.getByTestId('interaction-row').first().getByTestId('interaction-open').click();
    const last = page.getByTestId('timeline-entry').last();
    await last.waitFor();
    assert.match(await last.innerText(), /Call ended after 1:15/);
    await page.context().close();
  });
});
