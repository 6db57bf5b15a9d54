import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { callScenario, runSipp } from '../helpers/sipp.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { TestSmsc } from '../sms/smsc.js';

const CALLER = '+33612345678';
const NUMBER = '+15550991';

/**
 * The web side of call control in a real browser: the /admin rule editor, the
 * visual menu and callback pages a caller opens on a phone-sized screen, and an
 * SMS conversation as a thread in /agent.
 */
describe('call-control pages in Chromium', () => {
  let smsc: TestSmsc;
  let rig: BrowserRig;
  let s: TestServer;
  let browser: Browser;
  let admin: string;
  let numberId: string;
  let sipPort: number;
  const events: AnyEvent[] = [];

  before(async () => {
    smsc = await new TestSmsc().start();
    rig = await startBrowserRig({
      apps: ['admin/index.html', 'agent/index.html'],
      server: { config: { smppUrl: smsc.url } },
      events: { types: ['call.ended', 'routing.queued', 'deflect.', 'callback.', 'sms.'], into: events },
    });
    ({ s, browser } = rig);
    await waitFor(() => smsc.bound === 1, 5000, 'bound to the SMSC');
    admin = await s.login('admin@acme.test');
    const flow = await s.api('POST', '/api/flows', {
      cookie: admin,
      body: {
        name: 'card-ivr',
        verbs: [{ verb: 'gather', prompt: [{ verb: 'say', text: 'Press 1 for a lost card, 2 to talk about a payment.' }], branches: { '1': [{ verb: 'hangup' }], '2': [{ verb: 'hangup' }] } }],
      },
    });
    const num = await s.api('POST', '/api/numbers', { cookie: admin, body: { number: NUMBER, flowId: (flow.body as { id: string }).id } });
    numberId = (num.body as { id: string }).id;
    sipPort = rig.sipPort();
  });
  after(async () => {
    await rig?.close();
    await smsc?.down();
  });

  const loginPage = (path: string, email: string): Promise<Page> => rig.open(path, { as: email, timeout: 30_000 });

  /** A sipp call that must get BYE from callsight, and the link texted to the caller. */
  const deflectedCall = async () => {
    const sent = smsc.submitted.length;
    const call = runSipp({ scenario: callScenario({ pauseMs: 0, waitMs: 20_000, fromUser: CALLER }).replace(' ontimeout="hangup"', ''), port: sipPort, service: NUMBER, timeoutSec: 30 });
    await waitFor(() => smsc.submitted.length > sent, 10_000, 'SMS with the link');
    return { call, url: /(http:\/\/\S+\/d\/\S+)/.exec(smsc.submitted[sent].text)![1] };
  };

  const phone = async () => (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();

  test('/agent: an inbound SMS is offered, shown as a thread, and the agent’s reply goes out by SMS; the next text joins the thread live', async () => {
    const agent = await loginPage('/agent/', 'agent@acme.test');
    await agent.getByTestId('presence-available').click();
    assert.equal(await smsc.deliver('+33698765432', NUMBER, 'Hi, my card is blocked abroad'), 0);
    const offer = agent.locator('[data-testid=offer][data-channel=sms]');
    await offer.waitFor({ timeout: 10_000 });
    await offer.getByTestId('offer-accept').click();
    const card = agent.getByTestId('work-card').filter({ has: agent.getByTestId('agent-sms-log') });
    await card.getByTestId('agent-sms-message').filter({ hasText: 'Hi, my card is blocked abroad' }).waitFor();
    const sent = smsc.submitted.length;
    await card.getByTestId('agent-sms-input').fill('I have unblocked it, try again now.');
    await card.getByTestId('agent-sms-send').click();
    await waitFor(() => smsc.submitted.length > sent, 5000, 'reply submitted to the SMSC');
    assert.deepEqual({ to: smsc.submitted[sent].to, from: smsc.submitted[sent].from, text: smsc.submitted[sent].text }, { to: '33698765432', from: NUMBER, text: 'I have unblocked it, try again now.' });
    await card.getByTestId('agent-sms-message').filter({ hasText: 'I have unblocked it' }).waitFor();
    await smsc.deliver('+33698765432', NUMBER, 'It works, thanks!');
    await card.getByTestId('agent-sms-message').filter({ hasText: 'It works, thanks!' }).waitFor({ timeout: 5000 });
    await agent.screenshot({ path: '/tmp/agent-sms-thread.png' });
    // Later tests queue chats: nobody takes them.
    await agent.getByTestId('presence-offline').click();
    await agent.close();
  });
  test('/admin: the rule editor saves calendar, caller-number and history conditions with an action and options; a bad time zone is shown with its path and saves nothing', async () => {
    const page = await loginPage('/admin/#telephony', 'admin@acme.test');
    await page.getByTestId('telephony-tab-numbers').click();
    await page.getByTestId('number-row').filter({ hasText: NUMBER }).getByTestId('number-rules').click();
    const editor = page.getByTestId('rules-editor');
    await editor.getByTestId('rules-stats').filter({ hasText: 'no deflections' }).waitFor();
    await editor.getByTestId('rule-add').click();
    const rule = editor.getByTestId('rule').first();
    await rule.getByTestId('rule-then').selectOption('deflect_menu');
    await rule.getByTestId('rule-prefixes').fill('+336, +337');
    await rule.getByTestId('rule-day-sat').check();
    await rule.getByTestId('rule-day-sun').check();
    await rule.getByTestId('rule-dates').fill('2026-12-25');
    await rule.getByTestId('rule-calendar-tz').fill('Mars/Olympus');
    await rule.getByTestId('rule-calls-at-least').fill('2');
    await rule.getByTestId('rule-within-days').fill('7');
    await rule.getByTestId('rule-queue').fill('support');
    await editor.getByTestId('rules-save').click();
    await editor.getByTestId('problem').filter({ hasText: 'rules.0.when.calendar.tz' }).waitFor();
    assert.deepEqual((await s.api('GET', `/api/numbers/${numberId}/deflection-rules`, { cookie: admin })).body, { rules: [] }, 'nothing saved');

    await rule.getByTestId('rule-calendar-tz').fill('Europe/Paris');
    await editor.getByTestId('rules-save').click();
    await waitFor(async () => ((await s.api('GET', `/api/numbers/${numberId}/deflection-rules`, { cookie: admin })).body as { rules: unknown[] }).rules.length === 1, 5000, 'rules saved');
    const saved = (await s.api('GET', `/api/numbers/${numberId}/deflection-rules`, { cookie: admin })).body as { rules: unknown[] };
    assert.deepEqual(saved.rules[0], {
      direction: 'inbound',
      when: { callerNumber: { prefixes: ['+336', '+337'] }, calendar: { tz: 'Europe/Paris', weekdays: ['sat', 'sun'], dates: ['2026-12-25'] }, history: { callsAtLeast: 2, withinDays: 7 } },
      then: 'deflect_menu',
      options: { queue: 'support' },
    });
    await editor.screenshot({ path: '/tmp/admin-call-rules.png' });
    await page.close();
  });

  test('visual menu on a phone screen: the flow’s choices; picking one opens the chat with the choice for the agent', async () => {
    await s.api('PUT', `/api/numbers/${numberId}/deflection-rules`, { cookie: admin, body: { rules: [{ when: { callerType: 'mobile' }, then: 'deflect_menu' }] } });
    const { call, url } = await deflectedCall();
    const page = await phone();
    await page.goto(url);
    await page.getByTestId('deflect-title').getByText('How can we help?').waitFor();
    const choices = page.getByTestId('menu-choice');
    assert.deepEqual((await choices.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')), ['1 A lost card', '2 Talk about a payment']);
    assert.equal((await call).code, 0, 'the call ended (BYE) when the menu opened');
    await choices.filter({ hasText: 'Talk about a payment' }).click();
    await page.getByTestId('menu-chat').click();
    await page.getByTestId('deflect-title').getByText('You are now in chat').waitFor();
    await page.getByTestId('chat-message').filter({ hasText: 'chose “Talk about a payment” (2)' }).waitFor({ timeout: 5000 });
    const queued = events.filter((e) => e.type === 'routing.queued' && (e.data as { channel: string }).channel === 'chat').at(-1)!;
    const item = await s.ctx.services.get('routing').repo.item((queued.data as { itemId: string }).itemId);
    assert.deepEqual({ choice: item!.context.menuChoice, label: item!.context.menuLabel }, { choice: '2', label: 'Talk about a payment' });
    await page.screenshot({ path: '/tmp/deflect-menu-chat.png' });
    await page.close();
  });

  test('callback page on a phone screen: pick a time, book it, see the confirmation; the booking is listed', async () => {
    await s.api('PUT', `/api/numbers/${numberId}/deflection-rules`, { cookie: admin, body: { rules: [{ when: { callerNumber: { numbers: [CALLER] } }, then: 'deflect_callback' }] } });
    const { call, url } = await deflectedCall();
    const page = await phone();
    await page.goto(url);
    await page.getByTestId('deflect-title').getByText('Book a call back').waitFor();
    assert.equal((await call).code, 0, 'the call ended (BYE) when the page opened');
    const slot = page.getByTestId('callback-slot');
    const options = await slot.locator('option').all();
    assert.ok(options.length >= 5);
    assert.equal(await options[0].innerText(), 'As soon as possible');
    assert.doesNotMatch(await options[1].innerText(), /UTC/, 'shown in the phone’s local time');
    const chosen = Number(await options[1].getAttribute('value'));
    await slot.selectOption(String(chosen));
    await page.getByTestId('callback-book').click();
    await page.getByTestId('deflect-title').getByText('Call back booked').waitFor();
    await page.getByTestId('callback-time').waitFor();
    const list = (await s.api('GET', '/api/callbacks?state=booked', { cookie: admin })).body as { items: { slotAt: number; caller: string }[] };
    assert.deepEqual(list.items.map((c) => [c.caller, c.slotAt]), [[CALLER, chosen]]);
    await page.screenshot({ path: '/tmp/deflect-callback.png' });
    await page.close();
  });

});
