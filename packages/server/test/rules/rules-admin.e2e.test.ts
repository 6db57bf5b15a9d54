import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { openInteraction } from '../confirm/confirm-helpers.js';
import { waitFor } from '../helpers/wait.js';
import { RAW_TEXT, screenshot, seriousA11yViolations, VIEWPORTS } from '../helpers/ui-checks.js';

/**
 * The rules editor in Chromium, end to end: an admin writes a rule in /admin (a bad
 * condition is caught as they type, with its position), tests it against recent
 * events, turns it on; the customer taps "cancel" in the app while on a call; the
 * agent's desktop shows, on that call, which rule changed it and why; the admin sees
 * the hit and the live trace. At phone and desktop sizes.
 */
describe('cross-channel rules: /admin editor → app event → the agent’s call shows the rule (Chromium)', () => {
  let rig: BrowserRig;
  const events: AnyEvent[] = [];

  before(async () => {
    rig = await startBrowserRig({ apps: ['admin/index.html', 'agent/index.html'], events: { types: ['rules.'], into: events } });
  });
  after(() => rig?.close());

  test('create, validate, backtest, turn on; the tap changes the live call; trace on both screens', async () => {
    const s = rig.s;
    // The customer is on a call (an open voice contact with a live call); the agent has it on screen.
    const tenantId = (await s.ctx.tenants.bySlug('acme'))!.id;
    const adminCookie = await s.login('admin@acme.test');
    const customer = await s.login('customer@acme.test');
    const customerId = (await s.api('GET', '/api/users?role=customer', { cookie: adminCookie })).body.items.find((u: { email: string }) => u.email === 'customer@acme.test').id as string;
    const callInt = await openInteraction(s, adminCookie, customerId);
    await s.ctx.bus.publish({ tenantId, type: 'call.created', interactionId: callInt, data: { callId: 'call_rules_e2e', direction: 'inbound', from: '+15550100', to: '+15550199' } });
    const admin = await rig.open('/admin/#rules', { as: 'admin@acme.test', timeout: 20_000, context: { viewport: VIEWPORTS.desktop } });
    await admin.getByTestId('section-rules').waitFor();
    await admin.getByTestId('rule-new').click();
    const editor = admin.getByTestId('rule-editor');
    await editor.getByTestId('rule-name').fill('Cancel tapped during a call');
    const step = editor.getByTestId('rule-step-0');
    await step.getByTestId('rule-step-type').fill('app.order.cancel_tapped');
    await editor.getByTestId('rule-action-text').fill('Customer tapped cancel on order {{data.orderId}}: offer to keep it');
    // A typo in the condition: refused while typing, with where it is.
    await step.getByTestId('rule-step-when').fill('event.data.reason == ');
    await editor.getByTestId('rule-invalid').waitFor();
    assert.match(await step.locator('.field-error').innerText(), /character \d+/);
    assert.equal(await editor.getByTestId('rule-save-on').isDisabled(), true, 'an invalid rule cannot be saved');
    await step.getByTestId('rule-step-when').fill('event.data.reason != "test"');
    await step.getByTestId('rule-step-when-ok').waitFor();
    assert.match(await step.getByTestId('rule-step-when-ok').innerText(), /reason is not "test"/);
    await editor.getByTestId('rule-valid').waitFor();
    assert.match(await editor.getByTestId('rule-preview').innerText(), /When app\.order\.cancel_tapped where reason is not "test" while a call with the customer is live: whisper/);

    // Earlier taps in the log, during the call: one real, one a test; the backtest finds the real one and acts on nothing.
    const tap = (body: object) => s.api('POST', '/api/events/activity', { cookie: customer, body });
    assert.equal((await tap({ action: 'order.cancel_tapped', data: { orderId: 'A-1', reason: 'changed mind' } })).status, 202);
    assert.equal((await tap({ action: 'order.cancel_tapped', data: { orderId: 'A-2', reason: 'test' } })).status, 202);
    await waitFor(async () => {
      await editor.getByTestId('rule-test').click();
      await editor.getByTestId('rule-backtest-count').waitFor();
      return /fired 1 time\b/.test(await editor.getByTestId('rule-backtest-count').innerText());
    }, 15_000, 'the backtest finds the earlier tap');
    assert.equal(await editor.getByTestId('rule-backtest-hit').count(), 1);
    assert.match(await editor.getByTestId('rule-backtest-hit').innerText(), /app\.order\.cancel_tapped.*Casey Customer.*would whisper “Customer tapped cancel on order A-1/s);
    assert.equal(events.filter((e) => e.type === 'rules.fired').length, 0, 'a backtest acts on nothing');
    await screenshot(admin, 'rules-editor-desktop', { fullPage: true });

    await editor.getByTestId('rule-save-on').click();
    const row = admin.getByTestId('rule-row').filter({ hasText: 'Cancel tapped during a call' });
    await row.locator('[data-testid=rule-mode-active][aria-checked=true]').waitFor();

    const agent = await rig.open('/agent/', { as: 'agent@acme.test', timeout: 20_000, context: { viewport: VIEWPORTS.desktop } });
    await agent.locator(`[data-testid=work-item][data-interaction-id="${callInt}"]`).click();
    await agent.locator(`[data-testid=conversation][data-interaction-id="${callInt}"]`).waitFor();

    // The tap in the app (another channel) changes the call: the agent sees the rule, what it did and why.
    assert.equal((await tap({ action: 'order.cancel_tapped', data: { orderId: 'B-7', reason: 'too late' } })).status, 202);
    const entry = agent.getByTestId('rules-trace-entry');
    await entry.getByTestId('rules-trace-whisper').waitFor({ timeout: 20_000 });
    assert.match(await entry.innerText(), /Cancel tapped during a call/);
    assert.match(await entry.getByTestId('rules-trace-whisper').innerText(), /order B-7: offer to keep it/);
    assert.match(await entry.innerText(), /Because of app\.order\.cancel_tapped in another channel: matched/);
    assert.ok(events.some((e) => e.type === 'rules.whisper' && e.interactionId === callInt), 'the whisper went to the call’s interaction');
    assert.doesNotMatch(await agent.getByTestId('rules-trace').innerText(), RAW_TEXT);
    await screenshot(agent, 'rules-agent-trace-desktop');
    await agent.setViewportSize(VIEWPORTS.phone);
    await agent.getByTestId('rules-trace').scrollIntoViewIfNeeded();
    await screenshot(agent, 'rules-agent-trace-phone');

    // Admin: one hit, and the live trace names what it did.
    await waitFor(async () => (await row.getByTestId('rule-hits').innerText()).startsWith('1 '), 10_000, 'one hit');
    // Saving opened the rule's live activity.
    assert.equal(await row.getByTestId('rule-watch').getAttribute('aria-expanded'), 'true');
    await row.locator('[data-testid=rule-firing][data-outcome=fired]').first().waitFor();
    assert.match(await row.getByTestId('rule-firings').innerText(), /Acted/);
    assert.doesNotMatch(await admin.getByTestId('section-rules').innerText(), RAW_TEXT);
    assert.deepEqual(await seriousA11yViolations(admin), []);
    await screenshot(admin, 'rules-list-desktop', { fullPage: true });
    await admin.setViewportSize(VIEWPORTS.phone);
    await screenshot(admin, 'rules-list-phone', { fullPage: true });
    await row.getByTestId('rule-edit').click();
    await admin.getByTestId('rule-editor').waitFor();
    await screenshot(admin, 'rules-editor-phone', { fullPage: true });
  });
});
