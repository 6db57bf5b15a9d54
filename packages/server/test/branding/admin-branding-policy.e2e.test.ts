import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import type { TestServer } from '../helpers/test-server.js';

/** /admin › Brands › Verification policy in Chromium: the admin lets B-attested calls show brands and turns carrier names off. */
describe('admin branding verification policy in Chromium', () => {
  let rig: BrowserRig;
  let s: TestServer;
  const shots = path.join(tmpdir(), 'callsight-screenshots');

  before(async () => {
    mkdirSync(shots, { recursive: true });
    rig = await startBrowserRig({ apps: ['admin/index.html'] });
    s = rig.s;
  });
  after(() => rig?.close());

  for (const [size, viewport] of [['desktop', { width: 1440, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
    test(`${size}: the policy shows the default (A only, names on), saves a change and the API has it`, async () => {
      const page = await rig.open('/admin/#brands', { as: 'admin@acme.test', timeout: 5000, context: { viewport } });
      const card = page.getByTestId('verification-policy');
      await card.waitFor();
      assert.equal(await page.getByTestId('policy-attest-A').isChecked(), true);
      assert.equal(await page.getByTestId('policy-attest-B').isChecked(), false);
      assert.equal(await page.getByTestId('policy-unverified-names').isChecked(), true);
      assert.equal(await page.getByTestId('policy-save').isDisabled(), true, 'nothing to save yet');

      await page.getByTestId('policy-attest-B').check();
      await page.getByTestId('policy-unverified-names').uncheck();
      await card.screenshot({ path: path.join(shots, `admin-verification-policy-${size}.png`) });
      await page.getByTestId('policy-save').click();
      await page.getByText('Verification policy saved').waitFor();

      const admin = await s.login('admin@acme.test');
      assert.deepEqual((await s.api('GET', '/api/branding/policy', { cookie: admin })).body, { brandAttestations: ['A', 'B'], unverifiedNames: false });
      await page.reload();
      await page.getByTestId('verification-policy').waitFor();
      assert.equal(await page.getByTestId('policy-attest-B').isChecked(), true, 'the saved policy is what the page shows after a reload');
      // Back to the default for the next size.
      await s.api('PUT', '/api/branding/policy', { cookie: admin, body: { brandAttestations: ['A'], unverifiedNames: true } });
    });
  }
});
