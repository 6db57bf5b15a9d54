import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { acme, dropShared, NO_SIP } from './routing-fixtures.js';

const backend = BACKENDS.find((b) => b.name === 'postgres+nats')!;
const AGENTS = 5;
const ITEMS = 150;

/**
 * Two servers on one Postgres schema and one NATS stream, as two processes of a
 * deployment would be: enqueues, accepts and completions are spread over both
 * and run concurrently. Checked all along: no agent ever holds more than the
 * rule allows, and each item is offered once (every agent accepts at once, so
 * a second offer could only be a double allocation). At the end every item was
 * completed exactly once and all counters are back to zero.
 */
describe('two routing processes on postgres+nats', () => {
  let a: TestServer;
  let b: TestServer;
  let tenantId: string;
  const agentIds: string[] = [];
  const limits = new Map<string, number>();

  before(async () => {
    a = await startTestServer({ backend, config: NO_SIP });
    b = await startTestServer({ backend, reuse: a.reuseInfo, config: NO_SIP });
    tenantId = (await acme(a)).tenantId;
    const admin = await a.login('admin@acme.test');
    const sup = await a.login('supervisor@acme.test');
    for (let i = 0; i < AGENTS; i++) {
      const u = await a.api('POST', '/api/users', { cookie: admin, body: { email: `load${i}@acme.test`, name: `Load ${i}`, role: 'agent', password: 'load-password' } });
      const limit = 1 + (i % 3);
      await a.api('PUT', `/api/routing/agents/${u.body.id}`, { cookie: sup, body: { skills: { general: 1 + i }, limit } });
      agentIds.push(u.body.id);
      limits.set(u.body.id, limit);
    }
    // The demo agent stays offline: only the load agents take work.
    for (const id of agentIds) await b.ctx.services.get('routing').setPresence(tenantId, id, 'available');
  });
  after(async () => {
    await b?.close();
    await a?.destroy();
    if (a) await dropShared(backend, a.reuseInfo);
  });

  test(`${ITEMS} chats and SMS through two processes: never over capacity, never allocated twice, none lost`, async () => {
    const servers = [a, b];
    const itemIds: string[] = [];
    const accepted = new Set<string>();
    const completed = new Set<string>();
    const violations: string[] = [];

    const checkCapacity = async () => {
      const held = await a.ctx.store.db.selectFrom('routing_items').select(['agent_id', 'channel', 'volume']).where('state', 'in', ['offered', 'assigned']).where('tenant_id', '=', tenantId).execute();
      const load = new Map<string, number>();
      for (const h of held) load.set(h.agent_id!, (load.get(h.agent_id!) ?? 0) + h.volume);
      for (const [agent, l] of load) if (l > (limits.get(agent) ?? 0)) violations.push(`${agent} holds ${l} > ${limits.get(agent)}`);
    };

    // Agents: accept every offer at once (through either process), finish it shortly after.
    let working = true;
    const agentLoop = (async () => {
      while (working) {
        const offered = await a.ctx.store.db.selectFrom('routing_items').select(['id', 'agent_id']).where('state', '=', 'offered').where('tenant_id', '=', tenantId).execute();
        await Promise.all(
          offered.map(async (o, i) => {
            const s = servers[i % 2];
            await s.ctx.services.get('routing').accept(tenantId, o.id, o.agent_id!).then(
              () => {
                assert.ok(!accepted.has(o.id), `item ${o.id} accepted twice`);
                accepted.add(o.id);
              },
              () => {},
            );
          }),
        );
        await checkCapacity();
        const assigned = await a.ctx.store.db.selectFrom('routing_items').select('id').where('state', '=', 'assigned').where('tenant_id', '=', tenantId).execute();
        await Promise.all(assigned.map(async (x, i) => servers[(i + 1) % 2].ctx.services.get('routing').complete(x.id).then(() => completed.add(x.id))));
        await new Promise((r) => setTimeout(r, 10));
      }
    })();

    // Customers: enqueue concurrently on both processes.
    await Promise.all(
      Array.from({ length: ITEMS }, async (_, i) => {
        const s = servers[i % 2];
        const interaction = await s.ctx.interactions.create({ tenantId, channel: 'chat' });
        const { itemId } = await s.ctx.services.get('routing').enqueue({ tenantId, interactionId: interaction.id, channel: i % 3 === 0 ? 'sms' : 'chat', queueName: 'support', volume: 1 + (i % 2) });
        itemIds.push(itemId);
      }),
    );

    await waitFor(async () => {
      const open = await a.ctx.store.db.selectFrom('routing_items').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '!=', 'completed').where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
      return Number(open.n) === 0;
    }, 60_000, 'all items completed');
    working = false;
    await agentLoop;

    assert.deepEqual(violations, [], 'capacity was never exceeded');
    assert.equal(completed.size, ITEMS, 'every item completed');
    const offers = await a.ctx.store.db.selectFrom('events').select(['data']).where('type', '=', 'routing.offered').execute();
    const perItem = new Map<string, number>();
    for (const o of offers) {
      const id = JSON.parse(o.data).itemId as string;
      perItem.set(id, (perItem.get(id) ?? 0) + 1);
    }
    assert.equal(perItem.size, ITEMS, 'every item was offered');
    assert.deepEqual([...perItem].filter(([, n]) => n !== 1), [], 'no item was offered twice');
    const agents = await a.ctx.store.db.selectFrom('routing_agents').select(['user_id', 'text_load', 'media_count']).where('user_id', 'in', agentIds).execute();
    assert.deepEqual(agents.map((x) => [x.text_load, x.media_count]), agentIds.map(() => [0, 0]), 'all load counters back to zero');
    // Both processes allocated: the safety above held under real contention.
    assert.ok(a.ctx.services.get('routing').stats.offers > 0 && b.ctx.services.get('routing').stats.offers > 0, `offers by process: ${a.ctx.services.get('routing').stats.offers} / ${b.ctx.services.get('routing').stats.offers}`);
    assert.equal(a.ctx.services.get('routing').stats.offers + b.ctx.services.get('routing').stats.offers, ITEMS);
  });
});
