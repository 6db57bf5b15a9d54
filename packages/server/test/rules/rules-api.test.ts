import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { verifyWebhook } from '@callsight/sdk';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { connect, openInteraction, type Person } from '../confirm/confirm-helpers.js';
import { dropShared } from '../routing/routing-fixtures.js';

/** Polls until `get` returns something, and returns it. */
async function until<T>(get: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  let value: T | undefined;
  await waitFor(async () => (value = await get()) !== undefined, timeoutMs, what);
  return value!;
}

const delayedCard = {
  name: 'Delayed order during a call',
  trigger: { kind: 'event', event: { type: 'order.delayed', when: 'event.data.minutes >= 30' } },
  while: 'call_active',
  oncePerInteraction: true,
  actions: [
    {
      kind: 'card',
      card: {
        kind: 'form',
        title: 'Order {{data.orderId}} is delayed',
        message: 'It will arrive {{data.minutes}} minutes late.',
        fields: [
          { name: 'order', label: 'Order', type: 'string', readOnly: true },
          { name: 'choice', label: 'What would you like?', type: 'enum', options: ['Wait for it', 'Cancel the order'], required: true },
        ],
        values: { order: '{{data.orderId}}' },
      },
    },
    { kind: 'whisper', text: 'Order {{data.orderId}} is late: offer a voucher' },
  ],
};

