import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { CallsightApiError, CallsightClient, CallsightRealtimeError, isEventType, type CallsightEvent } from '../../../sdk/src/index.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/** The SDK against a real server: Node's fetch has no cookie jar and Node 20 no WebSocket, so both paths are exercised. */
describe('@callsight/sdk', () => {
  let s: TestServer;
  let admin: CallsightClient;
  let keyClient: CallsightClient;

  before(async () => {
    s = await startTestServer();
    admin = new CallsightClient({ baseUrl: s.url, WebSocket });
  });
  after(() => s.destroy());

  test('login keeps the session cookie; me() reports the user', async () => {
    const { user, tenant } = await admin.login('admin@acme.test', 'demo');
    assert.equal(user.role, 'admin');
    assert.equal(tenant.name, 'Acme Bank');
    const me = await admin.me();
    assert.equal(me.user?.email, 'admin@acme.test');
    assert.equal(me.apiKeyId, null);
  });

  test('an API key created through the SDK authenticates a second client', async () => {
    const created = await admin.apiKeys.create({ name: 'sdk-test', role: 'admin' });
    assert.match(created.key, /^csk_/);
    keyClient = new CallsightClient({ baseUrl: s.url, apiKey: created.key, WebSocket });
    const me = await keyClient.me();
    assert.equal(me.user, null);
    assert.equal(me.apiKeyId, created.id);
    const { items } = await keyClient.users.list({ role: 'agent' });
    assert.ok(items.some((u) => u.email === 'agent@acme.test'));
    assert.ok((await admin.apiKeys.list()).items.some((k) => k.id === created.id && !k.revoked));
  });

  test('users: create, get, update', async () => {
    const u = await keyClient.users.create({ email: 'sdk-user@acme.test', name: 'Sdk User', role: 'agent', password: 'password-1' });
    assert.equal((await keyClient.users.get(u.id)).email, 'sdk-user@acme.test');
    assert.equal((await keyClient.users.update(u.id, { name: 'Renamed' })).name, 'Renamed');
  });

  test('problems surface as CallsightApiError with status, code and fields', async () => {
    const err = await keyClient.users
      .create({ email: 'not-an-email', name: '', role: 'agent', password: 'short' })
      .then(() => assert.fail('expected an error'), (e: unknown) => e);
    assert.ok(err instanceof CallsightApiError);
    assert.equal(err.status, 400);
    assert.equal(err.code, 'validation_failed');
    const paths = err.fields.map((f) => f.path).sort();
    assert.deepEqual(paths, ['body.email', 'body.name', 'body.password']);

    const anonymous = new CallsightClient({ baseUrl: s.url });
    await assert.rejects(anonymous.me(), (e: unknown) => e instanceof CallsightApiError && e.status === 401 && e.code === 'unauthorized');
  });

  test('events: list pages and all() follows cursors', async () => {
    const page = await keyClient.events.list({ types: ['user.'], limit: 2 });
    assert.equal(page.items.length, 2);
    assert.ok(page.nextCursor);
    const all: CallsightEvent[] = [];
    for await (const e of keyClient.events.all({ types: ['user.created'], limit: 2 })) all.push(e);
    // Four demo users plus the one created above.
    assert.equal(all.length, 5);
    assert.equal(new Set(all.map((e) => e.id)).size, 5);
    assert.ok(all.every((e) => isEventType(e, 'user.created') && e.data.email.endsWith('@acme.test')));
  });

  test('webhooks: create returns the secret once; list, deliveries, remove', async () => {
    const hook = await keyClient.webhooks.create({ url: 'http://127.0.0.1:9/hook', types: ['user.'], description: 'sdk' });
    assert.ok(hook.secret.length >= 16);
    const listed = (await keyClient.webhooks.list()).items.find((w) => w.id === hook.id);
    assert.ok(listed && !('secret' in listed));
    assert.deepEqual((await keyClient.webhooks.deliveries(hook.id)).items, []);
    await keyClient.webhooks.remove(hook.id);
    assert.ok(!(await keyClient.webhooks.list()).items.some((w) => w.id === hook.id));
  });

  test('interactions: empty list; unknown id is a 404 problem', async () => {
    assert.deepEqual(await keyClient.interactions.list(), { items: [], nextCursor: null, onCall: [] });
    await assert.rejects(keyClient.interactions.get('int_00000000000000000000000000'), (e: unknown) => e instanceof CallsightApiError && e.status === 404);
  });

  test('realtime over the session cookie: receives events published after connecting, filtered by type', async () => {
    const stream = admin.realtime({ types: ['user.created'] });
    try {
      const received: CallsightEvent[] = [];
      stream.on('event', (e) => received.push(e));
      const hello = await new Promise((resolve) => stream.on('open', resolve));
      assert.deepEqual((hello as { role: string }).role, 'admin');
      await keyClient.apiKeys.create({ name: 'not-a-user-event' });
      const u = await keyClient.users.create({ email: 'live@acme.test', name: 'Live', role: 'customer', password: 'password-1' });
      await waitFor(() => received.length > 0, 3000, 'user.created on the stream');
      assert.equal(received.length, 1);
      assert.ok(isEventType(received[0], 'user.created') && received[0].data.userId === u.id);
    } finally {
      stream.close();
    }
  });

  test('realtime over an API key: subscribe() changes the filter; request() rejects on server errors', async () => {
    const stream = keyClient.realtime();
    try {
      const received: string[] = [];
      stream.on('event', (e) => received.push(e.type));
      const reply = await stream.subscribe({ types: ['apikey.'] });
      assert.equal(reply.kind, 'subscribed');
      assert.deepEqual(await stream.request('ping'), { kind: 'pong', ref: 'r2' });
      await assert.rejects(stream.request('no-such-kind'), (e: unknown) => e instanceof CallsightRealtimeError && e.code === 'unknown_kind');
      await keyClient.users.create({ email: 'filtered@acme.test', name: 'F', role: 'customer', password: 'password-1' });
      await keyClient.apiKeys.create({ name: 'seen' });
      await waitFor(() => received.length > 0, 3000, 'apikey.created on the stream');
      assert.deepEqual(received, ['apikey.created']);
    } finally {
      stream.close();
    }
    await assert.rejects(stream.request('ping'), (e: unknown) => e instanceof CallsightRealtimeError && e.code === 'closed');
  });

  test('realtime reconnects after the server drops the socket', async () => {
    const stream = keyClient.realtime({}, { minReconnectMs: 20 });
    try {
      let opens = 0;
      stream.on('open', () => opens++);
      await waitFor(() => opens === 1, 3000, 'first connection');
      const closes: boolean[] = [];
      stream.on('close', (info) => closes.push(info.willReconnect));
      for (const client of s.http.websocketServer.clients) client.terminate();
      await waitFor(() => opens === 2, 3000, 'reconnection');
      assert.deepEqual(closes, [true]);
      assert.equal((await stream.request('ping')).kind, 'pong');
    } finally {
      stream.close();
    }
  });

  test('logout forgets the session', async () => {
    await admin.logout();
    await assert.rejects(admin.me(), (e: unknown) => e instanceof CallsightApiError && e.status === 401);
  });
});
