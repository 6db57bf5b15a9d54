import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { callScenario, runSipp } from '../helpers/sipp.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { TestSmsc } from '../sms/smsc.js';

/** The caller's side in a real browser: the SMS link opens the chat, already connected to the agent's queue. */
describe('deflected caller in Chromium', () => {
  let smsc: TestSmsc;
  let rig: BrowserRig;
  let s: TestServer;
  let browser: Browser;
  const events: AnyEvent[] = [];

  before(async () => {
    smsc = await new TestSmsc().start();
    rig = await startBrowserRig({ server: { config: { smppUrl: smsc.url } }, events: { types: ['call.ended', 'routing.queued', 'chat.message'], into: events } });
    ({ s, browser } = rig);
    await waitFor(() => smsc.bound === 1, 5000, 'bound to the SMSC');
  });
  after(async () => {
    await rig?.close();
    await smsc?.down();
  });

  test('the link page ends the call and shows the chat; the agent’s reply arrives in it and the caller can answer', async () => {
    const admin = await s.login('admin@acme.test');
    const agent = await s.login('agent@acme.test');
    const flow = await s.api('POST', '/api/flows', { cookie: admin, body: { name: 'deflect', verbs: [{ verb: 'deflect', to: 'chat', timeoutSeconds: 60 }, { verb: 'hangup' }] } });
    await s.api('POST', '/api/numbers', { cookie: admin, body: { number: '+15550999', flowId: (flow.body as { id: string }).id } });
    const port = s.ctx.services.get('telephony').endpoint.ports.udp;
    const call = runSipp({ scenario: callScenario({ pauseMs: 0, waitMs: 20_000, fromUser: '+33612345678' }).replace(' ontimeout="hangup"', ''), port, service: '+15550999', timeoutSec: 30 });
    await waitFor(() => smsc.submitted.length === 1, 8000, 'SMS with the link');
    const url = /(http:\/\/\S+\/d\/\S+)/.exec(smsc.submitted[0].text)![1];

    const page = await browser.newPage();
    await page.goto(url);
    await page.getByTestId('deflect-title').getByText('You are now in chat').waitFor();
    await page.getByTestId('chat-message').filter({ hasText: 'Moved from a phone call by +33612345678' }).waitFor({ timeout: 5000 });
    assert.equal((await call).code, 0, 'sipp received BYE');
    assert.equal((events.find((e) => e.type === 'call.ended')!.data as { cause: string }).cause, 'deflected');

    // The agent takes the chat and answers; the caller sees it and replies.
    const queued = events.find((e) => e.type === 'routing.queued' && (e.data as { channel: string }).channel === 'chat')!;
    const itemId = (queued.data as { itemId: string }).itemId;
    const item = await s.ctx.services.get('routing').repo.item(itemId);
    const conversationId = item!.context.conversationId as string;
    assert.equal((await s.api('PUT', '/api/routing/me/presence', { cookie: agent, body: { presence: 'available' } })).status, 200);
    await waitFor(async () => (await s.ctx.services.get('routing').repo.item(itemId))!.state === 'offered', 5000, 'chat offered');
    assert.equal((await s.api('POST', `/api/routing/items/${itemId}/accept`, { cookie: agent })).status, 200);
    const sent = await s.api('POST', `/api/chat/conversations/${conversationId}/messages`, { cookie: agent, body: { text: 'Hello, I see you called about your card.' } });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    await page.getByTestId('chat-message').filter({ hasText: 'I see you called about your card' }).waitFor({ timeout: 5000 });
    await page.getByTestId('chat-input').fill('Yes, it was stolen');
    await page.getByTestId('chat-send').click();
    await waitFor(() => events.some((e) => e.type === 'chat.message' && (e.data as { text: string }).text === 'Yes, it was stolen'), 5000, 'caller reply');
    await page.screenshot({ path: '/tmp/deflect-chat.png' });
  });
});
