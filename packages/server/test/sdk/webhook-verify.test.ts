import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyWebhook } from '../../../sdk/src/index.js';
import { signWebhook } from '../../src/webhooks/webhook-signature.js';

/** The SDK's WebCrypto check against the server's Node signer: the two must agree byte for byte. */
const SECRET = 'whsec_test_0123456789';
const event = { id: 'evt_1', tenantId: 'ten_1', type: 'call.ended', time: 1_700_000_000_000, data: { callId: 'call_1', cause: 'normal', durationSeconds: 12 } };
const body = JSON.stringify(event);
const now = 1_700_000_000;

test('a delivery signed by the server verifies and comes back as a typed event', async () => {
  const got = await verifyWebhook(body, signWebhook(SECRET, body, now), SECRET, { now: now * 1000 });
  assert.ok(got?.type === 'call.ended');
  assert.equal(got.data.cause, 'normal');
  // Header arrays (Node's IncomingHttpHeaders) are accepted too.
  assert.deepEqual(await verifyWebhook(body, [signWebhook(SECRET, body, now)], SECRET, { now: now * 1000 }), event);
});

test('a changed body, another secret, a replayed timestamp or a malformed header is refused', async () => {
  const sig = signWebhook(SECRET, body, now);
  assert.equal(await verifyWebhook(body.replace('normal', 'forged'), sig, SECRET, { now: now * 1000 }), undefined);
  assert.equal(await verifyWebhook(body, sig, 'another-secret', { now: now * 1000 }), undefined);
  assert.equal(await verifyWebhook(body, sig, SECRET, { now: (now + 301) * 1000 }), undefined, 'older than the 300 s tolerance');
  assert.ok(await verifyWebhook(body, sig, SECRET, { now: (now + 3600) * 1000, toleranceSeconds: 7200 }), 'a wider tolerance accepts it');
  // The MAC covers the timestamp: moving t invalidates it.
  assert.equal(await verifyWebhook(body, sig.replace(`t=${now}`, `t=${now + 1}`), SECRET, { now: now * 1000 }), undefined);
  for (const bad of [undefined, null, '', 'v1=abc', `t=${now}`, `t=${now},v1=zz`, `t=x,v1=${'0'.repeat(64)}`]) {
    assert.equal(await verifyWebhook(body, bad, SECRET, { now: now * 1000 }), undefined, String(bad));
  }
});
