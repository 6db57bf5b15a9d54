import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { acme, dropShared, itemRow, NO_SIP, newContact } from './routing-fixtures.js';

for (const backend of BACKENDS) {
  describe(`routing service on ${backend.name}`, () => {
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

    test('a chat is offered to the available agent, accepted and completed with a wrap-up code; events tell the story', async () => {
      const me = await s.api('GET', '/api/routing/me', { cookie: agentCookie });
      assert.equal(me.status, 200);
      assert.deepEqual(me.body.agent.skills, { general: 7, cards: 5, sales: 3 });
      assert.equal((await s.api('PUT', '/api/routing/me/presence', { cookie: agentCookie, body: { presence: 'available' } })).status, 200);

      const { itemId, interactionId } = await newContact(s, ids.tenantId, 'chat');
      await waitFor(async () => (await itemRow(s, itemId))?.state === 'offered', 5000, 'the offer');
      assert.equal((await itemRow(s, itemId))!.agentId, ids.agentId);

      const accepted = await s.api('POST', `/api/routing/items/${itemId}/accept`, { cookie: agentCookie });
      assert.equal(accepted.status, 200);
      assert.equal(accepted.body.state, 'assigned');

      const badCode = await s.api('POST', `/api/routing/items/${itemId}/complete`, { cookie: agentCookie, body: { wrapUpCode: 'nonsense' } });
      assert.equal(badCode.status, 400);
      assert.equal(badCode.body.code, 'unknown_wrap_up_code');
      assert.equal((await itemRow(s, itemId))!.state, 'assigned', 'a refused completion changes nothing');

      const done = await s.api('POST', `/api/routing/items/${itemId}/complete`, { cookie: agentCookie, body: { wrapUpCode: 'resolved' } });
      assert.equal(done.status, 200);
      assert.equal(done.body.state, 'completed');
      assert.equal(done.body.wrapUpCode, 'resolved');

      await waitFor(async () => (await s.api('GET', `/api/interactions/${interactionId}/timeline`, { cookie: agentCookie })).body.items.some((e: { type: string }) => e.type === 'routing.completed'));
      const timeline = (await s.api('GET', `/api/interactions/${interactionId}/timeline`, { cookie: agentCookie })).body.items.map((e: { type: string }) => e.type);
      assert.deepEqual(timeline.filter((t: string) => t.startsWith('routing.')), ['routing.queued', 'routing.offered', 'routing.accepted', 'routing.assigned', 'routing.completed']);
      const agent = (await s.api('GET', '/api/routing/me', { cookie: agentCookie })).body.agent;
      assert.equal(agent.textLoad, 0);
    });

    test('bad input is refused with a clear problem and changes nothing', async () => {
      const interaction = await s.ctx.interactions.create({ tenantId: ids.tenantId, channel: 'chat' });
      const unknownQueue = await s.api('POST', '/api/routing/items', { cookie: supCookie, body: { interactionId: interaction.id, channel: 'chat', queueName: 'nope' } });
      assert.equal(unknownQueue.status, 400);
      assert.equal(unknownQueue.body.code, 'unknown_queue');
      const unknownSkill = await s.api('POST', '/api/routing/items', { cookie: supCookie, body: { interactionId: interaction.id, channel: 'chat', queueName: 'support', skills: [{ skill: 'klingon', minLevel: 2 }] } });
      assert.equal(unknownSkill.status, 400);
      assert.equal(unknownSkill.body.code, 'unknown_skill');
      const notServed = await s.api('POST', '/api/routing/items', { cookie: supCookie, body: { interactionId: interaction.id, channel: 'video', queueName: 'support' } });
      assert.equal(notServed.body.code, 'channel_not_served');
      const bothQueues = await s.api('POST', '/api/routing/items', { cookie: supCookie, body: { interactionId: interaction.id, channel: 'chat' } });
      assert.equal(bothQueues.status, 400);
      assert.equal((await s.ctx.services.get('routing').repo.items({ tenantId: ids.tenantId, limit: 1000 })).filter((i) => i.interactionId === interaction.id).length, 0, 'no item was created');

      const negative = await s.api('PUT', `/api/routing/agents/${ids.agentId}`, { cookie: supCookie, body: { limit: -1 } });
      assert.equal(negative.status, 400);
      assert.equal(negative.body.fields[0].path, 'body.limit');
      const badSkill = await s.api('PUT', `/api/routing/agents/${ids.agentId}`, { cookie: supCookie, body: { skills: { klingon: 3 } } });
      assert.equal(badSkill.body.code, 'unknown_skill');
      assert.equal((await s.ctx.services.get('routing').repo.agent(ids.agentId))!.limit, 2, 'limit unchanged');

      const queueBadSkill = await s.api('POST', '/api/routing/queues', { cookie: supCookie, body: { name: 'x', channels: ['chat'], skills: [{ skill: 'klingon' }] } });
      assert.equal(queueBadSkill.body.code, 'unknown_skill');
      const agentMayNot = await s.api('POST', '/api/routing/queues', { cookie: agentCookie, body: { name: 'x', channels: ['chat'] } });
      assert.equal(agentMayNot.status, 403);
      assert.equal((await s.api('GET', '/api/routing/queues', { cookie: agentCookie })).body.items.some((q: { name: string }) => q.name === 'x'), false);
    });

    test('an offer is only the offered agent’s to accept, and not after it expired', async () => {
      // A second agent to receive the offer, so agent@ tries to take someone else's.
      const other = await s.api('POST', '/api/users', { cookie: await s.login('admin@acme.test'), body: { email: `o${backend.name.length}@acme.test`, name: 'Olive Other', role: 'agent', password: 'other-password' } });
      assert.equal(other.status, 201);
      const otherCookie = await s.login(other.body.email, 'other-password');
      await s.api('PUT', `/api/routing/agents/${other.body.id}`, { cookie: supCookie, body: { skills: { general: 9, sales: 9 }, limit: 1 } });
      await s.api('PUT', '/api/routing/me/presence', { cookie: agentCookie, body: { presence: 'away' } });
      await s.api('PUT', '/api/routing/me/presence', { cookie: otherCookie, body: { presence: 'available' } });

      const { itemId } = await newContact(s, ids.tenantId, 'voice');
      await waitFor(async () => (await itemRow(s, itemId))?.state === 'offered');
      assert.equal((await itemRow(s, itemId))!.agentId, other.body.id);
      const before = await itemRow(s, itemId);
      const stolen = await s.api('POST', `/api/routing/items/${itemId}/accept`, { cookie: agentCookie });
      assert.equal(stolen.status, 409);
      assert.equal(stolen.body.code, 'offer_not_yours');
      assert.deepEqual(await itemRow(s, itemId), before, 'state unchanged');

      // Expire the offer in the store (as if the agent let it ring) before the sweeper's next pass sees it.
      await s.ctx.store.db.updateTable('routing_items').set({ offer_expires_at: Date.now() - 1 }).where('id', '=', itemId).execute();
      const late = await s.api('POST', `/api/routing/items/${itemId}/accept`, { cookie: otherCookie });
      if (late.status === 409 && late.body.code === 'offer_not_pending') {
        assert.equal((await itemRow(s, itemId))!.state !== 'assigned', true, 'the sweeper re-queued it first: still not assigned');
      } else {
        assert.equal(late.status, 409);
        assert.equal(late.body.code, 'offer_expired');
      }
      // The sweeper re-queues it; the agent who let it expire is not asked again.
      await waitFor(async () => (await itemRow(s, itemId))!.declinedBy.includes(other.body.id), 5000, 'requeue after expiry');
      assert.notEqual((await itemRow(s, itemId))!.state, 'assigned');
      const otherLoad = (await s.ctx.services.get('routing').repo.agent(other.body.id))!;
      assert.equal(otherLoad.mediaCount, 0, 'the expired reservation freed the agent');
      await s.ctx.services.get('routing').cancel(itemId, 'test done');
      await s.api('PUT', '/api/routing/me/presence', { cookie: otherCookie, body: { presence: 'offline' } });
    });
  });

  describe(`routing state survives a restart on ${backend.name}`, () => {
    test('queued items and a pending reservation are there after restart, and the reservation can be accepted', async () => {
      const first = await startTestServer({ backend, config: NO_SIP });
      const info = first.reuseInfo;
      let second: TestServer | undefined;
      try {
        const ids = await acme(first);
        const cookie = await first.login('agent@acme.test');
        await first.api('PUT', '/api/routing/me/presence', { cookie, body: { presence: 'available' } });
        const call1 = await newContact(first, ids.tenantId, 'voice');
        await waitFor(async () => (await itemRow(first, call1.itemId))?.state === 'offered', 5000, 'offer of call 1');
        const call2 = await newContact(first, ids.tenantId, 'voice');
        // The agent is on (offered) audio: call 2 must wait.
        await new Promise((r) => setTimeout(r, 300));
        assert.equal((await itemRow(first, call2.itemId))!.state, 'queued');
        await first.close();

        second = await startTestServer({ backend, reuse: info, config: NO_SIP });
        assert.equal((await itemRow(second, call1.itemId))!.state, 'offered');
        assert.equal((await itemRow(second, call1.itemId))!.agentId, ids.agentId);
        assert.equal((await itemRow(second, call2.itemId))!.state, 'queued');
        const cookie2 = await second.login('agent@acme.test');
        const accepted = await second.api('POST', `/api/routing/items/${call1.itemId}/accept`, { cookie: cookie2 });
        assert.equal(accepted.status, 200);
        assert.equal(accepted.body.state, 'assigned');
        // Finishing call 1 frees the agent, whose wrap-up (10 s in the demo queue) then holds call 2 back.
        await second.api('POST', `/api/routing/items/${call1.itemId}/complete`, { cookie: cookie2, body: { wrapUpCode: 'resolved' } });
        const me = (await second.api('GET', '/api/routing/me', { cookie: cookie2 })).body.agent;
        assert.equal(me.presence, 'wrap-up');
        assert.ok(me.presenceUntil > Date.now());
        assert.equal((await itemRow(second, call2.itemId))!.state, 'queued');
        await second.api('PUT', '/api/routing/me/presence', { cookie: cookie2, body: { presence: 'available' } });
        await waitFor(async () => (await itemRow(second!, call2.itemId))?.state === 'offered', 5000, 'call 2 offered after wrap-up');
      } finally {
        await second?.close();
        await dropShared(backend, info);
      }
    });
  });
}
