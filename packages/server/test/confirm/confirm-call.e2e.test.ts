import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { assertAddressCorrectionExported, pushAddressCard } from '../helpers/card-steps.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const SHOTS = process.env.E2E_SCREENSHOTS;

/**
 * Cards during a live WebRTC call: the customer calls the agent from /phone, the agent
 * answers on the /agent softphone, the card composer follows the call's interaction,
 * the agent pushes "confirm your address", the customer corrects the postcode while
 * still on the call, the agent sees it at once and the export holds card and answer.
 */
describe('confirm cards on a live browser call (/phone ↔ /agent in Chromium)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  const events: AnyEvent[] = [];

  before(async () => {
    rig = await startBrowserRig({ apps: ['agent/index.html'], events: { types: ['call.'], into: events }, microphone: true });
    s = rig.s;
  });
  after(() => rig?.close());

  const openAs = (app: 'agent' | 'phone', email: string): Promise<Page> =>
    rig.open(`/${app}/`, { as: email, softphone: true, label: app, context: { viewport: { width: 1280, height: 900 } } });
  const answered = (p: Page) => waitFor(async () => (await p.getByTestId('softphone').getAttribute('data-state')) === 'answered', 8000, 'answered');

  test('the customer calls the agent; the agent confirms the address on this call; the export holds card and answer', async () => {
    const agentCookie = await s.login('agent@acme.test');
    const customerId = (await s.api('GET', '/api/me', { cookie: await s.login('customer@acme.test') })).body.user.id;
    const agent = await openAs('agent', 'agent@acme.test');
    const customer = await openAs('phone', 'customer@acme.test');

    // "agent" is the demo agent's SIP account name: it rings the agent's apps and phones.
    await customer.getByTestId('dial-input').fill('agent');
    await customer.getByTestId('dial').click();
    await agent.getByTestId('answer').click();
    await answered(agent);
    await answered(customer);
    const created = events.find((e) => e.type === 'call.created' && (e.data as { to: string }).to === 'agent')!;
    const interactionId = created.interactionId!;
    const calls = (await s.api('GET', `/api/calls?state=answered&interactionId=${interactionId}`, { cookie: agentCookie })).body.items;
    assert.equal(calls.length, 2, 'the customer leg and the agent leg share the interaction');
    assert.equal((await s.ctx.interactions.get(created.tenantId, interactionId))!.customerId, customerId, 'the call’s interaction is the customer’s');

    // The composer follows the agent's live call.
    await agent.locator(`[data-testid=work-item][data-interaction-id="${interactionId}"][data-on-call=true]`).waitFor();
    await agent.getByTestId('card-composer').waitFor();
    await pushAddressCard(agent);

    const sheet = customer.getByTestId('card-sheet');
    await sheet.waitFor();
    assert.match(await sheet.innerText(), /Confirm your address/);
    assert.equal(await customer.getByTestId('card-field-postcode').inputValue(), 'AB1 2CD');
    await customer.getByTestId('card-field-postcode').fill('ZX9 8YW');
    await customer.getByTestId('card-confirm').click();
    await sheet.waitFor({ state: 'detached' });

    await agent.locator('[data-testid=card-status][data-status=corrected]').waitFor();
    assert.match(await agent.getByTestId('card-diff').innerText(), /postcode: AB1 2CD → ZX9 8YW/);
    assert.equal(await agent.getByTestId('confirmed-postcode').innerText(), 'ZX9 8YW');
    // All of it happened on the call: both softphones are still connected.
    for (const p of [agent, customer]) assert.equal(await p.getByTestId('softphone').getAttribute('data-state'), 'answered');
    if (SHOTS) {
      await agent.screenshot({ path: path.join(SHOTS, 'agent-card-on-call.png'), fullPage: true });
      await customer.screenshot({ path: path.join(SHOTS, 'phone-card-on-call.png'), fullPage: true });
    }

    await assertAddressCorrectionExported(s, interactionId, agentCookie, customerId);

    await customer.getByTestId('hangup').click();
    await waitFor(() => events.filter((e) => e.type === 'call.ended' && e.interactionId === interactionId).length === 2, 5000, 'both legs ended');
  });
});
