import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { NO_SIP } from '../routing/routing-fixtures.js';

const SHOTS = process.env.E2E_SCREENSHOTS;

/** A visitor chats from the demo page's widget; the agent takes it on /agent; capacity holds back a second chat. */
describe('web chat to the agent desktop in Chromium', () => {
  let rig: BrowserRig;
  let s: TestServer;

  before(async () => {
    rig = await startBrowserRig({ apps: ['agent/index.html'], server: { config: NO_SIP } });
    s = rig.s;
  });
  after(() => rig?.close());

  async function visitor(name: string): Promise<Page> {
    const page = await rig.open('/chat/demo.html', { beforeLoad: (p) => p.on('dialog', (d) => void d.accept(name)) });
    await page.getByTestId('chat-launcher').click();
    return page;
  }

  async function say(page: Page, text: string) {
    await page.getByTestId('chat-input').fill(text);
    await page.getByTestId('chat-send').click();
  }

  test('visitor and agent exchange messages; at the text limit no further chat is offered', async () => {
    const sup = await s.login('supervisor@acme.test');
    const agentUser = (await s.ctx.users.byEmailWithHash('agent@acme.test'))!;
    // One chat fills the agent's text workload.
    assert.equal((await s.api('PUT', `/api/routing/agents/${agentUser.id}`, { cookie: sup, body: { limit: 1 } })).status, 200);

    const agent = await rig.open('/agent/', { as: 'agent@acme.test' });
    await agent.getByTestId('presence-available').click();
    await agent.locator('[data-testid=presence][data-presence=available]').waitFor();

    const vera = await visitor('Vera Visitor');
    await say(vera, 'Hello, my card is blocked');
    await vera.locator('[data-testid=chat-message][data-author=visitor]', { hasText: 'my card is blocked' }).waitFor();

    const offer = agent.getByTestId('offer');
    await offer.waitFor();
    assert.match(await offer.innerText(), /Vera Visitor/);
    assert.match(await agent.getByTestId('offer-countdown').innerText(), /^\d+s$/);
    await agent.getByTestId('offer-accept').click();
    const card = agent.getByTestId('work-card');
    await card.locator('[data-testid=agent-chat-message][data-author=visitor]', { hasText: 'my card is blocked' }).waitFor();
    await agent.locator('[data-testid=agent-load][data-text-load="1"][data-limit="1"]').waitFor();
    await vera.locator('[data-testid=chat-message][data-author=system]', { hasText: 'Alex Agent joined' }).waitFor();

    // Typing shows on the other side.
    await vera.getByTestId('chat-input').pressSequentially('Also');
    await agent.getByTestId('agent-chat-typing').filter({ hasText: 'Vera Visitor is typing' }).waitFor();
    await vera.getByTestId('chat-input').fill('');

    await agent.getByTestId('agent-chat-input').fill('I can help with that. Unblocking it now.');
    await agent.getByTestId('agent-chat-send').click();
    await vera.locator('[data-testid=chat-message][data-author=agent]', { hasText: 'Unblocking it now' }).waitFor();
    await say(vera, 'Thank you!');
    await card.locator('[data-testid=agent-chat-message][data-author=visitor]', { hasText: 'Thank you!' }).waitFor();
    if (SHOTS) await agent.screenshot({ path: path.join(SHOTS, 'agent-desktop.png'), fullPage: true });
    if (SHOTS) await vera.screenshot({ path: path.join(SHOTS, 'chat-widget.png') });

    // A second visitor while the agent is at the limit: the item waits, no offer appears.
    const walt = await visitor('Walt Waiting');
    await say(walt, 'Anyone there?');
    const tenantId = agentUser.tenantId;
    let waltItem = '';
    await waitFor(async () => {
      const queued = await s.ctx.services.get('routing').repo.items({ tenantId, states: ['queued', 'offered'], limit: 10 });
      waltItem = queued.find((i) => i.context.visitorName === 'Walt Waiting')?.id ?? '';
      return Boolean(waltItem);
    });
    // Longer than the sweeper's full re-plan (every 2 s): had capacity been free, it would have been offered.
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal((await s.ctx.services.get('routing').repo.item(waltItem))!.state, 'queued');
    assert.equal(await agent.getByTestId('offer').count(), 0, 'no offer while at the text limit');

    // The supervisor sees Walt waiting in "support" and the agent at their limit.
    const supervisor = await rig.open('/admin/#routing', { as: 'supervisor@acme.test' });
    await supervisor.locator('[data-testid=queue-row][data-queue=support] [data-testid=queue-waiting]', { hasText: '1' }).waitFor();
    assert.match(await supervisor.locator('[data-testid=agent-row][data-email="agent@acme.test"]').innerText(), /available\s+1 \/ 1/);
    if (SHOTS) await supervisor.screenshot({ path: path.join(SHOTS, 'supervisor.png'), fullPage: true });

    // Finishing Vera's chat frees the capacity: Walt's chat is offered at once.
    await agent.getByTestId('wrap-up-code').selectOption('resolved');
    await agent.getByTestId('work-complete').click();
    await vera.locator('[data-testid=chat-message][data-author=system]', { hasText: 'ended the chat' }).waitFor();
    await agent.getByTestId('offer').filter({ hasText: 'Walt Waiting' }).waitFor();
    assert.equal((await s.ctx.services.get('routing').repo.item(waltItem))!.agentId, agentUser.id);
  });

  test('a logged-in customer opens the same chat from /phone, tied to their account', async () => {
    const page = await rig.open('/phone/', { as: 'customer@acme.test' });
    await page.getByTestId('chat-launcher').click();
    await page.getByTestId('chat-input').fill('Question about my loan');
    await page.getByTestId('chat-send').click();
    await page.locator('[data-testid=chat-message][data-author=customer]', { hasText: 'my loan' }).waitFor();
    const customer = (await s.ctx.users.byEmailWithHash('customer@acme.test'))!;
    const items = await s.ctx.services.get('routing').repo.items({ tenantId: customer.tenantId, states: ['queued', 'offered'], limit: 50 });
    const mine = items.find((i) => i.context.visitorName === 'Casey Customer');
    assert.ok(mine, 'the chat was enqueued under the customer’s name');
    assert.equal((await s.ctx.interactions.get(customer.tenantId, mine.interactionId))!.customerId, customer.id);
  });
});