for (const backend of BACKENDS) {
  describe(`cross-channel rules on ${backend.name}`, () => {
    let s: TestServer;
    let admin: string;
    let key: string;
    let customer: Person;
    let restarted: TestServer['reuseInfo'] | undefined;
    let hook: { url: string; got: { headers: IncomingMessage['headers']; body: string }[]; close(): Promise<void> };

    before(async () => {
      s = await startTestServer({ backend });
      admin = await s.login('admin@acme.test');
      key = (await s.api('POST', '/api/api-keys', { cookie: admin, body: { name: 'orders system', role: 'agent' } })).body.key;
      customer = await connect(s, 'customer@acme.test');
      const got: { headers: IncomingMessage['headers']; body: string }[] = [];
      const srv = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          got.push({ headers: req.headers, body });
          res.end('ok');
        });
      });
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
      hook = { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hook`, got, close: () => new Promise((r) => srv.close(() => r())) };
    });
    after(async () => {
      customer?.socket.close();
      await hook?.close();
      await s?.destroy();
      if (restarted) await dropShared(backend, restarted);
    });

    const ingest = (body: unknown, k = key) => s.api('POST', '/api/events/ingest', { key: k, body });
    const ce = (type: string, id: string, data: object, extra: object = {}) => ({ specversion: '1.0', id, source: 'urn:acme:orders', type, time: new Date().toISOString(), customerid: customer.id, data, ...extra });
    /** What the call feature would publish: a call with the customer starts (no SIP needed for the rule). */
    const callStarts = async (interactionId: string, callId: string) =>
      s.ctx.bus.publish({ tenantId: (await s.ctx.tenants.bySlug('acme'))!.id, type: 'call.created', interactionId, data: { callId, direction: 'inbound', from: '+15550100', to: '+15550199' } });

    test('ingestion: CloudEvents envelope checked by path, per-type schema, dedup by source + id', async () => {
      const bad = await ingest({ specversion: '0.3', source: '', type: 'call.created', time: 'yesterday', data: [] });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'event_invalid');
      assert.deepEqual(bad.body.fields.map((f: { path: string }) => f.path).sort(), ['body.data', 'body.id', 'body.source', 'body.specversion', 'body.time', 'body.type'].sort());
      const schema = await s.api('PUT', '/api/events/schemas/order.delayed', {
        cookie: admin,
        body: { schema: { type: 'object', required: ['orderId', 'minutes'], properties: { orderId: { type: 'string' }, minutes: { type: 'integer', minimum: 0 } } } },
      });
      assert.equal(schema.status, 200, JSON.stringify(schema.body));
      const badSchema = await s.api('PUT', '/api/events/schemas/x.y', { cookie: admin, body: { schema: { type: 'objekt' } } });
      assert.equal(badSchema.status, 400);
      assert.equal(badSchema.body.fields[0].path, 'body.schema.type');
      const wrong = await ingest(ce('order.delayed', 'o-0', { orderId: 7 }));
      assert.equal(wrong.status, 400);
      assert.deepEqual(wrong.body.fields.map((f: { path: string }) => f.path).sort(), ['body.data.minutes', 'body.data.orderId']);
      const before = (await s.api('GET', '/api/events?types=ingest.', { cookie: admin })).body.items.length;
      assert.equal(before, 0, 'nothing stored for refused events');
      const first = await ingest(ce('order.delayed', 'o-1', { orderId: 'A-1', minutes: 5 }));
      assert.equal(first.status, 202, JSON.stringify(first.body));
      assert.equal(first.body.accepted, true);
      const again = await ingest(ce('order.delayed', 'o-1', { orderId: 'A-1', minutes: 5 }));
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, { eventId: first.body.eventId, accepted: false });
      const customerKey = await s.api('POST', '/api/events/ingest', { cookie: customer.cookie, body: ce('order.delayed', 'o-2', { orderId: 'A', minutes: 1 }) });
      assert.equal(customerKey.status, 403);
    });

    test('invalid rules: path and expression position; unbounded expressions and loops refused', async () => {
      const bad = await s.api('POST', '/api/rules', { cookie: admin, body: { ...delayedCard, trigger: { kind: 'event', event: { type: 'order.delayed', when: 'event.data.minutes >=' } } } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'rule_invalid');
      assert.deepEqual(bad.body.fields, [{ path: 'body.trigger.event.when', message: bad.body.fields[0].message, position: 21 }]);
      const costly = await s.api('POST', '/api/rules', { cookie: admin, body: { ...delayedCard, trigger: { kind: 'event', event: { type: 'order.delayed', when: 'event.data.a.all(x, event.data.a.all(y, x == y))' } } } });
      assert.equal(costly.status, 400);
      assert.match(costly.body.fields[0].message, /too costly/);
      const loop = await s.api('POST', '/api/rules', { cookie: admin, body: { name: 'Text on every text', trigger: { kind: 'event', event: { type: 'sms.sent' } }, actions: [{ kind: 'sms', text: 'again' }] } });
      assert.equal(loop.status, 201);
      const on = await s.api('POST', `/api/rules/${loop.body.id}/activate`, { cookie: admin, body: { mode: 'active' } });
      assert.equal(on.status, 400);
      assert.equal(on.body.code, 'rule_loop');
      assert.equal((await s.api('DELETE', `/api/rules/${loop.body.id}`, { cookie: admin })).status, 204);
    });

    test('order.delayed during a call: a card on the caller’s screen and a whisper, once, explained in the trace', async () => {
      const created = await s.api('POST', '/api/rules', { cookie: admin, body: delayedCard });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const rule = created.body;
      assert.equal(rule.mode, 'off');
      assert.equal((await s.api('POST', `/api/rules/${rule.id}/activate`, { cookie: admin, body: { mode: 'active' } })).body.activeVersion, 1);

      const int = await openInteraction(s, admin, customer.id);
      await callStarts(int, 'call_rules_1');
      // Delivered twice (the business system retried with a new id), plus one under the threshold.
      assert.equal((await ingest(ce('order.delayed', 'o-10', { orderId: 'B-7', minutes: 45 }))).status, 202);
      assert.equal((await ingest(ce('order.delayed', 'o-11', { orderId: 'B-7', minutes: 45 }))).status, 202);
      assert.equal((await ingest(ce('order.delayed', 'o-12', { orderId: 'B-8', minutes: 3 }))).status, 202);

      await waitFor(() => customer.messages.some((m) => m.kind === 'card.presented' && m.card.content.title === 'Order B-7 is delayed'), 15000, 'card on the caller’s screen');
      const effects = await until(async () => {
        const r = (await s.api('GET', `/api/rules/effects?ruleId=${rule.id}`, { cookie: admin })).body.items;
        return r.length === 1 && r[0].actions.length === 2 ? r : undefined;
      }, 15000, 'effect done');
      assert.deepEqual(effects[0].actions.map((a: { status: string }) => a.status), ['done', 'done']);
      assert.equal(effects[0].interactionId, int);
      const cards = (await s.api('GET', `/api/interactions/${int}/cards`, { cookie: admin })).body.items;
      assert.equal(cards.length, 1, 'once per interaction: the retried event added no second card');
      const events = (await s.api('GET', `/api/events?interactionId=${int}&types=rules.`, { cookie: admin })).body.items;
      assert.ok(events.some((e: { type: string; data: { text: string } }) => e.type === 'rules.whisper' && e.data.text === 'Order B-7 is late: offer a voucher'));

      const trace = (await s.api('GET', `/api/rules/trace?interactionId=${int}`, { cookie: admin })).body.items;
      const outcomes = trace.filter((t: { ruleId: string }) => t.ruleId === rule.id).map((t: { outcome: string }) => t.outcome);
      // The third is 'late' when another stream's newer event was evaluated first (NATS); it is evaluated all the same.
      assert.deepEqual(outcomes.slice(0, 2), ['fired', 'once_per_interaction']);
      assert.ok(['no_match', 'late'].includes(outcomes[2]), outcomes[2]);
      assert.match(trace.find((t: { ruleId: string }, i: number) => t.ruleId === rule.id && i > 0 && /was false/.test((t as unknown as { reason: string }).reason)).reason, /minutes >= 30 was false/);
      assert.equal(trace[0].actions.length, 2);

      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      assert.match(metrics, new RegExp(`callsight_rule_eval_seconds_count\\{rule="${rule.id}"\\} [1-9]`));
      assert.equal((await s.api('POST', `/api/rules/${rule.id}/activate`, { cookie: admin, body: { mode: 'off' } })).status, 200);
    });

    test('a sequence in shadow mode is traced but acts on nothing; a webhook action is signed and carries the Idempotency-Key', async () => {
      const seq = (await s.api('POST', '/api/rules', {
        cookie: admin,
        body: { name: 'Three taps then cancel', correlate: 'customer', trigger: { kind: 'sequence', steps: [{ type: 'app.tap' }, { type: 'app.cancel_tapped' }], withinSeconds: 60 }, actions: [{ kind: 'webhook', url: hook.url }] },
      })).body;
      assert.equal((await s.api('POST', `/api/rules/${seq.id}/activate`, { cookie: admin, body: { mode: 'shadow' } })).status, 200);
      const tap = () => s.api('POST', '/api/events/activity', { cookie: customer.cookie, body: { action: 'tap' } });
      const cancel = () => s.api('POST', '/api/events/activity', { cookie: customer.cookie, body: { action: 'cancel_tapped' } });
      assert.equal((await tap()).status, 202);
      assert.equal((await cancel()).status, 202);
      const shadow = await until(async () => {
        const r = (await s.api('GET', `/api/rules/effects?ruleId=${seq.id}`, { cookie: admin })).body.items;
        return r[0]?.actions.length ? r[0] : undefined;
      }, 15000, 'shadow effect');
      assert.equal(shadow.mode, 'shadow');
      assert.equal(shadow.actions[0].status, 'shadow');
      assert.equal(hook.got.length, 0, 'shadow mode calls no webhook');

      assert.equal((await s.api('POST', `/api/rules/${seq.id}/activate`, { cookie: admin, body: { mode: 'active' } })).status, 200);
      await tap();
      await cancel();
      await waitFor(() => hook.got.length === 1, 15000, 'webhook called');
      const secret = (await s.api('GET', '/api/rules/webhook-secret', { cookie: admin })).body.secret;
      const got = hook.got[0]!;
      assert.ok(await verifyWebhook(got.body, String(got.headers['callsight-signature']), secret), 'signed with the rules webhook secret');
      assert.match(String(got.headers['idempotency-key']), /^[0-9a-f]{40}$/);
      assert.equal(JSON.parse(got.body).key, got.headers['idempotency-key']);

      // Backtest over the log: the same two firings the live engine made (shadow and active).
      const bt = await s.api('POST', '/api/rules/backtest', { cookie: admin, body: { definition: { ...seq.definition }, days: 1 } });
      assert.equal(bt.status, 200, JSON.stringify(bt.body));
      assert.equal(bt.body.firings.length, 2);
      assert.match(bt.body.firings[0].summary, /call the webhook/);
      const live = (await s.api('GET', `/api/rules/effects?ruleId=${seq.id}`, { cookie: admin })).body.items;
      assert.deepEqual(
        bt.body.firings.map((f: { eventIds: string[] }) => f.eventIds.join()).sort(),
        live.map((f: { eventIds: string[] }) => f.eventIds.join()).sort(),
        'backtest finds the firings live evaluation made, on the same events',
      );
    });

    test('pattern state survives a restart in the middle of a window', async () => {
      const count = (await s.api('POST', '/api/rules', {
        cookie: admin,
        body: { name: 'Three failed payments', trigger: { kind: 'count', event: { type: 'payment.failed' }, count: 3, withinSeconds: 600 }, actions: [{ kind: 'whisper', text: 'Third failed payment' }] },
      })).body;
      await s.api('POST', `/api/rules/${count.id}/activate`, { cookie: admin, body: { mode: 'active' } });
      for (const id of ['p-1', 'p-2']) assert.equal((await ingest(ce('payment.failed', id, { amount: 10 }))).status, 202);
      await waitFor(async () => (await s.api('GET', `/api/rules/trace?customerId=${customer.id}`, { cookie: admin })).body.items.filter((t: { ruleId: string }) => t.ruleId === count.id).length === 2, 15000, 'two counted');
      const reuse = s.reuseInfo;
      restarted = reuse;
      customer.socket.close();
      await s.close();
      s = await startTestServer({ backend, reuse });
      admin = await s.login('admin@acme.test');
      customer = await connect(s, 'customer@acme.test');
      assert.equal((await ingest(ce('payment.failed', 'p-3', { amount: 10 }))).status, 202);
      const effects = await until(async () => {
        const r = (await s.api('GET', `/api/rules/effects?ruleId=${count.id}`, { cookie: admin })).body.items;
        return r.length === 1 && r[0].actions.length ? r : undefined;
      }, 15000, 'fired after the restart');
      assert.equal(effects[0].eventIds.length, 3);
    });
  });
}
