import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { EventBus } from '../../src/bus/event-bus.js';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { connect } from 'nats';
import { MemoryBus } from '../../src/bus/memory-bus.js';
import { NatsBus } from '../../src/bus/nats-bus.js';
import { createLogger } from '../../src/core/logger.js';
import { EventLog } from '../../src/store/event-log.js';
import { Store } from '../../src/store/store.js';
import { BACKENDS, dropPgSchema, uniqueName, type Backend } from '../helpers/backends.js';
import { waitFor } from '../helpers/wait.js';

const log = createLogger('silent');

async function openBus(backend: Backend, stream: string, sink: EventLog | null): Promise<EventBus> {
  return backend.natsUrl ? NatsBus.connect({ url: backend.natsUrl, stream }, sink, log) : new MemoryBus(sink, log);
}

for (const backend of BACKENDS) {
  describe(`event bus on ${backend.name}`, () => {
    const stream = uniqueName('BUS').toUpperCase();
    const schema = uniqueName('bus');
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    async function setup() {
      const store = await Store.open({ url: backend.databaseUrl, dataDir: `/tmp/${schema}`, schema });
      await store.migrate();
      const eventLog = new EventLog(store);
      const bus = await openBus(backend, stream, eventLog);
      cleanups.push(async () => {
        await bus.close();
        await store.close();
        if (backend.databaseUrl) await dropPgSchema(backend.databaseUrl, schema);
      });
      return { store, eventLog, bus };
    }

    test('publish delivers typed events to matching subscribers and appends them to the audit log', async () => {
      const { bus, eventLog } = await setup();
      const all: AnyEvent[] = [];
      const users: AnyEvent[] = [];
      await bus.subscribe({}, (e) => void all.push(e));
      await bus.subscribe({ types: ['user.'] }, (e) => void users.push(e));
      const published = await bus.publish({
        tenantId: 'ten_a',
        type: 'user.created',
        interactionId: 'int_x',
        data: { userId: 'usr_1', email: 'a@b.c', role: 'agent' },
      });
      await bus.publish({ tenantId: 'ten_a', type: 'apikey.revoked', data: { apiKeyId: 'key_1' } });
      await waitFor(() => all.length === 2 && users.length === 1);
      assert.deepEqual(users[0], published);
      assert.match(published.id, /^evt_/);
      const logged = await eventLog.query({ tenantId: 'ten_a', limit: 10 });
      assert.deepEqual(
        logged.map((r) => r.event.type),
        ['user.created', 'apikey.revoked'],
      );
      assert.equal(logged[0].event.interactionId, 'int_x');
      assert.equal((await eventLog.query({ tenantId: 'ten_b', limit: 10 })).length, 0);
    });

    test('publishMany stores and delivers a batch in its order, once each', async () => {
      const { bus, eventLog } = await setup();
      const seen: string[] = [];
      await bus.subscribe({ types: ['apikey.'] }, (e) => void seen.push((e.data as { apiKeyId: string }).apiKeyId));
      const keys = Array.from({ length: 50 }, (_, i) => `key_${i}`);
      const events = await bus.publishMany(keys.map((apiKeyId) => ({ tenantId: 'ten_m', type: 'apikey.revoked' as const, data: { apiKeyId } })));
      assert.equal(new Set(events.map((e) => e.id)).size, keys.length);
      await waitFor(() => seen.length >= keys.length);
      assert.deepEqual(seen, keys);
      const logged = await eventLog.query({ tenantId: 'ten_m', limit: 100 });
      assert.deepEqual(
        logged.map((r) => r.event.id),
        events.map((e) => e.id),
      );
      assert.deepEqual(await bus.publishMany([]), []);
    });

    test('a failing handler gets the event again (at-least-once)', async () => {
      const { bus } = await setup();
      let calls = 0;
      await bus.subscribe({ group: uniqueName('retry'), types: ['webhook.deleted'] }, () => {
        calls++;
        if (calls < 3) throw new Error('transient');
      });
      await new Promise((r) => setTimeout(r, 100));
      await bus.publish({ tenantId: 'ten_a', type: 'webhook.deleted', data: { webhookId: 'whk_1' } });
      await waitFor(() => calls >= 3, 10_000);
      assert.equal(calls, 3);
    });

    test('subscriptions of one process each get their own types in order, and a blocked one holds no other up', async () => {
      const { bus } = await setup();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const blocked: string[] = [];
      const free: string[] = [];
      const other: string[] = [];
      const keyOf = (e: AnyEvent) => (e.data as { apiKeyId?: string; webhookId?: string }).apiKeyId ?? (e.data as { webhookId: string }).webhookId;
      await bus.subscribe({ types: ['apikey.'] }, async (e) => {
        await gate;
        blocked.push(keyOf(e));
      });
      await bus.subscribe({ types: ['apikey.revoked'] }, (e) => void free.push(keyOf(e)));
      const gone = await bus.subscribe({ types: ['webhook.'] }, (e) => void other.push(keyOf(e)));
      const keys = Array.from({ length: 20 }, (_, i) => `key_${i}`);
      for (const apiKeyId of keys) await bus.publish({ tenantId: 'ten_f', type: 'apikey.revoked', data: { apiKeyId } });
      await bus.publish({ tenantId: 'ten_f', type: 'webhook.deleted', data: { webhookId: 'whk_1' } });
      await waitFor(() => free.length === keys.length && other.length === 1);
      assert.deepEqual(free, keys);
      assert.equal(blocked.length, 0);
      release();
      await waitFor(() => blocked.length === keys.length);
      assert.deepEqual(blocked, keys);
      await gone.unsubscribe();
      await bus.publish({ tenantId: 'ten_f', type: 'webhook.deleted', data: { webhookId: 'whk_2' } });
      await bus.publish({ tenantId: 'ten_f', type: 'apikey.revoked', data: { apiKeyId: 'last' } });
      await waitFor(() => free.length === keys.length + 1);
      assert.deepEqual(other, ['whk_1']);
    });

    if (backend.natsUrl) {
      test('a group consumer is filtered on the server, and one whose types change is widened in place', async () => {
        const { bus } = await setup();
        const nc = await connect({ servers: backend.natsUrl });
        cleanups.push(() => nc.close());
        const jsm = await nc.jetstreamManager();
        const group = uniqueName('filtered');
        const got: string[] = [];
        const first = await bus.subscribe({ group, types: ['apikey.'] }, (e) => void got.push(e.type));
        const info = await jsm.consumers.info(stream, group);
        assert.equal(info.config.filter_subject, `cs.ev.${stream}.*.apikey.>`);
        await bus.publish({ tenantId: 'ten_g', type: 'webhook.deleted', data: { webhookId: 'whk_1' } });
        await bus.publish({ tenantId: 'ten_g', type: 'apikey.revoked', data: { apiKeyId: 'key_1' } });
        await waitFor(() => got.length === 1);
        // Only the wanted event was ever handed to the consumer: nothing left to ack or skip.
        const after1 = await jsm.consumers.info(stream, group);
        assert.equal(after1.delivered.consumer_seq, 1);
        await first.unsubscribe();
        // The group now wants more types: the same durable consumer is widened, not replaced.
        await bus.subscribe({ group, types: ['apikey.', 'webhook.'] }, (e) => void got.push(e.type));
        const widened = await jsm.consumers.info(stream, group);
        assert.notEqual(widened.config.filter_subject, info.config.filter_subject);
        assert.equal(widened.created, info.created);
        await bus.publish({ tenantId: 'ten_g', type: 'webhook.deleted', data: { webhookId: 'whk_2' } });
        await bus.publish({ tenantId: 'ten_g', type: 'apikey.revoked', data: { apiKeyId: 'key_2' } });
        await waitFor(() => got.length === 3);
        assert.deepEqual(got, ['apikey.revoked', 'webhook.deleted', 'apikey.revoked']);
      });

      test('a group shares work across processes: each event is handled exactly once', async () => {
        const a = await setup();
        const b = await openBus(backend, stream, null);
        cleanups.push(() => b.close());
        const group = uniqueName('workers');
        const seen = new Map<string, number>();
        const perBus = { a: 0, b: 0 };
        const handler = (who: 'a' | 'b') => (e: AnyEvent) => {
          seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
          perBus[who]++;
        };
        await a.bus.subscribe({ group, types: ['interaction.'] }, handler('a'));
        await b.subscribe({ group, types: ['interaction.'] }, handler('b'));
        await new Promise((r) => setTimeout(r, 200));
        const n = 200;
        for (let i = 0; i < n; i++) {
          await a.bus.publish({ tenantId: 'ten_a', type: 'interaction.closed', data: { interactionId: `int_${i}` } });
        }
        await waitFor(() => seen.size === n, 10_000);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal([...seen.values()].every((c) => c === 1), true);
        assert.ok(perBus.a > 0 && perBus.b > 0, `both processes took work: ${JSON.stringify(perBus)}`);
      });

      test('group-less subscribers in every process see every event (fan-out)', async () => {
        const a = await setup();
        const b = await openBus(backend, stream, null);
        cleanups.push(() => b.close());
        const got = { a: 0, b: 0 };
        await a.bus.subscribe({ types: ['tenant.'] }, () => void got.a++);
        await b.subscribe({ types: ['tenant.'] }, () => void got.b++);
        await new Promise((r) => setTimeout(r, 100));
        for (let i = 0; i < 10; i++) {
          await a.bus.publish({ tenantId: 'ten_a', type: 'tenant.created', data: { tenantId: 'ten_a', name: 'A', slug: 'a' } });
        }
        await waitFor(() => got.a === 10 && got.b === 10);
      });
    }
  });
}
