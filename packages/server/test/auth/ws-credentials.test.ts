import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { CallsightClient, CREDENTIALS_ENDED } from '../../../sdk/src/index.js';
import { WS_CREDENTIALS_ENDED } from '../../src/http/ws-hub.js';
import { BACKENDS } from '../helpers/backends.js';
import { startWithAdmin, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { twoProcesses } from '../helpers/two-processes.js';

interface Socket {
  ws: WebSocket;
  messages: any[];
  closed: Promise<{ code: number; reason: string; afterMs: number }>;
  /** Marks the moment the credentials are taken away, for the close delay reported. */
  mark(): void;
}

/** An /api/ws socket, open (hello received) before it is returned. */
async function openSocket(s: TestServer, auth: { key?: string; cookie?: string; origin?: string }): Promise<Socket> {
  const headers: Record<string, string> = {};
  if (auth.key) headers.authorization = `Bearer ${auth.key}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.origin) headers.origin = auth.origin;
  const ws = new WebSocket(s.url.replace('http', 'ws') + '/api/ws', { headers });
  const messages: any[] = [];
  let markedAt = 0;
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  const closed = new Promise<{ code: number; reason: string; afterMs: number }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), afterMs: Date.now() - markedAt })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () => resolve());
  });
  await waitFor(() => messages.some((m) => m.kind === 'hello'), 5000, 'hello');
  return { ws, messages, closed, mark: () => (markedAt = Date.now()) };
}

async function upgradeStatus(s: TestServer, headers: Record<string, string>): Promise<number> {
  const ws = new WebSocket(s.url.replace('http', 'ws') + '/api/ws', { headers });
  return new Promise<number>((resolve) => {
    ws.on('unexpected-response', (_q, res) => resolve(res.statusCode!));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
  });
}

const closes = async (sock: Socket, reason: string) => {
  const c = await Promise.race([sock.closed, new Promise<null>((r) => setTimeout(() => r(null), 5000).unref())]);
  assert.ok(c, `the socket was not closed (${reason})`);
  assert.equal(c.code, WS_CREDENTIALS_ENDED);
  assert.equal(c.reason, reason);
  return c;
};

for (const backend of BACKENDS) {
  describe(`live sockets end with their credentials (${backend.name})`, () => {
    let s: TestServer;
    let admin: string;
    before(async () => void ({ s, admin } = await startWithAdmin({ backend, config: { sipEnabled: false } })));
    after(() => s?.destroy());

    test('revoking an API key closes its sockets, and only those', async () => {
      const doomed = (await s.api('POST', '/api/api-keys', { cookie: admin, body: { name: 'doomed' } })).body;
      const kept = (await s.api('POST', '/api/api-keys', { cookie: admin, body: { name: 'kept' } })).body;
      const a = await openSocket(s, { key: doomed.key });
      const b = await openSocket(s, { key: kept.key });
      a.mark();
      assert.equal((await s.api('DELETE', `/api/api-keys/${doomed.id}`, { cookie: admin })).status, 204);
      const c = await closes(a, 'api_key_revoked');
      assert.equal(b.ws.readyState, WebSocket.OPEN, 'the other key’s socket stays');
      // It cannot come back.
      assert.equal(await upgradeStatus(s, { authorization: `Bearer ${doomed.key}` }), 401);
      b.ws.close();
      console.log(`# revoked key's socket closed after ${c.afterMs} ms`);
    });

    test('logging out closes the sockets of that session, not the user’s other sessions', async () => {
      const one = await s.login('agent@acme.test');
      const two = await s.login('agent@acme.test');
      const a = await openSocket(s, { cookie: one });
      const b = await openSocket(s, { cookie: two });
      a.mark();
      assert.equal((await s.api('POST', '/api/auth/logout', { cookie: one })).status, 204);
      const c = await closes(a, 'session_ended');
      assert.equal(b.ws.readyState, WebSocket.OPEN);
      b.ws.close();
      console.log(`# logged-out session's socket closed after ${c.afterMs} ms`);
    });

    test('the SDK stream stops retrying once its session is logged out', async () => {
      const client = new CallsightClient({ baseUrl: s.url, WebSocket });
      await client.login('agent@acme.test', 'demo');
      const stream = client.realtime();
      const closes: { code: number; reason: string; willReconnect: boolean }[] = [];
      stream.on('close', (c) => void closes.push(c));
      await stream.request('ping', {});
      await client.logout();
      await waitFor(() => closes.length > 0, 5000, 'the stream closed');
      assert.deepEqual(closes[0], { code: CREDENTIALS_ENDED, reason: 'session_ended', willReconnect: false });
      stream.close();
    });

    test('a role change or a disabled user closes the user’s sockets; audited as user.updated', async () => {
      const email = `moved-${backend.name.replace('+', '-')}@acme.test`;
      const user = (await s.api('POST', '/api/users', { cookie: admin, body: { email, name: 'Moe Moved', role: 'supervisor', password: 'password-1' } })).body;
      const cookie = await s.login(email, 'password-1');
      const audit = await openSocket(s, { cookie: admin });
      await audit.ws.send(JSON.stringify({ kind: 'subscribe', types: ['user.updated'] }));
      const first = await openSocket(s, { cookie });
      assert.equal(first.messages[0].role, 'supervisor');
      assert.equal((await s.api('PATCH', `/api/users/${user.id}`, { cookie: admin, body: { role: 'customer' } })).status, 200);
      await closes(first, 'user_changed');
      // Reconnecting gets the new role.
      const second = await openSocket(s, { cookie });
      assert.equal(second.messages.find((m) => m.kind === 'hello').role, 'customer');
      assert.equal((await s.api('PATCH', `/api/users/${user.id}`, { cookie: admin, body: { disabled: true } })).status, 200);
      await closes(second, 'user_disabled');
      assert.equal(await upgradeStatus(s, { cookie }), 401, 'a disabled user’s session is gone');
      // The audit trail: who changed what, never the password.
      assert.equal((await s.api('PATCH', `/api/users/${user.id}`, { cookie: admin, body: { disabled: false, password: 'password-2' } })).status, 200);
      await waitFor(() => audit.messages.filter((m) => m.kind === 'event' && m.event.data.userId === user.id).length === 3, 5000, 'three user.updated events');
      const trail = audit.messages.filter((m) => m.kind === 'event' && m.event.data.userId === user.id).map((m) => m.event.data);
      const adminId = (await s.api('GET', '/api/me', { cookie: admin })).body.user.id;
      assert.deepEqual(trail[0], { userId: user.id, changed: ['role'], role: { from: 'supervisor', to: 'customer' }, by: adminId });
      assert.deepEqual(trail[1], { userId: user.id, changed: ['disabled'], disabled: true, by: adminId });
      assert.deepEqual(trail[2], { userId: user.id, changed: ['disabled', 'password'], disabled: false, by: adminId });
      assert.ok(!JSON.stringify(audit.messages).includes('password-2'));
      audit.ws.close();
    });

    test('a cookie-authenticated upgrade from another site’s page is refused; from our own pages it opens', async () => {
      const cookie = await s.login('agent@acme.test');
      assert.equal(await upgradeStatus(s, { cookie, origin: 'https://evil.example' }), 403);
      assert.equal(await upgradeStatus(s, { cookie, origin: 'null' }), 403);
      assert.equal(await upgradeStatus(s, { cookie, origin: s.url }), 101);
      // An API key is not sent by browsers on their own: Origin does not matter for it.
      const key = (await s.api('POST', '/api/api-keys', { cookie: admin, body: { name: 'server' } })).body.key;
      assert.equal(await upgradeStatus(s, { authorization: `Bearer ${key}`, origin: 'https://evil.example' }), 101);
    });
  });
}

describe('sockets close in every process (two servers on postgres+nats)', () => {
  const servers = twoProcesses(BACKENDS.find((b) => b.name === 'postgres+nats')!);

  test('a key revoked and a session logged out through one process close their sockets on the other', async () => {
    const { a, b } = servers;
    const admin = await a.login('admin@acme.test');
    const created = (await a.api('POST', '/api/api-keys', { cookie: admin, body: { name: 'shared' } })).body;
    const keySocket = await openSocket(b, { key: created.key });
    const cookie = await a.login('agent@acme.test');
    const sessionSocket = await openSocket(b, { cookie });
    keySocket.mark();
    assert.equal((await a.api('DELETE', `/api/api-keys/${created.id}`, { cookie: admin })).status, 204);
    const k = await closes(keySocket, 'api_key_revoked');
    sessionSocket.mark();
    assert.equal((await a.api('POST', '/api/auth/logout', { cookie })).status, 204);
    const l = await closes(sessionSocket, 'session_ended');
    console.log(`# across processes: key socket closed after ${k.afterMs} ms, session socket after ${l.afterMs} ms`);
  });
});
