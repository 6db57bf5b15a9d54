import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { parseReceipt, splitSms } from '../../src/sms/sms-segments.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { TestSmsc } from './smsc.js';

describe('splitting SMS text', () => {
  test('a message that fits is sent whole; longer ASCII goes in 153-character parts with a concatenation UDH', () => {
    assert.deepEqual(splitSms('x'.repeat(160), 7), [{ text: 'x'.repeat(160) }]);
    const parts = splitSms('y'.repeat(161), 7);
    assert.deepEqual(parts.map((p) => p.text.length), [153, 8]);
    assert.deepEqual([...parts[1].udh!], [0x05, 0x00, 0x03, 7, 2, 2]);
  });

  test('non-GSM text counts 70/67 UTF-16 units and never cuts a surrogate pair', () => {
    assert.equal(splitSms('é'.repeat(70), 1).length, 1);
    assert.equal(splitSms('é'.repeat(71), 1).length, 2);
    const parts = splitSms('😀'.repeat(68), 1);
    assert.deepEqual(parts.map((p) => p.text.length), [66, 66, 4]);
    assert.equal(parts.map((p) => p.text).join(''), '😀'.repeat(68));
  });

  test('delivery receipt text is parsed; anything else is not a receipt', () => {
    assert.deepEqual(parseReceipt('id:m12 sub:001 dlvrd:001 stat:DELIVRD err:000'), { messageId: 'm12', stat: 'DELIVRD' });
    assert.equal(parseReceipt('hello there'), null);
  });
});

for (const backend of BACKENDS) {
  describe(`SMS over SMPP (${backend.name})`, () => {
    let smsc: TestSmsc;
    let s: TestServer;
    let agent: string;
    const events: AnyEvent[] = [];

    before(async () => {
      smsc = await new TestSmsc().start();
      s = await startTestServer({ backend, config: { smppUrl: smsc.url, smsFrom: 'AcmeBank' } });
      agent = await s.login('agent@acme.test');
      await s.ctx.bus.subscribe({ types: ['sms.', 'routing.queued'] }, (e) => void events.push(e));
      await waitFor(() => smsc.bound === 1, 5000, 'server bound to the SMSC');
    });
    after(async () => {
      await s.destroy();
      await smsc.down();
    });

    test('an agent sends a long SMS: two submit_sm parts with one reference, sms.sent, then the receipt gives sms.delivered', async () => {
      const text = 'Your new card is on its way. '.repeat(7).trim();
      const r = await s.api('POST', '/api/sms', { cookie: agent, body: { to: '+33612345678', text } });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const { messageId } = r.body as { messageId: string };
      const parts = smsc.submitted.slice(-2);
      assert.equal(parts.length, 2);
      assert.deepEqual(parts.map((p) => [p.to, p.from]), [['33612345678', 'AcmeBank'], ['33612345678', 'AcmeBank']]);
      assert.equal(parts.map((p) => p.text).join(''), text);
      assert.deepEqual(parts.map((p) => [p.udh![0], p.udh![3], p.udh![4]]), [[0, 2, 1], [0, 2, 2]]);
      assert.equal(parts[0].udh![2], parts[1].udh![2], 'same concatenation reference');
      const sent = events.find((e) => e.type === 'sms.sent' && (e.data as { messageId: string }).messageId === messageId);
      assert.equal((sent?.data as { parts: number }).parts, 2);

      assert.equal(await smsc.receipt(parts[0].messageId, 'DELIVRD'), 0);
      await waitFor(() => events.some((e) => e.type === 'sms.delivered' && (e.data as { messageId: string }).messageId === messageId), 3000, 'sms.delivered');
    });

    test('bad input is a 400 with the field path and sends nothing', async () => {
      const before = smsc.submitted.length;
      const r = await s.api('POST', '/api/sms', { cookie: agent, body: { to: '0612', text: '' } });
      assert.equal(r.status, 400);
      const paths = ((r.body as { fields: { path: string }[] }).fields ?? []).map((e) => e.path).sort();
      assert.deepEqual(paths, ['body.text', 'body.to']);
      assert.equal(smsc.submitted.length, before);
    });

    test('an inbound SMS (deliver_sm) becomes a routed sms item; the next one joins the same conversation', async () => {
      assert.equal(await smsc.deliver('+33699887766', '+15550100', 'Hi, I lost my card'), 0);
      await waitFor(() => events.some((e) => e.type === 'routing.queued' && (e.data as { channel: string }).channel === 'sms'), 5000, 'sms item queued');
      const queued = events.find((e) => e.type === 'routing.queued' && (e.data as { channel: string }).channel === 'sms')!;
      const received = events.find((e) => e.type === 'sms.received')!;
      assert.deepEqual(received.data, { messageId: (received.data as { messageId: string }).messageId, from: '+33699887766', to: '+15550100', text: 'Hi, I lost my card' });

      assert.equal(await smsc.deliver('+33699887766', '+15550100', 'It was a Visa'), 0);
      const interactionId = (queued.data as { interactionId: string }).interactionId;
      await waitFor(async () => {
        const r = await s.api('GET', `/api/interactions/${interactionId}/sms`, { cookie: agent });
        return (r.body as { items: unknown[] }).items.length === 2;
      }, 3000, 'both messages in the interaction');
      assert.equal(events.filter((e) => e.type === 'routing.queued' && (e.data as { channel: string }).channel === 'sms').length, 1, 'one routed item per conversation');
    });

    test('SMSC down: sending fails visibly (503 + sms.failed), nothing crashes, and the link rebinds when it is back', async () => {
      const port = smsc.port;
      await smsc.down();
      const r = await s.api('POST', '/api/sms', { cookie: agent, body: { to: '+33612345678', text: 'are you there?' } });
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.equal((r.body as { code: string }).code, 'sms_unavailable');
      assert.ok(events.some((e) => e.type === 'sms.failed' && (e.data as { code: string }).code === 'sms_unavailable'));

      await smsc.start(port);
      await waitFor(() => smsc.bound === 1, 10_000, 'rebound after the outage');
      const ok = await s.api('POST', '/api/sms', { cookie: agent, body: { to: '+33612345678', text: 'back again' } });
      assert.equal(ok.status, 202, JSON.stringify(ok.body));
      assert.equal(smsc.submitted.at(-1)!.text, 'back again');
    });
  });
}
