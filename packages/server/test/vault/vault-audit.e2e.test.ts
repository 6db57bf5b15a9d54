import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { RAW_TEXT, VIEWPORTS, screenshot, seriousA11yViolations } from '../helpers/ui-checks.js';
import { CANARY, holds } from './vault-helpers.js';
import { seedVaultAudit } from './vault-audit-fixture.js';

/** The admin's card vault section in Chromium: the audit, its filters and pages, and the key versions. */
describe('admin vault audit in Chromium', () => {
  let rig: BrowserRig;

  before(async () => {
    rig = await startBrowserRig({ apps: ['admin/index.html'], server: { config: { sipEnabled: false } } });
    await seedVaultAudit(rig.s, await rig.s.client('admin@acme.test'));
  });
  after(() => rig?.close());

  for (const name of ['phone', 'desktop'] as const) {
    test(`at ${VIEWPORTS[name].width} px: names and brand + last 4 only, person filter, pages, rotation`, async () => {
      const page = await rig.open('/admin/#vault', { as: 'admin@acme.test', timeout: 5000, context: { viewport: VIEWPORTS[name] } });
      await page.getByTestId('vault-audit-table').waitFor();
      await page.getByTestId('vault-keys').waitFor();
      const text = await page.getByTestId('section-vault').innerText();
      assert.match(text, /Visa •••• 5556/);
      assert.match(text, /Casey Customer → Alex Agent/);
      assert.match(text, /Keyed on the keypad/);
      // Refusals in words: what was asked, who asked, why.
      assert.match(text, /Reading refused[\s\S]*Alex Agent[\s\S]*Only the card’s owner can read it/);
      assert.match(text, /The card had been removed/);
      assert.deepEqual(holds(await page.content()), [], 'no card number on the page');
      assert.ok(!text.includes(CANARY.slice(0, 12)));
      assert.doesNotMatch(text, RAW_TEXT);
      assert.doesNotMatch(text, /\b(?:vtk|vsp|vcp|usr)_/);
      assert.deepEqual(await seriousA11yViolations(page), []);
      // Neither the page nor the activity table scrolls sideways (on a phone its rows stack as cards).
      assert.equal(await page.evaluate('document.documentElement.scrollWidth'), VIEWPORTS[name].width);
      assert.ok(await page.evaluate('(() => { const w = document.querySelector(".table-wrap"); return w.scrollWidth <= w.clientWidth; })()'), 'the vault table fits its box');
      await screenshot(page, `vault-audit-${name}`, { fullPage: true });

      await page.getByTestId('vault-person').selectOption({ label: 'Alex Agent' });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=vault-audit-row]').length === 4);
      const rows = await page.getByTestId('vault-audit-row').allInnerTexts();
      assert.ok(rows.every((r) => /Alex Agent/.test(r)), rows.join('\n'));
      await page.getByTestId('vault-person').selectOption({ label: 'Everyone' });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=vault-audit-row]').length >= 8);
      if (name === 'desktop') {
        const before = await page.getByTestId('vault-keys').innerText();
        await page.getByTestId('vault-rotate').click();
        await page.waitForFunction((b) => document.querySelector('[data-testid=vault-keys]')?.textContent !== b, before.replace(/\n/g, ''));
        await page.waitForFunction(() => /Active key version\s*3/.test(document.querySelector('[data-testid=vault-keys]')?.textContent ?? ''));
      }
      await page.close();
    });
  }
});
