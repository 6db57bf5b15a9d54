import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { callScenario, runSipp } from '../helpers/sipp.js';
import type { TestServer } from '../helpers/test-server.js';
import { openSoftphone } from '../helpers/chromium.js';
import { screenshot, VIEWPORTS } from '../helpers/ui-checks.js';
import { waitFor } from '../helpers/wait.js';

/** The admin Telephony section in a real browser: flows, numbers, and a live sipp call it can hang up. */
describe('admin telephony in Chromium', () => {
  let rig: BrowserRig;
  let s: TestServer;

  before(async () => {
    rig = await startBrowserRig({ apps: ['admin/index.html', 'phone/index.html'], microphone: true });
    s = rig.s;
  });
  after(() => rig?.close());

  async function openTelephony(): Promise<Page> {
    const page = await rig.open('/admin/#telephony', { as: 'admin@acme.test', timeout: 5000 });
    await page.getByTestId('section-telephony').waitFor();
    return page;
  }

  test('admin writes a flow, is told which verb is wrong, routes a number to it, and hangs up the call sipp makes', async () => {
    const page = await openTelephony();
    const cookie = await s.login('admin@acme.test');

    await page.getByTestId('telephony-tab-flows').click();
    await page.getByTestId('flow-name').fill('hold-line');
    const form = page.getByTestId('flow-form');
    // Top-level steps only (a menu's choices hold step lists of their own).
    const steps = form.locator('[data-testid=flow-steps] > ol > [data-testid=flow-step]');
    const addStep = form.locator('[data-testid=flow-steps] > .flow-add [data-testid=flow-add-step]');
    assert.deepEqual(await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-verb'))), ['say', 'enqueue'], 'a new flow starts from an example');

    // The queue step goes; a web-service step with an ftp URL: the server refuses it, and the step says why.
    await steps.nth(1).getByTestId('flow-step-remove').click();
    await addStep.selectOption('webhook');
    await steps.nth(1).getByTestId('flow-field-url').fill('ftp://example.com/calls');
    await page.getByTestId('flow-submit').click();
    await form.getByTestId('problem').waitFor();
    assert.match(await steps.nth(1).locator('.field-error').innerText(), /http/);
    assert.match((await steps.nth(1).getAttribute('class')) ?? '', /flow-step-bad/);
    assert.equal((await s.api('GET', '/api/flows', { cookie })).body.items.some((f: { name: string }) => f.name === 'hold-line'), false, 'nothing saved');
    await steps.nth(1).getByTestId('flow-step-remove').click();
    assert.equal(await form.locator('.flow-step-bad, [data-testid=problem]').count(), 0, 'the complaint goes with the step it was about');

    // Say "Please hold.", wait 30 s, then a menu whose key 1 queues for sales.
    await steps.nth(0).getByTestId('flow-step-toggle').click();
    await steps.nth(0).getByTestId('flow-field-text').fill('Please hold.');
    await addStep.selectOption('pause');
    await steps.nth(1).getByTestId('flow-field-seconds').fill('30');
    await addStep.selectOption('gather');
    const key1 = steps.nth(2).locator('[data-testid=flow-choice][data-key="1"]');
    await key1.getByTestId('flow-choice-label').fill('Sales');
    await key1.locator('.flow-add [data-testid=flow-add-step]').selectOption('enqueue');
    await key1.getByTestId('flow-field-queue').selectOption('sales');
    await steps.nth(2).locator('[data-testid=flow-choice][data-key="2"]').getByTestId('flow-choice-remove').click();
    await screenshot(page, 'admin-flow-editor-desktop', { fullPage: true });
    await page.getByTestId('flow-submit').click();
    await page.locator('[data-testid=flow-row][data-name="hold-line"]').waitFor();
    const flow = (await s.api('GET', '/api/flows', { cookie })).body.items.find((f: { name: string }) => f.name === 'hold-line');
    assert.deepEqual(flow.verbs.slice(0, 2), [{ verb: 'say', text: 'Please hold.', loop: 1 }, { verb: 'pause', seconds: 30 }]);
    assert.equal(flow.verbs[2].verb, 'gather');
    assert.deepEqual(flow.verbs[2].branches, { '1': [{ verb: 'enqueue', queue: 'sales' }] });
    assert.deepEqual(flow.verbs[2].labels, { '1': 'Sales' });
    assert.equal(flow.verbs[2].prompt[0].verb, 'say');
    const flowRow = page.locator('[data-testid=flow-row][data-name="hold-line"]');
    assert.equal(await flowRow.locator('.pill').allInnerTexts().then((t) => t.join(' · ')), 'Say · Pause · Menu', 'steps listed in words');

    // A test call with the steps in the editor: the customer's phone app rings, and the call runs them.
    const customerPhone = await rig.page({ context: { viewport: VIEWPORTS.phone } });
    await openSoftphone(customerPhone, `${s.url}/phone/`, 'customer@acme.test');
    await flowRow.getByTestId('flow-edit').click();
    await form.getByTestId('flow-test-who').selectOption({ label: 'Casey Customer' });
    await form.getByTestId('flow-test-ring').click();
    await customerPhone.getByTestId('lockscreen-accept').click();
    const customer = (await s.api('GET', '/api/users', { cookie })).body.items.find((u: { email: string }) => u.email === 'customer@acme.test');
    let testCall: { id: string } | undefined;
    await waitFor(async () => {
      testCall = (await s.api('GET', '/api/calls', { cookie })).body.items.find((c: { to: string; state: string }) => c.to.includes(customer.id) && c.state === 'answered');
      return testCall !== undefined;
    }, 10_000, 'the test call answered');
    assert.equal((await s.api('POST', `/api/calls/${testCall!.id}/hangup`, { cookie, body: {} })).status, 200);
    await customerPhone.context().close();

    // As code: the same verbs; JSON that does not parse is refused before anything is sent.
    await page.getByTestId('flow-view-code').click();
    assert.deepEqual(JSON.parse(await page.getByTestId('flow-verbs').inputValue()), flow.verbs);
    await page.getByTestId('flow-verbs').fill('[{"verb": "say", "text": "Please hold."},');
    await page.getByTestId('flow-submit').click();
    assert.match(await form.getByTestId('problem').innerText(), /not valid JSON/);
    await page.getByTestId('flow-view-steps').click();
    assert.match(await form.getByTestId('problem').innerText(), /not valid JSON/, 'broken code does not replace the steps');
    await form.getByRole('button', { name: 'Cancel' }).click();

    // At phone width the steps stack and nothing scrolls sideways.
    const phone = await rig.open('/admin/#telephony', { as: 'admin@acme.test', timeout: 5000, context: { viewport: { width: 390, height: 844 } } });
    await phone.getByTestId('telephony-tab-flows').click();
    await phone.locator('[data-testid=flow-row][data-name="hold-line"]').getByTestId('flow-edit').click();
    await phone.locator('[data-testid=flow-steps] > ol > [data-testid=flow-step]').nth(2).getByTestId('flow-step-toggle').click();
    await screenshot(phone, 'admin-flow-editor-phone', { fullPage: true });
    assert.equal(await phone.evaluate('document.documentElement.scrollWidth'), 390, 'nothing scrolls sideways');
    await phone.close();

    await page.getByTestId('telephony-tab-numbers').click();
    await page.getByTestId('number-value').fill('+15550177');
    await page.getByTestId('number-target').selectOption({ label: 'hold-line' });
    await page.getByTestId('number-submit').click();
    await page.locator('[data-testid=number-row][data-number="+15550177"]').waitFor();
    const number = (await s.api('GET', '/api/numbers', { cookie })).body.items.find((n: { number: string }) => n.number === '+15550177');
    assert.equal(number.flowId, flow.id);

    await page.getByTestId('telephony-tab-calls').click();
    // A reload would clear this marker: the call must arrive through the realtime stream.
    await page.evaluate(() => Object.assign(window, { e2eMarker: true }));
    const port = s.ctx.services.get('telephony').endpoint.ports.udp;
    // sipp waits up to 20 s for the BYE that the Hang up button sends.
    const sipp = runSipp({ scenario: callScenario({ pauseMs: 0, waitMs: 20_000 }), port, service: '+15550177', timeoutSec: 30 });
    const row = page.locator('[data-testid=call-row][data-state=answered]', { hasText: '+15550177' });
    await row.waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { e2eMarker?: boolean }).e2eMarker), true);

    await row.getByTestId('call-hangup').click();
    const result = await sipp;
    assert.equal(result.code, 0, result.stdout + result.stderr);
    await page.locator('[data-testid=call-row][data-state=ended]', { hasText: '+15550177' }).waitFor();
    const calls = (await s.api('GET', '/api/calls', { cookie })).body.items;
    assert.equal(calls[0].to.includes('+15550177'), true);
    assert.equal(calls[0].endCause, 'hangup');
  });

  test('admin edits a flow, reroutes a number to a user, adds a SIP account and a trunk, and removes them', async () => {
    const page = await openTelephony();
    const cookie = await s.login('admin@acme.test');
    page.on('dialog', (d) => void d.accept());

    await page.getByTestId('telephony-tab-flows').click();
    await page.locator('[data-testid=flow-row][data-name="echo"]').getByTestId('flow-edit').click();
    await page.getByTestId('flow-view-code').click();
    await page.getByTestId('flow-verbs').fill(JSON.stringify([{ verb: 'say', text: 'Echo test.' }, { verb: 'echo', seconds: 60 }]));
    await page.getByTestId('flow-submit').click();
    await page.locator('[data-testid=flow-row][data-name="echo"]', { hasText: 'say' }).waitFor();
    const echo = (await s.api('GET', '/api/flows', { cookie })).body.items.find((f: { name: string }) => f.name === 'echo');
    assert.deepEqual(echo.verbs, [{ verb: 'say', text: 'Echo test.', loop: 1 }, { verb: 'echo', seconds: 60 }]);

    await page.getByTestId('telephony-tab-numbers').click();
    const agent = (await s.api('GET', '/api/users', { cookie })).body.items.find((u: { email: string }) => u.email === 'agent@acme.test');
    await page.locator('[data-testid=number-row][data-number="echo"]').getByTestId('number-route').selectOption(`user:${agent.id}`);
    await waitFor(async () => (await s.api('GET', '/api/numbers', { cookie })).body.items.find((n: { number: string }) => n.number === 'echo').userId === agent.id);

    await page.getByTestId('telephony-tab-sip').click();
    await page.getByTestId('sip-account-username').fill('desk-204');
    await page.getByTestId('sip-account-password').fill('desk-password');
    await page.getByTestId('sip-account-user').selectOption(agent.id);
    await page.getByTestId('sip-account-submit').click();
    await page.locator('[data-testid=sip-account-row][data-username="desk-204"]', { hasText: 'not registered' }).waitFor();

    await page.getByTestId('telephony-tab-trunks').click();
    await page.getByTestId('trunk-name').fill('Carrier');
    await page.getByTestId('trunk-address').fill('not a uri');
    await page.getByTestId('trunk-submit').click();
    assert.match(await page.locator('[data-testid=trunk-form] [data-testid=problem]').innerText(), /address/);
    await page.getByTestId('trunk-address').fill('sip:127.0.0.1:5999');
    await page.getByTestId('trunk-submit').click();
    const trunk = page.locator('[data-testid=trunk-row][data-name="Carrier"]');
    await trunk.waitFor();
    await trunk.getByTestId('trunk-delete').click();
    await trunk.waitFor({ state: 'detached' });
    assert.deepEqual((await s.api('GET', '/api/sip/trunks', { cookie })).body.items, []);
  });
});
