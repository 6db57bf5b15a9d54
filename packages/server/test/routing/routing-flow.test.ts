import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { acme, itemRow, NO_SIP, newContact } from './routing-fixtures.js';

/** Reject → re-offer, overflow after a wait, priority order and supervisor reassignment, on both backends. */
for (const backend of BACKENDS) {
  describe(`routing flows on ${backend.name}`, () => {
    let s: TestServer;
    let ids: Awaited<ReturnType<typeof acme>>;
    let agent: string;
    let sup: string;
    let second: { id: string; cookie: string };

    before(async () => {
      s = await startTestServer({ backend, config: NO_SIP });
      ids = await acme(s);
      agent = await s.login('agent@acme.test');
      sup = await s.login('supervisor@acme.test');
      const admin = await s.login('admin@acme.test');
      const u = await s.api('POST', '/api/users', { cookie: admin, body: { email: 'bo@acme.test', name: 'Bo Backup', role: 'agent', password: 'bo-password' } });
      await s.api('PUT', `/api/routing/agents/${u.body.id}`, { cookie: sup, body: { skills: { general: 2 }, limit: 1 } });
      second = { id: u.body.id, cookie: await s.login('bo@acme.test', 'bo-password') };
    });
    after(async () => s?.destroy());

    const presence = (cookie: string, p: string) => s.api('PUT', '/api/routing/me/presence', { cookie, body: { presence: p } });

    test('a rejected offer goes to the next best agent, never back to who rejected it', async () => {
      await presence(agent, 'available');
      await presence(second.cookie, 'available');
      const { itemId } = await newContact(s, ids.tenantId, 'sms');
      await waitFor(async () => (await itemRow(s, itemId))?.state === 'offered');
      assert.equal((await itemRow(s, itemId))!.agentId, ids.agentId, 'the higher skill level wins');
      assert.equal((await s.api('POST', `/api/routing/items/${itemId}/reject`, { cookie: agent })).status, 200);
      await waitFor(async () => (await itemRow(s, itemId))?.agentId === second.id, 5000, 're-offer to Bo');
      assert.equal((await s.api('POST', `/api/routing/items/${itemId}/reject`, { cookie: second.cookie })).status, 200);
      await new Promise((r) => setTimeout(r, 300));
      const row = (await itemRow(s, itemId))!;
      assert.equal(row.state, 'queued', 'nobody left who has not declined');
      assert.deepEqual(new Set(row.declinedBy), new Set([ids.agentId, second.id]));
      const again = await s.api('POST', `/api/routing/items/${itemId}/reject`, { cookie: agent });
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'offer_not_pending');
      await s.ctx.services.get('routing').cancel(itemId, 'done');
    });

    test('higher priority first; an item waiting past the overflow time moves to the overflow queue', async () => {
      await presence(agent, 'away');
      await presence(second.cookie, 'away');
      const queues = (await s.api('GET', '/api/routing/queues', { cookie: sup })).body.items;
      const support = queues.find((q: { name: string }) => q.name === 'support');
      const vip = await s.api('POST', '/api/routing/queues', { cookie: sup, body: { name: 'vip', channels: ['chat'], priority: 5, skills: [{ skill: 'cards', minLevel: 9 }], overflowQueueId: support.id, overflowAfterSeconds: 1 } });
      assert.equal(vip.status, 201);
      const badOverflow = await s.api('PUT', `/api/routing/queues/${vip.body.id}`, { cookie: sup, body: { name: 'vip', channels: ['chat'], overflowQueueId: vip.body.id, overflowAfterSeconds: 1 } });
      assert.equal(badOverflow.body.code, 'unknown_queue', 'a queue cannot overflow into itself');

      const vipItem = await newContact(s, ids.tenantId, 'chat', 'vip');
      const low = await newContact(s, ids.tenantId, 'chat', 'support', {});
      const high = await s.ctx.services.get('routing').enqueue({ tenantId: ids.tenantId, interactionId: (await s.ctx.interactions.create({ tenantId: ids.tenantId, channel: 'chat' })).id, channel: 'chat', queueName: 'support', priority: 9 });
      // Nobody has cards ≥ 9: after a second it overflows into support, keeping its original wait.
      await waitFor(async () => (await itemRow(s, vipItem.itemId))?.queueId === support.id, 5000, 'overflow');
      const moved = (await itemRow(s, vipItem.itemId))!;
      assert.ok(moved.queueEnteredAt > moved.enqueuedAt);
      await waitFor(async () => (await s.api('GET', `/api/interactions/${vipItem.interactionId}/timeline`, { cookie: sup })).body.items.some((e: { type: string }) => e.type === 'routing.overflowed'));

      // The agent (limit 2) comes back: the priority-9 item first, then the longest waiting of the rest,
      // the overflowed one (it keeps the wait it started in "vip").
      await presence(agent, 'available');
      await waitFor(async () => (await itemRow(s, high.itemId))?.state === 'offered' && (await itemRow(s, vipItem.itemId))?.state === 'offered', 5000, 'two offers');
      assert.equal((await itemRow(s, high.itemId))!.agentId, ids.agentId);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await itemRow(s, low.itemId))!.state, 'queued', 'the item that waited least stays in line');
      for (const id of [high.itemId, low.itemId, vipItem.itemId]) await s.ctx.services.get('routing').cancel(id, 'done');
    });

    test('a supervisor reassigns an item; the allocation rule still protects the target', async () => {
      await presence(agent, 'available');
      await presence(second.cookie, 'available');
      const call = await newContact(s, ids.tenantId, 'voice');
      await waitFor(async () => (await itemRow(s, call.itemId))?.state === 'offered');
      const holder = (await itemRow(s, call.itemId))!.agentId!;
      const other = holder === ids.agentId ? second.id : ids.agentId;
      // Fill the other agent with a voice item of their own first: then they cannot take a second call.
      const busy = await newContact(s, ids.tenantId, 'voice');
      await waitFor(async () => (await itemRow(s, busy.itemId))?.agentId === other, 5000, 'the other agent busy');
      const before = await itemRow(s, call.itemId);
      const refused = await s.api('POST', `/api/routing/items/${call.itemId}/reassign`, { cookie: sup, body: { agentId: other } });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.code, 'agent_at_capacity');
      assert.deepEqual(await itemRow(s, call.itemId), before, 'unchanged');
      const agentMayNot = await s.api('POST', `/api/routing/items/${call.itemId}/reassign`, { cookie: agent, body: { agentId: other } });
      assert.equal(agentMayNot.status, 403);

      await s.ctx.services.get('routing').cancel(busy.itemId, 'hung up');
      const moved = await s.api('POST', `/api/routing/items/${call.itemId}/reassign`, { cookie: sup, body: { agentId: other } });
      assert.equal(moved.status, 200);
      assert.equal(moved.body.state, 'assigned');
      assert.equal(moved.body.agentId, other);
      const loads = await Promise.all([holder, other].map((id) => s.ctx.services.get('routing').repo.agent(id)));
      assert.deepEqual(loads.map((a) => a!.mediaCount), [0, 1], 'the load moved with the item');
      await s.ctx.services.get('routing').complete(call.itemId);
    });
  });
}
