import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { RAW_TEXT, screenshot, seriousA11yViolations, VIEWPORTS } from '../helpers/ui-checks.js';
import { acme, newContact } from '../routing/routing-fixtures.js';

/**
 * The supervisor console on /agent#supervisor in Chromium: the wallboard counts a call
 * that starts waiting (over the socket, no reload), the agents are listed with their
 * state, and a report over the chosen days shows; at phone and desktop sizes.
 */
describe('the supervisor console’s wallboard (Chromium)', () => {
  let rig: BrowserRig;
  let page: Page;

  before(async () => {
    rig = await startBrowserRig({ apps: ['agent/index.html'] });
    page = await rig.open('/agent/#supervisor', { as: 'supervisor@acme.test', label: 'supervisor', context: { viewport: VIEWPORTS.desktop } });
  });
  after(() => rig?.close());

  test('a waiting call is counted live; agents and a report show; no raw ids, no serious accessibility violations', async () => {
    const support = page.locator('[data-testid=wb-queue][data-queue=support]');
    await support.getByTestId('wb-waiting').filter({ hasText: /^0$/ }).waitFor();
    await page.locator('.status-live').waitFor();
    await page.locator('[data-testid=wb-agent][data-agent="Alex Agent"]').waitFor();

    // Nobody is available: the call waits in support, and the board says so without a reload.
    const { tenantId } = await acme(rig.s);
    await newContact(rig.s, tenantId, 'voice');
    await support.getByTestId('wb-waiting').filter({ hasText: /^1$/ }).waitFor({ timeout: 5000 });

    await page.getByTestId('report-run').click();
    await page.getByTestId('report-table').waitFor();
    assert.equal(await page.getByTestId('report-csv').isEnabled(), true);
    assert.doesNotMatch(await page.locator('main').innerText(), RAW_TEXT);
    const a11y = await seriousA11yViolations(page);
    assert.deepEqual(a11y, [], a11y.join('\n'));
    await screenshot(page, 'supervisor-console-desktop');
    await page.setViewportSize(VIEWPORTS.phone);
    await screenshot(page, 'supervisor-console-phone');
    assert.deepEqual(await seriousA11yViolations(page), []);
  });
});
