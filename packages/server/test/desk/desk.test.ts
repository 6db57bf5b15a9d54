import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { acme, itemRow, NO_SIP, newContact } from '../routing/routing-fixtures.js';

for (const backend of BACKENDS) {
  describe(`agent desktop wrap-ups, closing interactions and reports on ${backend.name}`, () => {
    let s: TestServer;
    let ids: Awaited<ReturnType<typeof acme>>;
    let agentCookie: string;
    let supCookie: string;

    before(async () => {
      s = await startTestServer({ backend, config: NO_SIP });
      ids = await acme(s);
      agentCookie = await s.login('agent@acme.test');
      supCookie = await s.login('supervisor@acme.test');
    });
    after(async () => s?.destroy());

    test('a finished call waits for its wrap-up: a bad code is refused, a good one ends wrap-up, closes the interaction and shows in the report', async () => {
      const from = Date.now() - 1000;
      assert.equal((await s.api('PUT', '/api/routing/me/presence', { cookie: agentCookie, body: { presence: 'available' } })).status, 200);
      const { itemId, interactionId } = await newContact(s, ids.tenantId, 'voice');
      await waitFor(async () => (await itemRow(s, itemId))?.state === 'offered', 5000, 'the offer');
      assert.equal((await s.api('POST', `/api/routing/items/${itemId}/accept`, { cookie: agentCookie })).status, 200);
      // What the enqueue verb does when the call ends.
      await s.ctx.services.get('routing').complete(itemId);

      const pending = await s.api('GET', '/api/desk/wrap-ups', { cookie: agentCookie });
      assert.equal(pending.status, 200);
      const mine = pending.body.items.find((w: { itemId: string }) => w.itemId === itemId);
      assert.ok(mine, JSON.stringify(pending.body));
      assert.deepEqual(mine.codes, ['resolved', 'follow-up', 'escalated']);
      assert.ok(mine.dueAt > Date.now());
      assert.equal((await s.api('GET', '/api/routing/me', { cookie: agentCookie })).body.agent.presence, 'wrap-up');
      // The interaction waits for the wrap-up.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await s.ctx.interactions.get(ids.tenantId, interactionId))!.state, 'open');

      const bad = await s.api('POST', `/api/desk/wrap-ups/${itemId}`, { cookie: agentCookie, body: { code: 'nonsense' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'unknown_wrap_up_code');
      assert.match(bad.headers.get('content-type') ?? '', /problem\+json/);
      assert.equal((await s.api('GET', '/api/desk/wrap-ups', { cookie: agentCookie })).body.items.length, pending.body.items.length, 'nothing changed');

      const done = await s.api('POST', `/api/desk/wrap-ups/${itemId}`, { cookie: agentCookie, body: { code: 'resolved', notes: 'Card unblocked' } });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.code, 'resolved');
      const again = await s.api('POST', `/api/desk/wrap-ups/${itemId}`, { cookie: agentCookie, body: { code: 'resolved' } });
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'wrap_up_not_pending');
      assert.equal((await s.api('GET', '/api/routing/me', { cookie: agentCookie })).body.agent.presence, 'available');
      await waitFor(async () => (await s.ctx.interactions.get(ids.tenantId, interactionId))!.state === 'closed', 5000, 'the interaction closes');
      assert.equal((await itemRow(s, itemId))!.wrapUpCode, 'resolved');

      const report = await s.api('GET', `/api/desk/reports?from=${from}&to=${Date.now() + 1000}&by=queue`, { cookie: supCookie });
      assert.equal(report.status, 200, JSON.stringify(report.body));
      const support = report.body.rows.find((r: { name: string }) => r.name === 'support');
      assert.equal(support.handled, 1);
      assert.deepEqual(support.wrapUpCodes, { resolved: 1 });
      const byAgent = await s.api('GET', `/api/desk/reports?from=${from}&to=${Date.now() + 1000}&by=agent`, { cookie: supCookie });
      assert.equal(byAgent.body.rows.find((r: { key: string }) => r.key === ids.agentId)?.handled, 1);
    });

    test('bad report ranges and agents asking for reports get clear problems', async () => {
      const backwards = await s.api('GET', `/api/desk/reports?from=${Date.now()}&to=${Date.now() - 1000}`, { cookie: supCookie });
      assert.equal(backwards.status, 400);
      assert.equal(backwards.body.code, 'invalid_report_range');
      const tooLong = await s.api('GET', `/api/desk/reports?from=0&to=${Date.now()}`, { cookie: supCookie });
      assert.equal(tooLong.body.code, 'invalid_report_range');
      assert.equal((await s.api('GET', `/api/desk/reports?from=0&to=1000`, { cookie: agentCookie })).status, 403);
    });

    test('only routed work closes itself: an interaction nobody routed stays open after its call (a link or card may follow), one with a queued item too', async () => {
      const interaction = await s.ctx.interactions.create({ tenantId: ids.tenantId, channel: 'voice' });
      const waiting = await newContact(s, ids.tenantId, 'voice', 'sales');
      await s.ctx.bus.publish({ tenantId: ids.tenantId, type: 'call.ended', interactionId: waiting.interactionId, data: { callId: 'call_y', cause: 'hangup', durationSeconds: 1 } });
      await s.ctx.bus.publish({ tenantId: ids.tenantId, type: 'call.ended', interactionId: interaction.id, data: { callId: 'call_x', cause: 'hangup', durationSeconds: 1 } });
      // Both events are handled in order with the first test's: give them time to act, then check neither closed.
      await new Promise((r) => setTimeout(r, 500));
      assert.equal((await s.ctx.interactions.get(ids.tenantId, interaction.id))!.state, 'open', 'nothing was routed: it stays open for what comes next');
      assert.equal((await s.ctx.interactions.get(ids.tenantId, waiting.interactionId))!.state, 'open', 'its item still waits in a queue');
    });
  });
}
