import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

type Ingested = { eventType: string; source: string; sourceId: string; data: Record<string, unknown> };

for (const backend of BACKENDS) {
  describe(`incoming webhooks on ${backend.name}`, () => {
    let s: TestServer;
    let admin: string;
    const seen: Ingested[] = [];

    before(async () => {
      s = await startTestServer({ backend });
      admin = await s.login('admin@acme.test');
      await s.ctx.bus.subscribe({ types: ['ingest.event'] }, (e) => void seen.push(e.data as Ingested));
    });
    after(async () => s?.destroy());

    const create = (body: object, cookie = admin) => s.api('POST', '/api/events/hooks', { cookie, body });
    const deliver = (path: string, body: string, headers: Record<string, string>) =>
      fetch(s.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: await r.json() }));
    const standardHeaders = (secret: string, id: string, body: string, t = Math.floor(Date.now() / 1000)) => ({
      'webhook-id': id,
      'webhook-timestamp': String(t),
      'webhook-signature': `v1,${createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64')).update(`${id}.${t}.${body}`).digest('base64')}`,
    });

    test('only admins manage incoming webhooks; bad settings are refused in words', async () => {
      for (const email of ['supervisor@acme.test', 'agent@acme.test']) {
        const cookie = await s.login(email);
        assert.equal((await create({ name: 'Shop', scheme: 'standard' }, cookie)).status, 403);
        assert.equal((await s.api('GET', '/api/events/hooks', { cookie })).status, 403);
      }
      const reserved = await create({ name: 'Calls', scheme: 'standard', typePrefix: 'call' });
      assert.equal(reserved.status, 400);
      assert.equal(reserved.body.code, 'event_hook_invalid');
      assert.match(reserved.body.fields[0].message, /callsight’s own events/);
      const stripeWithout = await create({ name: 'Stripe', scheme: 'stripe' });
      assert.equal(stripeWithout.status, 400);
      assert.deepEqual(stripeWithout.body.fields.map((f: { path: string }) => f.path), ['body.secret']);
      assert.equal((await create({ name: 'X', scheme: 'soap' })).status, 400);
      assert.equal((await s.api('GET', '/api/events/hooks', { cookie: admin })).body.items.length, 0, 'nothing was created by the refusals');
    });

    test('Standard Webhooks: a signed delivery is ingested once under the hook’s prefix; bad ones are refused, counted and explained', async () => {
      const made = await create({ name: 'Acme Shop', scheme: 'standard' });
      assert.equal(made.status, 201);
      const hook = made.body;
      assert.equal(hook.typePrefix, 'acme_shop');
      assert.match(hook.secret, /^whsec_/);
      assert.equal(hook.path, `/api/events/hooks/${hook.id}`);

      const body = JSON.stringify({ type: 'order.paid', data: { orderId: 'A-17', total: 42 } });
      const first = await deliver(hook.path, body, standardHeaders(hook.secret, 'msg_1', body));
      assert.equal(first.status, 202);
      assert.equal(first.body.accepted, true);
      await waitFor(() => seen.some((e) => e.sourceId === 'msg_1'), 5000, 'the delivery on the bus');
      const event = seen.find((e) => e.sourceId === 'msg_1')!;
      assert.equal(event.eventType, 'acme_shop.order.paid');
      assert.equal(event.source, `callsight:hook/${hook.id}`);
      assert.deepEqual(event.data, { orderId: 'A-17', total: 42 });

      // The sender retries the same message: acknowledged, not ingested again.
      const again = await deliver(hook.path, body, standardHeaders(hook.secret, 'msg_1', body));
      assert.deepEqual([again.status, again.body.accepted, again.body.eventId], [200, false, first.body.eventId]);

      const tampered = await deliver(hook.path, body.replace('42', '4200'), standardHeaders(hook.secret, 'msg_2', body));
      assert.equal(tampered.status, 401);
      assert.match(tampered.type ?? '', /^application\/problem\+json/);
      assert.equal(tampered.body.code, 'hook_signature_invalid');
      const stale = await deliver(hook.path, body, standardHeaders(hook.secret, 'msg_3', body, Math.floor(Date.now() / 1000) - 3600));
      assert.equal(stale.status, 401);
      assert.equal(seen.filter((e) => e.source === `callsight:hook/${hook.id}`).length, 1, 'refused deliveries ingest nothing');

      const listed = (await s.api('GET', '/api/events/hooks', { cookie: admin })).body.items.find((h: { id: string }) => h.id === hook.id);
      assert.deepEqual([listed.accepted, listed.refused], [1, 2]);
      assert.match(listed.lastRefusal, /5 minutes/);
      assert.equal(listed.secret, undefined, 'the secret is shown on creation only');
      const row = await s.ctx.store.db.selectFrom('rule_event_hooks').selectAll().where('id', '=', hook.id).executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).includes(hook.secret.slice('whsec_'.length)), 'the secret is sealed at rest');

      assert.equal((await s.api('DELETE', `/api/events/hooks/${hook.id}`, { cookie: admin })).status, 204);
      assert.equal((await deliver(hook.path, body, standardHeaders(hook.secret, 'msg_4', body))).status, 404);
    });

    test('GitHub and Stripe deliveries become github.<event>.<action> and stripe.<type> events', async () => {
      const gh = (await create({ name: 'Repo', scheme: 'github' })).body;
      const push = JSON.stringify({ action: 'opened', issue: { number: 7, title: 'Checkout fails' } });
      const sig = `sha256=${createHmac('sha256', gh.secret).update(push).digest('hex')}`;
      const res = await deliver(gh.path, push, { 'x-hub-signature-256': sig, 'x-github-delivery': 'gh-1', 'x-github-event': 'issues' });
      assert.equal(res.status, 202);

      const secret = 'whsec_stripe_given_0123456789';
      const st = await create({ name: 'Payments', scheme: 'stripe', secret });
      assert.equal(st.status, 201);
      assert.equal(st.body.typePrefix, 'stripe');
      const body = JSON.stringify({ id: 'evt_9', type: 'charge.refunded', created: Math.floor(Date.now() / 1000), data: { object: { id: 'ch_1', amount_refunded: 500 } } });
      const t = Math.floor(Date.now() / 1000);
      const paid = await deliver(st.body.path, body, { 'stripe-signature': `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}` });
      assert.equal(paid.status, 202);

      await waitFor(() => seen.some((e) => e.sourceId === 'gh-1') && seen.some((e) => e.sourceId === 'evt_9'), 5000, 'both deliveries on the bus');
      assert.equal(seen.find((e) => e.sourceId === 'gh-1')!.eventType, 'github.issues.opened');
      const refund = seen.find((e) => e.sourceId === 'evt_9')!;
      assert.equal(refund.eventType, 'stripe.charge.refunded');
      assert.deepEqual(refund.data, { id: 'ch_1', amount_refunded: 500 });
    });
  });
}
