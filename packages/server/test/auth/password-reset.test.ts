import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { TestSmsc } from '../sms/smsc.js';

const tokenOf = (url: string) => /#reset=([A-Za-z0-9_-]+)$/.exec(url)?.[1] ?? assert.fail(`no token in ${url}`);

for (const backend of BACKENDS) {
  describe(`password reset links (${backend.name})`, () => {
    let smsc: TestSmsc;
    let s: TestServer;
    let admin: string;
    let customerId: string;
    const email = 'customer@acme.test';

    before(async () => {
      smsc = await new TestSmsc().start();
      s = await startTestServer({ backend, config: { smppUrl: smsc.url, smsFrom: 'AcmeBank' } });
      admin = await s.login('admin@acme.test');
      customerId = (await s.api('GET', '/api/users', { cookie: admin })).body.items.find((u: { email: string }) => u.email === email).id;
      await waitFor(() => smsc.bound === 1, 5000, 'server bound to the SMSC');
    });
    after(async () => {
      await s.destroy();
      await smsc.down();
    });

    const reset = (token: string, password: string) => s.api('POST', '/api/auth/password-reset', { body: { token, password } });

    test('an admin issues a one-time link to the user\'s app; it sets the password once, ends their sessions, and is stored only as a hash', async () => {
      const agent = await s.login('agent@acme.test');
      assert.equal((await s.api('POST', `/api/users/${customerId}/password-reset`, { cookie: agent })).status, 403, 'only admins issue links');

      const session = await s.login(email);
      const issued = await s.api('POST', `/api/users/${customerId}/password-reset`, { cookie: admin });
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      assert.match(issued.body.url, new RegExp(`^${s.url}/phone/#reset=`), 'a customer\'s link opens /phone');
      assert.ok(issued.body.expiresAt > Date.now() + 50 * 60_000);
      const token = tokenOf(issued.body.url);
      const rows = await s.ctx.store.db.selectFrom('password_resets').selectAll().execute();
      assert.ok(rows.length > 0 && !JSON.stringify(rows).includes(token), 'only the hash is stored');

      const short = await reset(token, 'short');
      assert.equal(short.status, 400);
      assert.equal(short.headers.get('content-type')?.split(';')[0], 'application/problem+json');
      assert.equal((await reset(token, 'a new long passphrase')).status, 204, 'a refused password does not spend the link');
      assert.equal((await s.api('GET', '/api/me', { cookie: session })).status, 401, 'the old session ended');
      await assert.rejects(s.login(email), /401/, 'the old password no longer works');
      await s.login(email, 'a new long passphrase');

      const again = await reset(token, 'another passphrase');
      assert.equal(again.status, 400);
      assert.equal(again.body.code, 'reset_link_invalid');
      await s.login(email, 'a new long passphrase');

      // A newer link replaces the one before it.
      const first = tokenOf((await s.api('POST', `/api/users/${customerId}/password-reset`, { cookie: admin })).body.url);
      const second = tokenOf((await s.api('POST', `/api/users/${customerId}/password-reset`, { cookie: admin })).body.url);
      assert.equal((await reset(first, 'a third passphrase')).body.code, 'reset_link_invalid');
      assert.equal((await reset(second, 'a third passphrase')).status, 204);
      assert.equal((await reset('x'.repeat(43), 'a third passphrase')).body.code, 'reset_link_invalid', 'an unknown token');
    });

    test('a user asks for a link by SMS: the same answer for unknown emails, one text per minute, and the log keeps no link', async () => {
      const before = smsc.submitted.length;
      assert.equal((await s.api('POST', '/api/auth/password-reset/request', { body: { email: 'nobody@acme.test' } })).status, 202);
      assert.equal((await s.api('PATCH', `/api/users/${customerId}`, { cookie: admin, body: { phoneNumber: '+33612345678' } })).status, 200);
      assert.equal((await s.api('POST', '/api/auth/password-reset/request', { body: { email } })).status, 202);
      await waitFor(() => smsc.submitted.length > before, 5000, 'the reset text');
      const sent = smsc.submitted.slice(before);
      assert.equal(sent.length, 1, 'the unknown email got nothing');
      assert.equal(sent[0]!.to, '33612345678');
      const token = tokenOf(/(http\S+)/.exec(sent[0]!.text)![1]!);

      assert.equal((await s.api('POST', '/api/auth/password-reset/request', { body: { email } })).status, 202);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(smsc.submitted.length, before + 1, 'a second request within a minute sends nothing');

      const logged = await s.ctx.store.db.selectFrom('sms_messages').selectAll().execute();
      assert.ok(!JSON.stringify(logged).includes(token), 'the message log does not keep the link');
      assert.equal((await reset(token, 'texted passphrase')).status, 204);
      await s.login(email, 'texted passphrase');
    });
  });
}
