import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { pushAddressCard } from '../helpers/card-steps.js';
import type { TestServer } from '../helpers/test-server.js';
import { RAW_TEXT, VIEWPORTS, screenshot, seriousA11yViolations, type ViewportName } from '../helpers/ui-checks.js';
import { waitFor } from '../helpers/wait.js';

/**
 * A card belongs to its call: left unanswered, it closes when the call ends (on the
 * server, so a reload does not bring it back), and a card still waiting never covers
 * the Accept of the next incoming call. Both at phone and at desktop size.
 */
describe('/phone: cards close with their call and never cover an incoming call', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let agentCookie: string;
  const events: AnyEvent[] = [];

  before(async () => {
    rig = await startBrowserRig({ apps: ['phone/index.html'], events: { types: ['call.', 'confirm.'], into: events }, microphone: true });
    s = rig.s;
    agentCookie = await s.login('agent@acme.test');
  });
  after(() => rig?.close());

  const open = (app: 'agent' | 'phone', email: string, size: ViewportName): Promise<Page> =>
    rig.open(`/${app}/`, { as: email, softphone: true, label: app, context: { viewport: VIEWPORTS[size] } });
  const inState = (p: Page, state: string) => waitFor(async () => (await p.getByTestId('softphone').getAttribute('data-state')) === state, 8000, state);

  for (const size of ['phone', 'desktop'] as const) {
    test(`${size}: an unanswered card closes with the call, stays closed after a reload, and never covers the next call's Accept`, async () => {
      const agent = await open('agent', 'agent@acme.test', 'desktop');
      const customer = await open('phone', 'customer@acme.test', size);

      // The customer calls the agent; the agent pushes a card the customer leaves open.
      await customer.getByTestId('dial-input').fill('agent');
      await customer.getByTestId('dial').click();
      await agent.getByTestId('answer').click();
      await inState(customer, 'answered');
      await customer.getByTestId('call-timer').waitFor();
      await screenshot(customer, `phone-call-screen-${size}`);
      const interactionId = events.findLast((e) => e.type === 'call.created' && (e.data as { to: string }).to === 'agent')!.interactionId!;
      await agent.locator(`[data-testid=work-item][data-interaction-id="${interactionId}"][data-on-call=true]`).waitFor();
      await pushAddressCard(agent);
      const sheet = customer.getByTestId('card-sheet');
      await sheet.waitFor();
      const cardId = (await sheet.getAttribute('data-card-id'))!;
      await screenshot(customer, `phone-card-on-call-${size}`);

      // The agent hangs up: the card expires with the call, on the server and on the customer's screen.
      await agent.getByTestId('hangup').click();
      await sheet.waitFor({ state: 'detached' });
      await inState(customer, 'ended');
      const card = (await s.api('GET', `/api/cards/${cardId}`, { cookie: agentCookie })).body;
      assert.equal(card.status, 'expired', 'the card closed with its call');
      const expired = events.find((e) => e.type === 'confirm.expired' && (e.data as { cardId: string }).cardId === cardId);
      assert.equal((expired?.data as { reason: string }).reason, 'call_ended');
      const shown = await customer.getByTestId('softphone').innerText();
      assert.doesNotMatch(shown, RAW_TEXT, 'the ended call is described in words');

      // A reload does not bring it back.
      const listed = customer.waitForResponse((r) => r.url().includes('/api/cards') && r.request().method() === 'GET');
      await customer.reload();
      await customer.getByTestId('softphone').waitFor();
      await listed;
      assert.equal(await customer.getByTestId('card-sheet').count(), 0, 'no card from the ended call after a reload');

      // A card still waiting (pushed to an interaction without a live call) is on screen when the agent calls.
      const waiting = await s.api('POST', `/api/interactions/${interactionId}/cards`, {
        cookie: agentCookie,
        body: { kind: 'address', values: { line1: '2 Low Road', city: 'Shelbyville', postcode: 'CD3 4EF', country: 'GB' } },
      });
      assert.equal(waiting.status, 201, JSON.stringify(waiting.body));
      await sheet.waitFor();
      await agent.getByTestId('dial-input').fill('customer');
      await agent.getByTestId('dial').click();
      const lock = customer.getByTestId('lockscreen');
      await lock.waitFor();
      // The agent's call rings as who they are, not as an unverified number.
      assert.equal(await customer.getByTestId('lockscreen-name').innerText(), 'Alex Agent');
      assert.equal(await customer.getByTestId('lockscreen-unverified').count(), 0);
      assert.equal(await sheet.count(), 0, 'the waiting card yields to the ringing call');
      const accept = customer.getByTestId('lockscreen-accept');
      const box = (await accept.boundingBox())!;
      const onTop = await customer.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('[data-testid=lockscreen-accept]') !== null, [box.x + box.width / 2, box.y + box.height / 2]);
      assert.ok(onTop, 'nothing covers Accept');
      const chatLauncher = customer.getByTestId('chat-launcher');
      if (await chatLauncher.count()) assert.equal(await chatLauncher.isVisible(), false, 'the chat button yields to the ringing call');
      await screenshot(customer, `phone-lockscreen-agent-${size}`);
      assert.deepEqual(await seriousA11yViolations(customer), [], 'the lockscreen has no serious accessibility violations');
      await accept.click();
      await inState(customer, 'answered');
      // The call screen keeps the caller's name and runs a timer.
      assert.equal(await customer.getByTestId('call-remote-name').innerText(), 'Alex Agent');
      await customer.getByTestId('call-timer').waitFor();
      await agent.getByTestId('hangup').click();
      await inState(customer, 'ended');
      // The card that yielded is still there to answer once the call has gone.
      await sheet.waitFor();
      assert.equal(await sheet.getAttribute('data-card-id'), waiting.body.card.id);
      await customer.getByTestId('card-confirm').click();
      await sheet.waitFor({ state: 'detached' });
      await agent.context().close();
      await customer.context().close();
    });
  }
});
