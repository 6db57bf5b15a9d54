import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { assertAddressCorrectionExported, pushAddressCard } from '../helpers/card-steps.js';
import type { TestServer } from '../helpers/test-server.js';

/**
 * Agent and customer in two real browsers: the agent pushes an address card from
 * /agent, the customer corrects it on /phone, the agent sees it without reloading.
 * The interaction is opened through the API until WebRTC calls open their own.
 */
describe('confirm cards between /agent and /phone in Chromium', () => {
  let rig: BrowserRig;
  let s: TestServer;

  before(async () => {
    rig = await startBrowserRig({ apps: ['agent/index.html'] });
    s = rig.s;
  });
  after(() => rig?.close());

  async function openAs(app: 'agent' | 'phone', email: string): Promise<Page> {
    const page = await rig.open(`/${app}/`, { as: email, timeout: 5000, context: { viewport: { width: 1280, height: 860 } } });
    await page.getByTestId('current-user').waitFor();
    return page;
  }

  test('agent pushes "confirm your address", customer fixes the postcode, agent sees it live, the export holds both', async () => {
    const agentCookie = await s.login('agent@acme.test');
    const customerId = (await s.api('GET', '/api/me', { cookie: await s.login('customer@acme.test') })).body.user.id;
    const interactionId = (await s.api('POST', '/api/interactions', { cookie: agentCookie, body: { channel: 'voice', customerId } })).body.id;

    const customer = await openAs('phone', 'customer@acme.test');
    const agent = await openAs('agent', 'agent@acme.test');
    await agent.locator(`[data-testid=work-item][data-interaction-id="${interactionId}"]`).click();
    await agent.getByTestId('card-composer').waitFor();
    // Set before anything is pushed: a reload on either side would clear it.
    for (const p of [agent, customer]) await p.evaluate(() => Object.assign(window, { e2eMarker: true }));

    await pushAddressCard(agent);

    const sheet = customer.getByTestId('card-sheet');
    await sheet.waitFor();
    assert.match(await sheet.innerText(), /Confirm your address/);
    assert.equal(await customer.getByTestId('card-field-postcode').inputValue(), 'AB1 2CD');
    assert.equal(await customer.getByTestId('card-field-city').inputValue(), 'Springfield');

    // The shared rules catch a bad postcode in the browser before anything is sent.
    await customer.getByTestId('card-field-postcode').fill('!!');
    await customer.getByTestId('card-confirm').click();
    await customer.getByTestId('card-error-postcode').waitFor();
    assert.equal((await s.api('GET', `/api/interactions/${interactionId}/cards`, { cookie: agentCookie })).body.items[0].status, 'presented');

    await customer.getByTestId('card-field-postcode').fill('ZX9 8YW');
    await customer.getByTestId('card-confirm').click();
    await sheet.waitFor({ state: 'detached' });

    await agent.locator('[data-testid=card-status][data-status=corrected]').waitFor();
    assert.match(await agent.getByTestId('card-diff').innerText(), /postcode: AB1 2CD → ZX9 8YW/);
    assert.equal(await agent.getByTestId('confirmed-postcode').innerText(), 'ZX9 8YW');
    assert.equal(await agent.getByTestId('confirmed-city').innerText(), 'Springfield');
    for (const p of [agent, customer]) assert.equal(await p.evaluate(() => (window as unknown as { e2eMarker?: boolean }).e2eMarker), true);

    await assertAddressCorrectionExported(s, interactionId, agentCookie, customerId);
  });
});
