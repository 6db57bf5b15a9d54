import assert from 'node:assert/strict';
import type { TestServer } from './test-server.js';

/** Customers reach only the tenant by default (the outbound policy): lets this one call out too, e.g. to a sipp SIP URI. */
export async function allowOutsideCalls(s: TestServer, email: string): Promise<void> {
  const admin = await s.login('admin@acme.test');
  const users = (await s.api('GET', '/api/users', { cookie: admin })).body.items as { id: string; email: string }[];
  const user = users.find((u) => u.email === email);
  assert.ok(user, `${email} exists`);
  const policy = (await s.api('GET', '/api/outbound-policy', { cookie: admin })).body;
  const res = await s.api('PUT', '/api/outbound-policy', { cookie: admin, body: { ...policy, users: { ...policy.users, [user.id]: 'external' } } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}
