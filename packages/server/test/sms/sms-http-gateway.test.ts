import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { loadConfig } from '../../src/core/config.js';
import { signWebhook, verifyWebhook } from '../../src/webhooks/webhook-signature.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { ADDRESS, connect, openInteraction } from '../confirm/confirm-helpers.js';

const SECRET = 'gateway-secret-0123456789';

/** A local HTTP SMS gateway: records signed POSTs; `mode` makes it fail like a real one can. */
class FakeGateway {
  readonly received: { body: { from: string; to: string; text: string }; signed: boolean }[] = [];
  mode: 'ok' | 'down' | 'refuse' = 'ok';
  private server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      if (this.mode === 'down') return void res.writeHead(503).end();
      if (this.mode === 'refuse') return void res.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"invalid destination"}');
      this.received.push({ body: JSON.parse(raw), signed: verifyWebhook(SECRET, raw, String(req.headers['callsight-signature'] ?? '')) });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messageId: `gw-${this.received.length}` }));
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return this;
  }
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/send`;
  }
  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

const signed = (body: unknown, secret = SECRET, at = Math.floor(Date.now() / 1000)) => {
  const raw = JSON.stringify(body);
  return { method: 'POST', headers: { 'content-type': 'application/json', 'callsight-signature': signWebhook(secret, raw, at) }, body: raw };
};

describe('SMS config', () => {
  test('an HTTP gateway URL without its signing secret, or a bad SMPP URL, stops the start with the variable named', () => {
    assert.throws(() => loadConfig({ CALLSIGHT_SMS_WEBHOOK_URL: 'http://127.0.0.1:9/send' }), /CALLSIGHT_SMS_WEBHOOK_SECRET/);
    assert.throws(() => loadConfig({ CALLSIGHT_SMPP_URL: 'http://smsc:2775' }), /CALLSIGHT_SMPP_URL/);
    assert.throws(() => loadConfig({ CALLSIGHT_SMS_WEBHOOK_URL: 'http://127.0.0.1:9/send', CALLSIGHT_SMS_WEBHOOK_SECRET: 'short' }), /CALLSIGHT_SMS_WEBHOOK_SECRET/);
    const c = loadConfig({ CALLSIGHT_SMPP_URL: 'smpp://u:p@127.0.0.1:2775', CALLSIGHT_SMS_FROM: 'Acme', CALLSIGHT_SMS_QUEUE: 'sales' });
    assert.deepEqual({ url: c.smppUrl, from: c.smsFrom, queue: c.smsQueue }, { url: 'smpp://u:p@127.0.0.1:2775', from: 'Acme', queue: 'sales' });
  });
});

for (const backend of BACKENDS) {
  describe(`SMS over an HTTP gateway (${backend.name})`, () => {
    let gw: FakeGateway;
    let s: TestServer;
    let agent: string;
    const events: AnyEvent[] = [];

    before(async () => {
      gw = await new FakeGateway().start();
      s = await startTestServer({ backend, config: { smsWebhookUrl: gw.url, smsWebhookSecret: SECRET, smsFrom: 'AcmeBank' } });
      agent = await s.login('agent@acme.test');
      await s.ctx.bus.subscribe({ types: ['sms.', 'routing.queued'] }, (e) => void events.push(e));
    });
    after(async () => {
      await s.destroy();
      await gw.stop();
    });

    test('sending POSTs a signed JSON message; the gateway’s id comes back as a receipt', async () => {
      const r = await s.api('POST', '/api/sms', { cookie: agent, body: { to: '+33612345678', text: 'Your card is on its way' } });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.deepEqual(gw.received[0], { body: { from: 'AcmeBank', to: '+33612345678', text: 'Your card is on its way' }, signed: true });
      const messageId = (r.body as { messageId: string }).messageId;
      await waitFor(() => events.some((e) => e.type === 'sms.sent' && (e.data as { messageId: string }).messageId === messageId), 3000, 'sms.sent');

      const receipt = await fetch(`${s.url}/api/sms/webhook`, signed({ type: 'receipt', messageId: 'gw-1', delivered: true, stat: 'DELIVRD' }));
      assert.equal(receipt.status, 204);
      await waitFor(() => events.some((e) => e.type === 'sms.delivered' && (e.data as { messageId: string }).messageId === messageId), 3000, 'sms.delivered');
    });

    test('gateway down → 503 sms_unavailable; gateway refusing → 502 sms_rejected; both visible as sms.failed', async () => {
      gw.mode = 'down';
      const down = await s.api('POST', '/api/sms', { cookie: agent, body: { to: '+33612345678', text: 'x' } });
      assert.equal(down.status, 503);
      assert.equal((down.body as { code: string }).code, 'sms_unavailable');
      gw.mode = 'refuse';
      const refused = await s.api('POST', '/api/sms', { cookie: agent, body: { to: '+33612345678', text: 'x' } });
      assert.equal(refused.status, 502);
      assert.equal((refused.body as { code: string }).code, 'sms_rejected');
      gw.mode = 'ok';
      await waitFor(() => events.filter((e) => e.type === 'sms.failed').length === 2, 3000, 'two sms.failed');
    });

    test('inbound: a signed MO opens a routed SMS conversation; a forged, stale or malformed request is refused and changes nothing', async () => {
      const number = await s.api('POST', '/api/numbers', { cookie: await s.login('admin@acme.test'), body: { number: '+15550444' } });
      assert.equal(number.status, 201, JSON.stringify(number.body));
      const mo = { type: 'mo', from: '+33611112222', to: '+15550444', text: 'Hello, is my card blocked?' };

      const forged = await fetch(`${s.url}/api/sms/webhook`, signed(mo, 'not-the-secret-at-all'));
      assert.equal(forged.status, 401);
      const stale = await fetch(`${s.url}/api/sms/webhook`, signed(mo, SECRET, Math.floor(Date.now() / 1000) - 3600));
      assert.equal(stale.status, 401);
      const unsigned = await fetch(`${s.url}/api/sms/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(mo) });
      assert.equal(unsigned.status, 401);
      const malformed = await fetch(`${s.url}/api/sms/webhook`, signed({ type: 'mo', from: '+33611112222', text: 42 }));
      assert.equal(malformed.status, 400);
      assert.deepEqual(((await malformed.json()) as { fields: { path: string }[] }).fields.map((f) => f.path).sort(), ['body.text', 'body.to']);
      assert.equal(events.filter((e) => e.type === 'sms.received').length, 0, 'nothing received');

      const ok = await fetch(`${s.url}/api/sms/webhook`, signed(mo));
      assert.equal(ok.status, 204);
      await waitFor(() => events.some((e) => e.type === 'routing.queued' && (e.data as { channel: string }).channel === 'sms'), 5000, 'SMS conversation queued');
      const queued = events.find((e) => e.type === 'routing.queued')!;
      const thread = await s.api('GET', `/api/interactions/${queued.interactionId}/sms`, { cookie: agent });
      assert.deepEqual((thread.body as { items: { direction: string; text: string }[] }).items.map((m) => [m.direction, m.text]), [['inbound', 'Hello, is my card blocked?']]);
    });
  
    test('a confirm card’s one-time link is texted through the configured gateway', async () => {
      const staff = await connect(s, 'agent@acme.test');
      const customer = await connect(s, 'customer@acme.test');
      try {
        const int = await openInteraction(s, staff.cookie, customer.id);
        const before = gw.received.length;
        const res = await s.api('POST', `/api/interactions/${int}/cards`, { cookie: staff.cookie, body: { kind: 'address', values: ADDRESS, sms: true } });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const { link } = res.body as { link: { url: string; sentTo: string } };
        assert.equal(link.sentTo, '+15550100');
        assert.deepEqual(gw.received[before].body, { from: 'AcmeBank', to: '+15550100', text: `Confirm your address: ${link.url}` });
      } finally {
        staff.socket.close();
        customer.socket.close();
      }
    });
  });
}
