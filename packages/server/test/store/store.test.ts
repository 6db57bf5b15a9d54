import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { MIGRATION_NAMES } from '../../src/store/migrations/index.js';
import pg from 'pg';
import { Store, withDefaultUser } from '../../src/store/store.js';
import { TenantRepo } from '../../src/store/tenants.js';
import { UserRepo } from '../../src/store/users.js';
import { InteractionRepo } from '../../src/store/interactions.js';
import { BACKENDS, dropPgSchema, uniqueName } from '../helpers/backends.js';

for (const backend of BACKENDS) {
  describe(`store on ${backend.name}`, () => {
    const schema = uniqueName('store');
    const stores: Store[] = [];
    const open = async () => {
      const s = await Store.open({ url: backend.databaseUrl ?? 'sqlite::memory:', dataDir: '/tmp', schema });
      stores.push(s);
      return s;
    };
    after(async () => {
      for (const s of stores) await s.close();
      if (backend.databaseUrl) await dropPgSchema(backend.databaseUrl, schema);
    });

    test('migrations apply once and are idempotent', async () => {
      const store = await open();
      assert.deepEqual(await store.migrate(), MIGRATION_NAMES);
      assert.deepEqual(await store.migrate(), []);
      await store.ping();
    });

    // Postgres only: SQLite has no schemas.
    if (backend.databaseUrl) test('migrating is not disturbed by other schemas being dropped meanwhile', async () => {
      // Kysely's own introspector read every schema's columns and failed when one vanished mid-query.
      const url = backend.databaseUrl!;
      const other = new pg.Client({ connectionString: withDefaultUser(url) });
      await other.connect();
      let churning = true;
      const churn = (async () => {
        for (let i = 0; churning; i++) {
          const name = `${schema}_churn${i}`;
          await other.query(`create schema "${name}"; create table "${name}".t (id serial primary key, v text)`);
          await other.query(`drop schema "${name}" cascade`);
        }
      })();
      const fresh = uniqueName('store_fresh');
      try {
        for (let i = 0; i < 3; i++) {
          const s = await Store.open({ url, dataDir: '/tmp', schema: fresh });
          try {
            assert.deepEqual(await s.migrate(), i === 0 ? MIGRATION_NAMES : []);
          } finally {
            await s.close();
          }
        }
      } finally {
        churning = false;
        await churn;
        await other.end();
        await dropPgSchema(url, fresh);
      }
    });

    test('repositories are tenant-scoped and round-trip their values', async () => {
      const store = stores[0];
      const tenants = new TenantRepo(store);
      const users = new UserRepo(store);
      const interactions = new InteractionRepo(store);
      const a = await tenants.create({ name: 'A', slug: uniqueName('a') });
      const b = await tenants.create({ name: 'B', slug: uniqueName('b') });
      const u = await users.create({ tenantId: a.id, email: `${uniqueName('u')}@A.test`, name: 'U', role: 'agent', passwordHash: null });
      assert.equal(u.email, u.email.toLowerCase());
      assert.deepEqual(await users.get(a.id, u.id), u);
      assert.equal(await users.get(b.id, u.id), undefined);
      assert.equal((await users.update(b.id, u.id, { name: 'hijack' })), undefined);
      assert.equal((await users.get(a.id, u.id))!.name, 'U');
      const it = await interactions.create({ tenantId: a.id, channel: 'voice', customerId: u.id });
      assert.equal(typeof it.createdAt, 'number');
      assert.deepEqual((await interactions.addChannel(a.id, it.id, 'chat'))!.channels, ['voice', 'chat']);
      assert.deepEqual((await interactions.get(a.id, it.id))!.channels, ['voice', 'chat']);
      assert.equal(await interactions.get(b.id, it.id), undefined);
      assert.equal((await interactions.close(a.id, it.id))!.state, 'closed');
      assert.deepEqual((await interactions.list({ tenantId: b.id, limit: 10 })), []);
    });
  });
}
