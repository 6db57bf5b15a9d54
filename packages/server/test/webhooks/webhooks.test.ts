import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { verifyWebhook } from '../../src/webhooks/webhook-signature.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/** A webhook receiver on 127.0.0.1 whose answer the test controls. */
async function receiver() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const state = { status: 200 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

for (const backend of BACKENDS) {
  describe(`webhooks on ${backend.name}`, () => {
    let rx: Awaited<ReturnType<typeof receiver>>;
    before(async () => {
      rx = await receiver();
    });
    after(() => rx.close());

    test('matching events are delivered signed; others are not', async () => {
      const s = await startTestServer({ backend });
      try {
        const cookie = await s.login('admin@acme.test');
        const hook = (await s.api('POST', '/api/webhooks', { cookie, body: { url: rx.url, types: ['user.created'] } })).body;
        assert.match(hook.secret, /^whsec_/);
        const row = await s.ctx.store.db.selectFrom('webhooks').selectAll().where('id', '=', hook.id).executeTakeFirstOrThrow();
        assert.ok(!row.secret_sealed.includes(hook.secret), 'secret is sealed at rest');
        rx.received.length = 0;
        await s.api('POST', '/api/api-keys', { cookie, body: { name: 'not delivered' } });
        await s.api('POST', '/api/users', { cookie, body: { email: 'hooked@acme.test', name: 'H', role: 'agent', password: 'password1' } });
        await waitFor(() => rx.received.length >= 1, 5000, 'delivery');
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(rx.received.length, 1);
        const { headers, body } = rx.received[0];
        const event = JSON.parse(body);
        assert.equal(event.type, 'user.created');
        assert.equal(event.data.email, 'hooked@acme.test');
        assert.equal(headers['callsight-event-id'], event.id);
        assert.equal(verifyWebhook(hook.secret, body, String(headers['callsight-signature'])), true);
        assert.equal(verifyWebhook(hook.secret, body + ' ', String(headers['callsight-signature'])), false);
        assert.equal(verifyWebhook('whsec_other', body, String(headers['callsight-signature'])), false);
        await waitFor(async () => {
          const log = (await s.api('GET', `/api/webhooks/${hook.id}/deliveries`, { cookie })).body.items;
          return log.length === 1 && log[0].status === 'delivered' && log[0].lastStatus === 200;
        });
      } finally {
        await s.destroy();
      }
    });

    test('failed deliveries are retried with backoff, across a restart, and none is lost', async () => {
      const first = await startTestServer({ backend });
      const reuse = first.reuseInfo;
      let hookId: string;
      const emails = ['r1@acme.test', 'r2@acme.test', 'r3@acme.test'];
      try {
        const cookie = await first.login('admin@acme.test');
        hookId = (await first.api('POST', '/api/webhooks', { cookie, body: { url: rx.url, types: ['user.created'] } })).body.id;
        rx.state.status = 503;
        rx.received.length = 0;
        for (const email of emails) {
          await first.api('POST', '/api/users', { cookie, body: { email, name: 'R', role: 'agent', password: 'password1' } });
        }
        await waitFor(() => rx.received.length >= 3, 5000, 'first attempts');
        const log = (await first.api('GET', `/api/webhooks/${hookId}/deliveries`, { cookie })).body.items;
        assert.ok(log.every((d: { status: string; lastStatus: number; attempts: number }) => d.status === 'pending' && d.lastStatus === 503));
      } finally {
        await first.close();
      }
      // The receiver recovers while callsight is down; the restarted server finishes the job.
      rx.state.status = 200;
      const second = await startTestServer({ backend, reuse });
      try {
        const cookie = await second.login('admin@acme.test');
        await waitFor(
          async () => {
            const log = (await second.api('GET', `/api/webhooks/${hookId!}/deliveries`, { cookie })).body.items;
            return log.length === 3 && log.every((d: { status: string }) => d.status === 'delivered');
          },
          15_000,
          'redelivery after restart',
        );
        const delivered = rx.received.filter((r) => r.headers['callsight-signature']).map((r) => JSON.parse(r.body).data.email);
        for (const email of emails) assert.ok(delivered.includes(email), email);
      } finally {
        await second.destroy();
      }
    });
  });
}
