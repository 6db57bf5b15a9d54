import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, startWithAdmin, type TestServer } from '../helpers/test-server.js';

/** A login from a chosen local address (127.0.0.x are all this machine), optionally claiming another with X-Forwarded-For. */
function login(s: TestServer, body: { email: string; password: string }, from: { localAddress: string; forwardedFor?: string }): Promise<{ status: number; retryAfter: number }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${s.url}/api/auth/login`,
      {
        method: 'POST',
        localAddress: from.localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...(from.forwardedFor ? { 'x-forwarded-for': from.forwardedFor } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, retryAfter: Number(res.headers['retry-after'] ?? 0) }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const email = 'supervisor@acme.test';
const wrong = { email, password: 'not-the-password' };
const right = { email, password: 'demo' };

for (const backend of BACKENDS) {
  describe(`login throttling per (account, address) (${backend.name})`, () => {
    let s: TestServer;
    let admin: string;
    before(async () => void ({ s, admin } = await startWithAdmin({ backend, config: { sipEnabled: false } })));
    after(() => s?.destroy());

    test('X-Forwarded-For from an untrusted peer is ignored; a wrong-password storm from one address does not lock the user out from another; an admin sees and clears the lock', async () => {
      for (let i = 0; i < s.config.loginMaxAttempts; i++) {
        // Each claims a fresh address: were it believed, no address would ever reach the limit.
        const r = await login(s, wrong, { localAddress: '127.0.0.1', forwardedFor: `203.0.113.${i + 1}` });
        assert.equal(r.status, 401);
      }
      const blocked = await login(s, right, { localAddress: '127.0.0.1', forwardedFor: '203.0.113.200' });
      assert.equal(blocked.status, 429);
      assert.ok(blocked.retryAfter > 0 && blocked.retryAfter <= 30, `Retry-After ${blocked.retryAfter}`);
      // The real user, elsewhere, is not locked out.
      assert.equal((await login(s, right, { localAddress: '127.0.0.2' })).status, 200);

      assert.equal((await s.api('GET', '/api/login-locks', { cookie: await s.login('agent@acme.test') })).status, 403);
      const locks = (await s.api('GET', '/api/login-locks', { cookie: admin })).body.items;
      assert.deepEqual(
        locks.map((l: any) => [l.email, l.address, l.failures, l.blockedUntil > Date.now()]),
        [[email, '127.0.0.1', s.config.loginMaxAttempts, true]],
        'one lock, on the real peer address',
      );
      const cleared = await s.api('POST', '/api/login-locks/clear', { cookie: admin, body: { email, address: '127.0.0.1' } });
      assert.deepEqual(cleared.body, { cleared: 1 });
      assert.equal((await login(s, right, { localAddress: '127.0.0.1' })).status, 200);
      assert.equal((await s.api('POST', '/api/login-locks/clear', { cookie: admin, body: { email } })).status, 404);
      const events = (await s.api('GET', '/api/events?types=login.lock.cleared', { cookie: admin })).body.items;
      assert.equal(events.length, 1);
      assert.equal(events[0].data.email, email);
    });
  });
}

describe('behind a configured proxy', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ config: { sipEnabled: false, trustedProxies: '127.0.0.1' } });
  });
  after(async () => {
    await s?.destroy();
  });

  test('the proxy’s X-Forwarded-For is the client: one client’s storm blocks only that client', async () => {
    for (let i = 0; i < s.config.loginMaxAttempts; i++) assert.equal((await login(s, wrong, { localAddress: '127.0.0.1', forwardedFor: '203.0.113.9' })).status, 401);
    assert.equal((await login(s, right, { localAddress: '127.0.0.1', forwardedFor: '203.0.113.9' })).status, 429);
    assert.equal((await login(s, right, { localAddress: '127.0.0.1', forwardedFor: '198.51.100.20' })).status, 200);
    // Not from a peer that is not the proxy.
    assert.equal((await login(s, right, { localAddress: '127.0.0.2', forwardedFor: '203.0.113.9' })).status, 200);
    const admin = await s.login('admin@acme.test');
    const locks = (await s.api('GET', '/api/login-locks', { cookie: admin })).body.items;
    assert.deepEqual(locks.map((l: any) => l.address), ['203.0.113.9']);
  });
});
