import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { CallsightApiError, CallsightClient, verifyWebhook, type CallsightEvent } from '../../../sdk/src/index.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { ADDRESS } from './confirm-helpers.js';

/** A business system (API key) presents a card during a call and learns the answer by webhook. */
describe('confirm cards through the SDK and webhooks', () => {
  let s: TestServer;
  const hooks: CallsightEvent<'confirm.answered'>[] = [];
  let secret = '';
  let unverified = 0;
  // A receiver as a business would write it: the SDK checks the signature and types the event.
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const event = await verifyWebhook(body, req.headers['callsight-signature'], secret);
      if (event?.type === 'confirm.answered') hooks.push(event);
      else unverified++;
      res.end('ok');
    });
  });

  before(async () => {
    s = await startTestServer();
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  });
  after(async () => {
    await s.destroy();
    await new Promise((r) => receiver.close(r));
  });

  test('present with an API key, answer as the customer, read confirmed data, export and verify', async () => {
    const admin = new CallsightClient({ baseUrl: s.url, WebSocket });
    await admin.login('admin@acme.test', 'demo');
    const { key } = await admin.apiKeys.create({ name: 'crm', role: 'agent' });
    ({ secret } = await admin.webhooks.create({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, types: ['confirm.answered'] }));

    const crm = new CallsightClient({ baseUrl: s.url, apiKey: key });
    const customer = new CallsightClient({ baseUrl: s.url, WebSocket });
    const me = await customer.login('customer@acme.test', 'demo');
    const interaction = await crm.interactions.create({ channel: 'voice', customerId: me.user.id });

    const stream = customer.realtime({ types: ['confirm.'] });
    const seen: string[] = [];
    stream.on('event', (e) => seen.push(e.type));
    await new Promise<void>((r) => stream.on('open', () => r()));

    const { card } = await crm.cards.present(interaction.id, { kind: 'address', values: ADDRESS });
    await waitFor(() => seen.includes('confirm.presented'), 3000, 'presented on the customer stream');
    const pending = await customer.cards.list({ status: 'presented' });
    assert.deepEqual(pending.items.map((c) => c.id), [card.id]);

    const stale = await customer.cards.answer(card.id, { version: 2, decision: 'confirm' }).catch((e: unknown) => e);
    assert.ok(stale instanceof CallsightApiError && stale.status === 409 && stale.code === 'card_version_stale');

    const answered = await customer.cards.answer(card.id, { version: 1, decision: 'confirm', values: { city: 'Shelbyville' } });
    assert.equal(answered.status, 'corrected');
    const data = await crm.cards.confirmed(interaction.id);
    assert.equal(data.items[0].values.city, 'Shelbyville');
    const record = await crm.cards.exportRecord(interaction.id);
    assert.equal(record.records.length, 2);
    assert.equal(record.verification.ok, true);
    assert.deepEqual(await crm.cards.verifyRecord(interaction.id), record.verification);

    await waitFor(() => hooks.length === 1, 5000, 'confirm.answered webhook');
    const hook = hooks[0];
    assert.equal(hook.type, 'confirm.answered');
    assert.equal(hook.interactionId, interaction.id);
    assert.deepEqual(hook.data.changes, [{ field: 'city', from: 'Springfield', to: 'Shelbyville' }]);
    assert.equal(hook.data.values?.postcode, ADDRESS.postcode);
    assert.equal(hook.data.contentHash, card.contentHash);
    assert.equal(hook.data.recordHash, record.records[1].hash, 'the webhook names the chain record it came from');
    assert.equal(unverified, 0, 'every delivery verified with the webhook secret');
    stream.close();
  });
});
