import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { hashPassword } from '../../src/core/secrets.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { twoProcesses } from '../helpers/two-processes.js';

for (const backend of BACKENDS) {
  describe(`HTTP API on ${backend.name}`, () => {
    let s: TestServer;
    let admin: string;
    let key: string;
    /** A second tenant with its own admin and key: nothing of tenant A may be visible to it. */
    let other: { cookie: string; key: string; tenantId: string };

    before(async () => {
      s = await startTestServer({ backend });
      admin = await s.login('admin@acme.test');
      key = (await s.api('POST', '/api/api-keys', { cookie: admin, body: { name: 'ci' } })).body.key;
      const t = await s.ctx.tenants.create({ name: 'Globex', slug: 'globex' });
      await s.ctx.users.create({ tenantId: t.id, email: 'root@globex.test', name: 'G', role: 'admin', passwordHash: await hashPassword('globex-pass') });
      const cookie = await s.login('root@globex.test', 'globex-pass');
      other = { cookie, tenantId: t.id, key: (await s.api('POST', '/api/api-keys', { cookie, body: { name: 'g' } })).body.key };
    });
    after(() => s.destroy());

    test('health, readiness, metrics and OpenAPI', async () => {
      assert.deepEqual((await s.api('GET', '/healthz')).body, { status: 'ok' });
      const ready = await s.api('GET', '/readyz');
      assert.equal(ready.status, 200);
      assert.equal(ready.body.bus, backend.natsUrl ? 'nats' : 'memory');
      const metrics = await s.api('GET', '/metrics');
      assert.match(metrics.body, /callsight_http_request_duration_seconds_bucket/);
      assert.match(metrics.body, /callsight_bus_events_published_total/);
      const spec = (await s.api('GET', '/api/openapi.json')).body;
      assert.equal(spec.openapi, '3.1.0');
      for (const p of ['/api/users', '/api/api-keys', '/api/webhooks', '/api/events', '/api/interactions/{id}/timeline']) {
        assert.ok(spec.paths[p], `${p} documented`);
      }
      assert.ok(spec.paths['/api/users'].post.requestBody.content['application/json'].schema.properties.email);
      assert.equal((await s.api('GET', '/api/docs/')).status, 200);
    });

    test('unauthenticated → 401 problem; wrong role → 403', async () => {
      const r = await s.api('GET', '/api/users');
      assert.equal(r.status, 401);
      assert.match(r.headers.get('content-type')!, /^application\/problem\+json/);
      assert.equal(r.body.code, 'unauthorized');
      assert.equal((await s.api('GET', '/api/users', { key: 'csk_nope' })).status, 401);
      const customer = await s.login('customer@acme.test');
      const f = await s.api('POST', '/api/users', { cookie: customer, body: { email: 'z@z.z', name: 'z', role: 'admin', password: 'password1' } });
      assert.equal(f.status, 403);
      assert.equal(f.body.code, 'forbidden');
    });

    test('bad input → 400 naming the fields, and nothing is written', async () => {
      const before = (await s.api('GET', '/api/users', { key })).body.items.length;
      const bad = await s.api('POST', '/api/users', { key, body: { email: 'not-an-email', name: '', role: 'boss', password: 'short', extra: 1 } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'validation_failed');
      const paths = bad.body.fields.map((f: { path: string }) => f.path).sort();
      assert.deepEqual(paths, ['body.email', 'body.extra', 'body.name', 'body.password', 'body.role']);
      const malformed = await s.api('POST', '/api/users', { key, body: '{"email": ' });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.code, 'malformed_request');
      const badQuery = await s.api('GET', '/api/events?limit=100000&bogus=1', { key });
      assert.equal(badQuery.status, 400);
      assert.deepEqual(badQuery.body.fields.map((f: { path: string }) => f.path).sort(), ['querystring.bogus', 'querystring.limit']);
      assert.equal((await s.api('GET', '/api/users/usr_nonsense', { key })).status, 400);
      assert.equal((await s.api('GET', '/api/users', { key })).body.items.length, before);
    });

    test('API keys: shown once, hashed at rest, usable, revocable', async () => {
      const created = await s.api('POST', '/api/api-keys', { cookie: admin, body: { name: 'server', role: 'agent' } });
      assert.equal(created.status, 201);
      assert.match(created.body.key, /^csk_/);
      const rows = await s.ctx.store.db.selectFrom('api_keys').selectAll().execute();
      // The secret is everything after `csk_<id>_`: it is base64url, so it may hold '_' itself.
      const secret = created.body.key.split('_').slice(2).join('_');
      assert.ok(secret.length >= 20);
      assert.ok(rows.every((r) => !created.body.key.includes(r.secret_hash) && !r.secret_hash.includes(secret)));
      const list = (await s.api('GET', '/api/api-keys', { cookie: admin })).body.items;
      assert.ok(list.some((k: { id: string; key?: string }) => k.id === created.body.id && k.key === undefined));
      assert.equal((await s.api('GET', '/api/users', { key: created.body.key })).status, 200);
      // An agent key may not mint an admin key.
      assert.equal((await s.api('POST', '/api/api-keys', { key: created.body.key, body: { name: 'x', role: 'admin' } })).status, 403);
      assert.equal((await s.api('DELETE', `/api/api-keys/${created.body.id}`, { cookie: admin })).status, 204);
      assert.equal((await s.api('GET', '/api/users', { key: created.body.key })).status, 401);
      assert.equal((await s.api('DELETE', `/api/api-keys/${created.body.id}`, { cookie: admin })).status, 404);
    });

    test('tenant isolation: tenant B reads and changes nothing of tenant A', async () => {
      const aUsers = (await s.api('GET', '/api/users', { key })).body.items;
      const aUser = aUsers[0];
      const bUsers = (await s.api('GET', '/api/users', { key: other.key })).body.items;
      assert.ok(bUsers.every((u: { tenantId: string }) => u.tenantId === other.tenantId));
      for (const auth of [{ key: other.key }, { cookie: other.cookie }]) {
        assert.equal((await s.api('GET', `/api/users/${aUser.id}`, auth)).status, 404);
        assert.equal((await s.api('PATCH', `/api/users/${aUser.id}`, { ...auth, body: { name: 'pwned' } })).status, 404);
        const aKeys = (await s.api('GET', '/api/api-keys', { key })).body.items;
        assert.equal((await s.api('DELETE', `/api/api-keys/${aKeys[0].id}`, auth)).status, 404);
        const ev = (await s.api('GET', '/api/events?limit=500', auth)).body.items;
        assert.ok(ev.every((e: { tenantId: string }) => e.tenantId === other.tenantId));
      }
      const hook = await s.api('POST', '/api/webhooks', { key, body: { url: 'http://127.0.0.1:9/x', types: ['user.'] } });
      assert.equal((await s.api('GET', `/api/webhooks/${hook.body.id}/deliveries`, { key: other.key })).status, 404);
      assert.equal((await s.api('DELETE', `/api/webhooks/${hook.body.id}`, { key: other.key })).status, 404);
      const it = await s.ctx.interactions.create({ tenantId: aUser.tenantId, channel: 'chat' });
      assert.equal((await s.api('GET', `/api/interactions/${it.id}`, { key: other.key })).status, 404);
      assert.equal((await s.api('GET', `/api/users/${aUser.id}`, { key })).body.name, aUser.name);
      await s.api('DELETE', `/api/webhooks/${hook.body.id}`, { key });
    });

    test('events: filters by type prefix, interaction and time; cursor pagination', async () => {
      const tenantId = (await s.api('GET', '/api/me', { key })).body.tenant.id;
      const t0 = Date.now();
      for (let i = 0; i < 5; i++) {
        await s.ctx.bus.publish({ tenantId, type: 'interaction.closed', interactionId: 'int_page', data: { interactionId: 'int_page' } });
      }
      const page1 = (await s.api('GET', `/api/events?types=interaction.&interactionId=int_page&limit=2&from=${t0}`, { key })).body;
      assert.equal(page1.items.length, 2);
      assert.ok(page1.nextCursor);
      const page2 = (await s.api('GET', `/api/events?types=interaction.&interactionId=int_page&limit=2&cursor=${page1.nextCursor}`, { key })).body;
      const page3 = (await s.api('GET', `/api/events?types=interaction.&interactionId=int_page&limit=2&cursor=${page2.nextCursor}`, { key })).body;
      assert.equal(page3.items.length, 1);
      assert.equal(page3.nextCursor, null);
      const ids = [...page1.items, ...page2.items, ...page3.items].map((e: { id: string }) => e.id);
      assert.equal(new Set(ids).size, 5);
      const none = (await s.api('GET', `/api/events?types=user.&interactionId=int_page`, { key })).body;
      assert.equal(none.items.length, 0);
      const future = (await s.api('GET', `/api/events?from=${Date.now() + 60_000}`, { key })).body;
      assert.equal(future.items.length, 0);
    });

    test('interactions: staff see all; a customer only their own, with its timeline', async () => {
      const customerCookie = await s.login('customer@acme.test');
      const me = (await s.api('GET', '/api/me', { cookie: customerCookie })).body;
      const mine = await s.ctx.interactions.create({ tenantId: me.tenant.id, channel: 'voice', customerId: me.user.id });
      const theirs = await s.ctx.interactions.create({ tenantId: me.tenant.id, channel: 'chat', customerId: 'usr_someoneelse' });
      await s.ctx.bus.publish({
        tenantId: me.tenant.id,
        type: 'interaction.created',
        interactionId: mine.id,
        userIds: [me.user.id],
        data: { interactionId: mine.id, channels: ['voice'], customerId: me.user.id },
      });
      const list = (await s.api('GET', '/api/interactions', { cookie: customerCookie })).body.items.map((i: { id: string }) => i.id);
      assert.ok(list.includes(mine.id) && !list.includes(theirs.id));
      assert.equal((await s.api('GET', `/api/interactions/${theirs.id}`, { cookie: customerCookie })).status, 404);
      const timeline = (await s.api('GET', `/api/interactions/${mine.id}/timeline`, { cookie: customerCookie })).body.items;
      assert.deepEqual(timeline.map((e: { type: string }) => e.type), ['interaction.created']);
      const staff = (await s.api('GET', '/api/interactions?limit=500', { key })).body.items.map((i: { id: string }) => i.id);
      assert.ok(staff.includes(mine.id) && staff.includes(theirs.id));
      const customerEvents = (await s.api('GET', '/api/events?limit=500', { cookie: customerCookie })).body.items;
      assert.ok(customerEvents.length >= 1 && customerEvents.every((e: { userIds?: string[] }) => e.userIds?.includes(me.user.id)));
    });

    test('WebSocket streams live events the caller may see, filtered by type', async () => {
      const url = s.url.replace('http', 'ws') + '/api/ws?types=user.created';
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${key}` } });
      const got: { kind: string; event?: { type: string; tenantId: string; data: { email: string } } }[] = [];
      ws.on('message', (d) => got.push(JSON.parse(d.toString())));
      await waitFor(() => got.some((m) => m.kind === 'hello'));
      await s.api('POST', '/api/users', { key: other.key, body: { email: 'b-only@globex.test', name: 'B', role: 'agent', password: 'password1' } });
      await s.api('POST', '/api/users', { key, body: { email: 'live@acme.test', name: 'Live', role: 'agent', password: 'password1' } });
      await waitFor(() => got.some((m) => m.event?.data.email === 'live@acme.test'));
      assert.ok(got.every((m) => m.kind !== 'event' || (m.event!.type === 'user.created' && m.event!.data.email !== 'b-only@globex.test')));
      ws.send('not json');
      ws.send(JSON.stringify({ kind: 'subscribe', ref: 'r1', types: ['apikey.'] }));
      await waitFor(() => got.some((m) => m.kind === 'error') && got.some((m) => m.kind === 'subscribed'));
      ws.close();
      const anon = new WebSocket(s.url.replace('http', 'ws') + '/api/ws');
      const status = await new Promise<number>((resolve) => anon.on('unexpected-response', (_q, res) => resolve(res.statusCode!)));
      assert.equal(status, 401);
    });

    test('removing a user: erased and signed out; not yourself, not the last admin, not by an agent', async () => {
      const made = await s.api('POST', '/api/users', { cookie: admin, body: { email: `gone-${backend.name}@acme.test`, name: 'Gone Soon', role: 'agent', password: 'gone-password' } });
      const session = await s.login(`gone-${backend.name}@acme.test`, 'gone-password');
      const agent = await s.login('agent@acme.test');
      assert.equal((await s.api('DELETE', `/api/users/${made.body.id}`, { cookie: agent })).status, 403, 'agents remove nobody');
      const me = (await s.api('GET', '/api/me', { cookie: admin })).body;
      const self = await s.api('DELETE', `/api/users/${me.user.id}`, { cookie: admin });
      assert.equal(self.status, 409);
      assert.equal(self.body.code, 'user_remove_self');

      assert.equal((await s.api('DELETE', `/api/users/${made.body.id}`, { cookie: admin })).status, 204);
      assert.equal((await s.api('GET', '/api/me', { cookie: session })).status, 401, 'their session ended');
      const listed = (await s.api('GET', '/api/users', { cookie: admin })).body.items as { id: string }[];
      assert.ok(!listed.some((u) => u.id === made.body.id), 'not listed');
      const kept = (await s.api('GET', `/api/users/${made.body.id}`, { cookie: admin })).body;
      assert.equal(kept.name, 'Former user');
      assert.doesNotMatch(JSON.stringify(kept), /gone-/, 'nothing personal kept');
      assert.equal((await s.api('DELETE', `/api/users/${made.body.id}`, { cookie: admin })).status, 404, 'removed once');
      assert.equal((await s.api('POST', '/api/auth/login', { body: { email: `gone-${backend.name}@acme.test`, password: 'gone-password' } })).status, 401);
    });

    test('login/logout; wrong password → 401, repeated failures on an account → 429 with Retry-After', async () => {
      // Logout ends the session.
      const cookie = await s.login('agent@acme.test');
      assert.equal((await s.api('GET', '/api/me', { cookie })).status, 200);
      await s.api('POST', '/api/auth/logout', { cookie });
      assert.equal((await s.api('GET', '/api/me', { cookie })).status, 401);
      const email = 'supervisor@acme.test';
      for (let i = 0; i < s.config.loginMaxAttempts; i++) {
        const r = await s.api('POST', '/api/auth/login', { body: { email, password: 'wrong' } });
        assert.equal(r.status, 401);
      }
      const limited = await s.api('POST', '/api/auth/login', { body: { email, password: 'demo' } });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      // Other accounts from the same address are not locked out by one account's failures.
      await s.login('agent@acme.test');
    });
  });
}

describe('API keys across two processes on postgres+nats', () => {
  const servers = twoProcesses(BACKENDS.find((b) => b.name === 'postgres+nats')!);

  test('a key revoked through one process is refused by the other at once, not after its cache expires', async () => {
    const { a, b } = servers;
    const admin = await a.login('admin@acme.test');
    const created = (await a.api('POST', '/api/api-keys', { cookie: admin, body: { name: 'shared' } })).body;
    // b verifies (and caches) the key.
    assert.equal((await b.api('GET', '/api/users', { key: created.key })).status, 200);
    assert.equal((await a.api('DELETE', `/api/api-keys/${created.id}`, { cookie: admin })).status, 204);
    // Well inside the 5 s cache lifetime: only the revocation event can do it.
    await waitFor(async () => (await b.api('GET', '/api/users', { key: created.key })).status === 401, 3000, 'b refusing the revoked key');
    // A wrong secret for a cached key id is refused too.
    const other = (await a.api('POST', '/api/api-keys', { cookie: admin, body: { name: 'other' } })).body;
    assert.equal((await b.api('GET', '/api/users', { key: other.key })).status, 200);
    assert.equal((await b.api('GET', '/api/users', { key: other.key.slice(0, -4) + 'AAAA' })).status, 401);
  });
});
