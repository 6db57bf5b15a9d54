import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { routingOf } from '../../src/routing/routing-registry.js';
import { heardFiles, startBaresip, toneShare } from '../helpers/baresip.js';
import { callScenario, runSipp, SIPP_PCAPS } from '../helpers/sipp.js';
import { WEB_DIST, launchChromium, requireBrowserAndWeb, openSoftphone, toneWav } from '../helpers/chromium.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { softphoneAudio } from '../helpers/page-audio.js';

const SHOTS = process.env.E2E_SCREENSHOTS;

/**
 * A routed voice call taken on /agent in Chromium: a caller reaches the support
 * queue, the offer appears on the agent desktop, the agent accepts, callsight rings
 * the agent's browser softphone, the agent answers and both sides hear each other.
 * While the agent is on that call, a second caller (sipp pressing 1 in the IVR) waits
 * unoffered, and is offered as soon as the first call ends.
 */
describe('an agent takes a queued call on /agent (Chromium, baresip, sipp)', () => {
  let s: TestServer;
  let browser: Browser;
  let agent: Page;
  let dir: string;
  let port: number;
  const events: AnyEvent[] = [];

  before(async () => {
    requireBrowserAndWeb('agent/index.html');
    dir = mkdtempSync(path.join(tmpdir(), 'agent-call-'));
    // The agent's microphone: a steady 600 Hz tone.
    toneWav(path.join(dir, 'tone.wav'), 600, 40);
    s = await startTestServer({ config: { webDir: WEB_DIST } });
    const telephony = s.ctx.services.get('telephony');
    port = telephony.endpoint.ports.udp;
    // A direct support line (no menu), so baresip, which cannot send RFC 4733 digits from a script, reaches the queue.
    const tenantId = (await s.ctx.tenants.bySlug('acme'))!.id;
    const flow = await telephony.flows.create(tenantId, 'support-line', [{ verb: 'enqueue', queue: 'support' }]);
    await telephony.numbers.create({ tenantId, number: '200', flowId: flow.id });
    await s.ctx.bus.subscribe({ types: ['call.', 'routing.'] }, (e) => void events.push(e));
    browser = await launchChromium({ fakeMedia: path.join(dir, 'tone.wav') });
    agent = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    agent.setDefaultTimeout(8000);
    if (process.env.E2E_DEBUG) agent.on('console', (m) => console.log('[agent]', m.type(), m.text()));
    await openSoftphone(agent, `${s.url}/agent/`, 'agent@acme.test');
    await agent.getByTestId('presence-available').click();
    await agent.locator('[data-testid=presence][data-presence=available]').waitFor();
  });
  after(async () => {
    await browser?.close();
    await s?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Peak frequency of what the agent's softphone plays (the caller). */
  const heard = async () => (await softphoneAudio(agent)).hz;

  const ofType = <T>(type: string) => events.filter((e) => e.type === type).map((e) => e.data as T);

  test('offer → accept → the softphone rings → answer → bridged, both hear each other; no second voice offer meanwhile', async () => {
    const caller = startBaresip({ account: `<sip:customer@127.0.0.1:${port}>;auth_pass=demo;regint=0`, commands: [`/dial sip:200@127.0.0.1:${port}`], seconds: 30, toneHz: 1000 });
    let second: ReturnType<typeof runSipp> | undefined;
    try {
      const offer = agent.getByTestId('offer');
      await offer.waitFor();
      const [first] = ofType<{ itemId: string; channel: string; interactionId: string }>('routing.queued');
      assert.equal(first.channel, 'voice');
      await agent.getByTestId('offer-accept').click();
      // Accepting makes callsight call the agent: the softphone on the same page rings.
      await agent.getByTestId('answer').click();
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
      assert.equal((await routingOf(s.ctx).repo.item(waiting))!.state, 'queued');
      assert.equal(ofType<{ itemId: string }>('routing.offered').filter((o) => o.itemId === waiting).length, 0, 'no offer event for the second call');
      assert.equal(await agent.getByTestId('offer').count(), 0, 'no offer on screen while on a voice call');
      const items = await s.api('GET', '/api/routing/items?state=queued', { cookie: await s.login('supervisor@acme.test') });
      assert.ok(items.body.items.some((i: { id: string }) => i.id === waiting), JSON.stringify(items.body));
      if (SHOTS) await agent.screenshot({ path: path.join(SHOTS, 'agent-on-call.png'), fullPage: true });

      // The agent hangs up: the item completes and the agent is in wrap-up; back to Available, the waiting call is offered at once.
      await agent.getByTestId('hangup').click();
      await waitFor(() => ofType<{ itemId: string }>('routing.completed').some((c) => c.itemId === first.itemId), 8000, 'first item completed');
      await agent.locator('[data-testid=presence][data-presence=wrap-up]').waitFor();
      assert.equal(await agent.getByTestId('offer').count(), 0, 'no offer during wrap-up');
      await agent.getByTestId('presence-available').click();
      await agent.getByTestId('offer').waitFor();
      assert.ok(ofType<{ itemId: string }>('routing.offered').some((o) => o.itemId === waiting), 'the waiting call is offered once the agent is free');
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
