import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBaresip, type Baresip } from '../helpers/baresip.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { RAW_TEXT, screenshot, seriousA11yViolations, VIEWPORTS } from '../helpers/ui-checks.js';
import { waitFor } from '../helpers/wait.js';

/**
 * A warm transfer driven from the /agent desk in Chromium: the agent on a live call
 * picks a colleague (a baresip desk phone that answers by itself) and clicks "Consult
 * first"; the panel says in words who they are talking to and that the caller is on
 * hold. They go back to the caller once, then consult again, bring all three together
 * and complete the transfer: the agent's call ends and their wrap-up starts.
 */
describe('consult transfer from the /agent desk (Chromium, baresip)', () => {
  let rig: BrowserRig;
  let agent: Page;
  let colleagueId: string;
  const events: AnyEvent[] = [];
  const phones: Baresip[] = [];

  before(async () => {
    rig = await startBrowserRig({ apps: ['agent/index.html'], events: { types: ['call.', 'routing.', 'desk.'], into: events }, microphone: true });
    const s = rig.s;
    const admin = await s.login('admin@acme.test');
    const bo = await s.api('POST', '/api/users', { cookie: admin, body: { email: 'bo@acme.test', name: 'Bo Backup', role: 'agent', password: 'bo-password' } });
    assert.equal(bo.status, 201, JSON.stringify(bo.body));
    colleagueId = bo.body.id;
    assert.equal((await s.api('POST', '/api/sip/accounts', { cookie: admin, body: { username: 'bo', password: 'consult-me', userId: colleagueId } })).status, 201);
    const flow = (await s.api('POST', '/api/flows', { cookie: admin, body: { name: 'support-line', verbs: [{ verb: 'enqueue', queue: 'support' }] } })).body;
    assert.equal((await s.api('POST', '/api/numbers', { cookie: admin, body: { number: 'support-line', flowId: flow.id } })).status, 201);
    // A wrap-up long enough for a loaded machine: it must still be on when the test looks.
    const tenantId = (await s.ctx.tenants.bySlug('acme'))!.id;
    const support = (await s.ctx.services.get('routing').repo.queues(tenantId)).find((q) => q.name === 'support')!;
    const { id: _id, tenantId: _t, createdAt: _c, updatedAt: _u, ...input } = support;
    const edited = await s.api('PUT', `/api/routing/queues/${support.id}`, { body: { ...input, wrapUpSeconds: 120 }, cookie: await s.login('supervisor@acme.test') });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    agent = await rig.open('/agent/', { as: 'agent@acme.test', softphone: true, label: 'agent', context: { viewport: VIEWPORTS.desktop } });
    await agent.getByTestId('presence-available').click();
    await agent.locator('[data-testid=presence][data-presence=available]').waitFor();
  });
  after(async () => {
    for (const p of phones) p.kill();
    await rig?.close();
  });

  const ofType = <T>(type: string) => events.filter((e) => e.type === type).map((e) => e.data as T);

  /** Words only, no raw ids; no serious axe findings; nothing wider than the screen or its card. */
  async function checkScreen(name: string, testId = 'consult-panel') {
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      await agent.setViewportSize(viewport);
      await agent.getByTestId(testId).scrollIntoViewIfNeeded();
      assert.doesNotMatch(await agent.locator('.desk').innerText(), RAW_TEXT);
      const overflow = await agent.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name} at ${size}: ${overflow}px sideways scroll`);
      const spill = await agent.getByTestId(testId).evaluate((card) => {
        const edge = card.getBoundingClientRect().right;
        return [...card.querySelectorAll('button, select, input')].filter((el) => el.getBoundingClientRect().right > edge + 0.5).map((el) => el.textContent);
      });
      assert.deepEqual(spill, [], `${name} at ${size}: controls past the card's edge`);
      await screenshot(agent, `agent-consult-${name}-${viewport.width}`);
      const a11y = await seriousA11yViolations(agent);
      assert.deepEqual(a11y, [], a11y.join('\n'));
    }
  }

  let checkedForm = false;
  async function consultBo() {
    const form = agent.getByTestId('transfer-form');
    await form.waitFor();
    await form.getByTestId('transfer-agent').selectOption(`user:${colleagueId}`);
    if (!checkedForm) await checkScreen('transfer', 'transfer-form');
    checkedForm = true;
    await form.getByTestId('consult-start').click();
    const panel = agent.locator('[data-testid=consult-panel][data-state=consulting]');
    await panel.waitFor({ timeout: 15_000 });
    assert.match(await panel.getByTestId('consult-status').innerText(), /You are talking to Bo Backup\. The caller is on hold/);
    return panel;
  }

  test('consult first → back to the caller; consult again → conference → complete: the agent is in wrap-up', async () => {
    const port = rig.sipPort();
    phones.push(startBaresip({ account: `<sip:bo@127.0.0.1:${port}>;auth_pass=consult-me;answermode=auto;regint=60`, seconds: 110, toneHz: 1400 }));
    const tel = rig.s.ctx.services.get('telephony');
    await waitFor(async () => (await tel.registrations.contacts('bo')).length > 0, 8000, 'colleague phone registered');
    phones.push(startBaresip({ account: '<sip:casey@127.0.0.1>;regint=0', commands: [`/dial sip:support-line@127.0.0.1:${port}`], seconds: 110, toneHz: 600 }));

    await agent.getByTestId('offer').waitFor({ timeout: 15_000 });
    await agent.getByTestId('offer-accept').click();
    await waitFor(async () => (await agent.getByTestId('softphone').getAttribute('data-state')) === 'answered', 10_000, 'softphone answered');
    await waitFor(() => ofType('call.bridged').length > 0, 8000, 'caller and agent bridged');

    let panel = await consultBo();
    await checkScreen('consulting');
    await panel.getByTestId('consult-cancel').click();
    await agent.getByTestId('transfer-form').waitFor();
    await waitFor(() => ofType<{ outcome: string }>('desk.consult_ended').some((e) => e.outcome === 'cancelled'), 8000, 'consult cancelled');

    panel = await consultBo();
    await panel.getByTestId('consult-conference').click();
    const conference = agent.locator('[data-testid=consult-panel][data-state=conference]');
    await conference.waitFor();
    assert.match(await conference.getByTestId('consult-status').innerText(), /You, Bo Backup and the caller all hear each other/);
    await checkScreen('conference');
    await conference.getByTestId('consult-complete').click();
    await waitFor(() => ofType('call.transferred').length > 0, 8000, 'call transferred');
    await agent.locator('[data-testid=presence][data-presence=wrap-up]').waitFor({ timeout: 10_000 });
    assert.equal(await agent.getByTestId('consult-panel').count(), 0, 'the consult panel is gone once the caller is handed over');
  });
});
