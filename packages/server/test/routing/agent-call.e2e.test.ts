import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { heardFiles, startBaresip, toneShare } from '../helpers/baresip.js';
import { callScenario, runSipp, SIPP_PCAPS } from '../helpers/sipp.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { softphoneAudio } from '../helpers/page-audio.js';
import { RAW_TEXT, screenshot, seriousA11yViolations } from '../helpers/ui-checks.js';

const SHOTS = process.env.E2E_SCREENSHOTS;

/**
 * A routed voice call taken on the three-pane /agent desktop in Chromium: a caller
 * reaches the support queue, the offer appears in the work list, one click on Accept
 * connects the call (the softphone answers by itself) and both sides hear each other.
 * While the agent is on that call, a second caller (sipp pressing 1 in the IVR) waits
 * unoffered. The agent hangs up: the wrap-up form stays until they give a code, the
 * interaction closes, the agent is available and the waiting call — showing what the
 * caller pressed — is offered at once.
 */
describe('an agent takes a queued call on /agent (Chromium, baresip, sipp)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let agent: Page;
  let port: number;
  const events: AnyEvent[] = [];

  before(async () => {
    // The agent's microphone: a steady 600 Hz tone.
    rig = await startBrowserRig({ apps: ['agent/index.html'], events: { types: ['call.', 'routing.', 'desk.', 'interaction.'], into: events }, microphone: { hz: 600, seconds: 40 } });
    s = rig.s;
    const telephony = s.ctx.services.get('telephony');
    port = rig.sipPort();
    // A direct support line (no menu), so baresip, which cannot send RFC 4733 digits from a script, reaches the queue.
    const tenantId = (await s.ctx.tenants.bySlug('acme'))!.id;
    const flow = await telephony.flows.create(tenantId, 'support-line', [{ verb: 'enqueue', queue: 'support' }]);
    await telephony.numbers.create({ tenantId, number: '200', flowId: flow.id });
    // A wrap-up time long enough for a loaded machine: the form must be there when the agent gets to it.
    const routing = s.ctx.services.get('routing');
    const support = (await routing.repo.queues(tenantId)).find((q) => q.name === 'support')!;
    const { id: _id, tenantId: _t, createdAt: _c, updatedAt: _u, ...input } = support;
    const edited = await s.api('PUT', `/api/routing/queues/${support.id}`, { body: { ...input, wrapUpSeconds: 120 }, cookie: await s.login('supervisor@acme.test') });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    agent = await rig.open('/agent/', { as: 'agent@acme.test', softphone: true, label: 'agent', context: { viewport: { width: 1280, height: 900 } } });
    await agent.getByTestId('presence-available').click();
    await agent.locator('[data-testid=presence][data-presence=available]').waitFor();
  });
  after(() => rig?.close());

  /** Peak frequency of what the agent's softphone plays (the caller). */
  const heard = async () => (await softphoneAudio(agent)).hz;

  const ofType = <T>(type: string) => events.filter((e) => e.type === type).map((e) => e.data as T);

  test('offer → one click on accept → bridged, both hear each other; no second voice offer meanwhile; wrap-up with a code → available', async () => {
    const caller = startBaresip({ account: `<sip:customer@127.0.0.1:${port}>;auth_pass=demo;regint=0`, commands: [`/dial sip:200@127.0.0.1:${port}`], seconds: 30, toneHz: 1000 });
    let second: ReturnType<typeof runSipp> | undefined;
    try {
      const offer = agent.getByTestId('offer');
      await offer.waitFor();
      const [first] = ofType<{ itemId: string; channel: string; interactionId: string }>('routing.queued');
      assert.equal(first.channel, 'voice');
      await agent.getByTestId('offer-accept').click();
      // Accepting makes callsight call the agent: the softphone on the same page rings and answers by itself.
      await waitFor(async () => (await agent.getByTestId('softphone').getAttribute('data-state')) === 'answered', 8000, 'softphone answered');
      await waitFor(() => ofType('call.bridged').length > 0, 5000, 'caller and agent bridged');
      const card = agent.locator(`[data-testid=work-card][data-item-id="${first.itemId}"]`);
      await card.locator('[data-testid=voice-call][data-state=answered]').waitFor();

      // Issue 7: while the agent is on a voice call, no further voice offer. sipp presses 1 in the IVR.
      second = runSipp({ scenario: callScenario({ pcap: `${SIPP_PCAPS}/dtmf_2833_1.pcap`, pauseMs: 1500, waitMs: 25_000 }), port, service: '100', timeoutSec: 45 });
      let waiting = '';
      await waitFor(() => {
        waiting = ofType<{ itemId: string }>('routing.queued').find((q) => q.itemId !== first.itemId)?.itemId ?? '';
        return Boolean(waiting);
      }, 15_000, 'second caller queued after pressing 1');
      let best = 0;
      for (let i = 0; i < 5 && Math.abs(best - 1000) > 30; i++) best = await heard();
      assert.ok(Math.abs(best - 1000) < 30, `the agent hears the caller's 1 kHz tone (peak ${best} Hz)`);
      // Longer than the sweeper's full re-plan (2 s): had the agent been free, it would have been offered.
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal((await s.ctx.services.get('routing').repo.item(waiting))!.state, 'queued');
      assert.equal(ofType<{ itemId: string }>('routing.offered').filter((o) => o.itemId === waiting).length, 0, 'no offer event for the second call');
      assert.equal(await agent.getByTestId('offer').count(), 0, 'no offer on screen while on a voice call');
      const items = await s.api('GET', '/api/routing/items?state=queued', { cookie: await s.login('supervisor@acme.test') });
      assert.ok(items.body.items.some((i: { id: string }) => i.id === waiting), JSON.stringify(items.body));
      if (SHOTS) await agent.screenshot({ path: path.join(SHOTS, 'agent-on-call.png'), fullPage: true });
      // The three panes: one row for the call, the conversation, the customer; one <main>; no raw ids; no serious axe findings.
      await agent.locator(`[data-testid=work-item][data-interaction-id="${first.interactionId}"][data-on-call=true]`).waitFor();
      assert.equal(await agent.locator(`[data-testid=work-item][data-interaction-id="${first.interactionId}"]`).count(), 1, 'one call, one row');
      assert.equal(await agent.locator('main').count(), 1, 'one main landmark');
      await agent.getByTestId('customer-panel').waitFor();
      assert.doesNotMatch(await agent.locator('.desk').innerText(), RAW_TEXT);
      for (const width of [1280, 1920]) {
        await agent.setViewportSize({ width, height: width === 1280 ? 800 : 1080 });
        await screenshot(agent, `agent-desktop-${width}`);
      }
      const a11y = await seriousA11yViolations(agent);
      assert.deepEqual(a11y, [], a11y.join('\n'));

      // The agent hangs up: the item completes and the agent is in wrap-up, with the form in front of them.
      await agent.getByTestId('hangup').click();
      await waitFor(() => ofType<{ itemId: string }>('routing.completed').some((c) => c.itemId === first.itemId), 8000, 'first item completed');
      await agent.locator('[data-testid=presence][data-presence=wrap-up]').waitFor();
      const form = agent.locator(`[data-testid=wrap-up-form][data-item-id="${first.itemId}"]`);
      await form.waitFor();
      assert.equal(await agent.getByTestId('offer').count(), 0, 'no offer during wrap-up');
      await screenshot(agent, 'agent-desktop-wrap-up');
      // A code and notes: the agent is available again, the interaction closes, the waiting call is offered.
      await form.getByTestId('wrap-up-code').selectOption('resolved');
      await form.getByTestId('wrap-up-notes').fill('Card unblocked');
      await form.getByTestId('wrap-up-submit').click();
      await agent.locator('[data-testid=presence][data-presence=available]').waitFor();
      await agent.getByTestId('offer').waitFor();
      assert.ok(ofType<{ itemId: string }>('routing.offered').some((o) => o.itemId === waiting), 'the waiting call is offered once the agent is free');
      assert.match(await agent.getByTestId('offer-reason').innerText(), /Pressed 1/);
      const done = ofType<{ itemId: string; code: string | null }>('desk.wrapped_up').find((w) => w.itemId === first.itemId);
      assert.equal(done?.code, 'resolved');
      await waitFor(() => ofType<{ interactionId: string }>('interaction.closed').some((c) => c.interactionId === first.interactionId), 5000, 'the interaction closes');
      await agent.locator(`[data-testid=work-item][data-interaction-id="${first.interactionId}"]`).waitFor({ state: 'detached' });
      await caller.done;
      const [file] = heardFiles(caller.recordings);
      const { share } = await toneShare(file, 600);
      assert.ok(share > 0.3, `the caller hears the agent's 600 Hz tone (share ${share})`);
    } finally {
      caller.kill();
      if (second) await second;
    }
  });
});
