import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBaresip } from '../helpers/baresip.js';
import { callScenario, runSipp, SIPP_PCAPS } from '../helpers/sipp.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Voice through the one allocator: a caller (sipp) presses 1 in the demo IVR, the
 * call is queued in "support", offered to the available agent, accepted, and the
 * agent's registered desk phone (baresip) rings and is bridged to the caller.
 */
describe('voice calls routed to agents', () => {
  let s: TestServer;
  let port: number;
  let agent: string;
  const events: AnyEvent[] = [];

  before(async () => {
    s = await startTestServer();
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    agent = await s.login('agent@acme.test');
    await s.ctx.bus.subscribe({ types: ['call.', 'routing.'] }, (e) => void events.push(e));
  });
  after(() => s.destroy());

  test('queued, offered, accepted, bridged to the agent phone, completed at hangup', async () => {
    const presence = await s.api('PUT', '/api/routing/me/presence', { cookie: agent, body: { presence: 'available' } });
    assert.equal(presence.status, 200, JSON.stringify(presence.body));
    const phone = startBaresip({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;answermode=auto;regint=60`, seconds: 25 });
    try {
      await waitFor(async () => (await s.ctx.services.get('telephony').registrations.contacts('agent')).length > 0, 5000, 'agent phone registered');
      // The agent desk accepts whatever voice offer arrives.
      const sub = await s.ctx.bus.subscribe({ types: ['routing.offered'] }, async (e) => {
        const data = e.data as { itemId: string; channel: string };
        if (data.channel === 'voice') await s.api('POST', `/api/routing/items/${data.itemId}/accept`, { cookie: agent });
      });
      const caller = runSipp({
        scenario: callScenario({ pcap: `${SIPP_PCAPS}/dtmf_2833_1.pcap`, pauseMs: 1500, waitMs: 12_000 }),
        port,
        service: '100',
        timeoutSec: 40,
      });
      const r = await caller;
      await sub.unsubscribe();
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const types: string[] = events.map((e) => e.type);
      for (const t of ['routing.queued', 'routing.offered', 'routing.accepted', 'routing.assigned', 'call.bridged']) assert.ok(types.includes(t), `${t} in ${types.join(',')}`);
      const queued = events.find((e) => e.type === 'routing.queued')!.data as { channel: string; interactionId: string };
      assert.equal(queued.channel, 'voice');
      await waitFor(() => events.some((e) => e.type === 'routing.completed'), 8000, 'routing item completed after hangup');
      const call = events.find((e) => e.type === 'call.created')!;
      assert.equal(call.interactionId, queued.interactionId, 'the queue item belongs to the caller interaction');
    } finally {
      phone.kill();
    }
  });
});
