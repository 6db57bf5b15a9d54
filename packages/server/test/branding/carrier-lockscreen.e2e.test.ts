import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { callScenario, runSipp } from '../helpers/sipp.js';
import type { TestServer } from '../helpers/test-server.js';

const SHOTS = path.join(process.env.TMPDIR ?? '/tmp', 'callsight-lockscreen');

/** An unsigned carrier call (sipp) with a CNAM rings /phone in Chromium: the name shows quoted under the number, marked unchecked. */
describe('carrier caller name on the /phone lockscreen (sipp, Chromium)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let page: Page;
  let port: number;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    rig = await startBrowserRig({ apps: ['phone/index.html'] });
    s = rig.s;
    port = rig.sipPort();
    page = await rig.open('/phone/', { as: 'customer@acme.test', softphone: true, timeout: 10_000, context: { viewport: { width: 390, height: 844 } } });
  });
  after(() => rig?.close());

  async function ringAndDecline(fromName: string, shot: string): Promise<void> {
    const carrier = runSipp({ scenario: callScenario({ pauseMs: 0, waitMs: 0, expectStatus: 480, fromUser: '+15550301', fromName }), port, service: '+15550100', timeoutSec: 20 });
    await page.getByTestId('lockscreen-unverified').waitFor();
    await page.screenshot({ path: path.join(SHOTS, `${shot}.png`) });
    const shown = { number: await page.getByTestId('lockscreen-number').innerText(), mark: await page.getByTestId('lockscreen-unverified').innerText(), name: (await page.getByTestId('lockscreen-carrier-name').count()) ? await page.getByTestId('lockscreen-carrier-name').innerText() : null };
    await page.getByTestId('lockscreen-decline').click();
    const r = await carrier;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await page.getByTestId('lockscreen').waitFor({ state: 'detached' });
    Object.assign(last, shown);
  }
  const last: { number?: string; mark?: string; name?: string | null } = {};

  test("the carrier's name is shown quoted below the number, and the mark says it was not checked", async () => {
    await ringAndDecline('GLOBEX INS', 'carrier-name');
    assert.equal(last.number, '+15550301');
    assert.equal(last.name, '“GLOBEX INS”');
    assert.equal(last.mark, 'Unverified caller · name not checked');
    assert.equal(await page.getByTestId('lockscreen-verified').count(), 0);
  });

  test('with the tenant policy off, only the number rings', async () => {
    const admin = await s.login('admin@acme.test');
    assert.equal((await s.api('PUT', '/api/branding/policy', { cookie: admin, body: { brandAttestations: ['A'], unverifiedNames: false } })).status, 200);
    try {
      await ringAndDecline('GLOBEX INS', 'carrier-name-policy-off');
      assert.equal(last.name, null);
      assert.equal(last.mark, 'Unverified caller');
    } finally {
      await s.api('PUT', '/api/branding/policy', { cookie: admin, body: { brandAttestations: ['A'], unverifiedNames: true } });
    }
  });
});
