import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The softphone's Recent list in /phone: an outgoing call, a declined and a
 * missed incoming call appear as the customer saw them, newest first, and
 * "Call" on a row dials it again. The API behind it only ever shows a person
 * their own calls.
 */
describe('call history (/phone in Chromium, GET /api/me/calls)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let page: Page;

  before(async () => {
    rig = await startBrowserRig({ apps: ['phone/index.html'], microphone: true });
    s = rig.s;
    page = await rig.open('/phone/', { as: 'customer@acme.test', softphone: true, timeout: 10_000 });
  });
  after(() => rig?.close());

  const state = () => page.getByTestId('softphone').getAttribute('data-state');
  const rows = () => page.getByTestId('history-row');

  test('outgoing, declined and missed calls are listed as the customer saw them; "Call" redials', async () => {
    await page.getByTestId('call-history').waitFor();

    // 1. The customer calls the echo service and hangs up.
    await page.getByTestId('dial-input').fill('echo');
    await page.getByTestId('dial').click();
    await waitFor(async () => (await state()) === 'answered', 10_000, 'echo answered');
    await new Promise((r) => setTimeout(r, 1200));
    await page.getByTestId('hangup').click();
    await rows().first().waitFor();
    await waitFor(async () => (await rows().first().getAttribute('data-peer')) === 'echo', 5000, 'echo in Recent');
    assert.equal(await rows().first().getAttribute('data-direction'), 'outgoing');
    assert.match(await rows().first().innerText(), /\d+s/);

    // 2. A call to the customer's number, declined on the lockscreen.
    const admin = await s.login('admin@acme.test');
    const declined = await s.api('POST', '/api/calls', { cookie: admin, body: { to: '+15550100', from: '+15550142' } });
    assert.equal(declined.status, 201);
    await page.getByTestId('lockscreen-decline').click();
    await waitFor(async () => (await rows().first().getAttribute('data-peer')) === '+15550142', 10_000, 'declined call in Recent');

    // 3. One nobody answers: missed.
    const missed = await s.api('POST', '/api/calls', { cookie: admin, body: { to: '+15550100', from: '+15550143', timeoutSeconds: 2 } });
    assert.equal(missed.status, 201);
    await page.getByTestId('lockscreen').waitFor();
    await page.getByTestId('lockscreen').waitFor({ state: 'detached' });
    await waitFor(async () => (await rows().first().getAttribute('data-peer')) === '+15550143', 10_000, 'missed call in Recent');
    assert.equal(await rows().first().getAttribute('data-missed'), 'true');
    assert.match(await rows().first().innerText(), /missed/);
    assert.deepEqual(await rows().evaluateAll((els) => els.slice(0, 3).map((e) => `${e.getAttribute('data-direction')}:${e.getAttribute('data-peer')}`)), [
      'incoming:+15550143',
      'incoming:+15550142',
      'outgoing:echo',
    ]);

    // 4. "Call" on the echo row dials it again.
    await page.locator('[data-testid=history-row][data-peer="echo"] [data-testid=call-back]').first().click();
    await waitFor(async () => (await state()) === 'answered', 10_000, 'redial answered');
    await page.getByTestId('hangup').click();
  });

  test('the API shows a person only their own calls; an API key has no history', async () => {
    const customer = (await s.api('GET', '/api/me/calls', { cookie: await s.login('customer@acme.test') })).body.items as { peer: string; direction: string; missed: boolean; callBack: string | null }[];
    assert.ok(customer.length >= 4);
    assert.ok(customer.some((c) => c.peer === '+15550143' && c.missed && c.callBack === '+15550143'));
    const agent = (await s.api('GET', '/api/me/calls', { cookie: await s.login('agent@acme.test') })).body.items as { peer: string }[];
    assert.ok(!agent.some((c) => ['+15550142', '+15550143', 'echo'].includes(c.peer)), 'the agent sees none of the customer’s calls');

    const key = (await s.api('POST', '/api/api-keys', { cookie: await s.login('admin@acme.test'), body: { name: 'h' } })).body.key;
    const byKey = await s.api('GET', '/api/me/calls', { key });
    assert.equal(byKey.status, 403);
    assert.equal(byKey.body.code, 'user_required');
    const bad = await s.api('GET', '/api/me/calls?limit=0', { cookie: await s.login('customer@acme.test') });
    assert.equal(bad.status, 400);
  });
});
