import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { hookEventType, newHookSecret, secretProblem, verifyDelivery } from '../../src/rules/hook-signatures.js';

const NOW = 1_614_265_330;

describe('incoming webhook signatures', () => {
  test('Standard Webhooks: the specification’s own example verifies; a changed byte, an old timestamp or a missing header does not', () => {
    // The example of the Standard Webhooks specification (also Svix's documentation).
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const headers = { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': String(NOW), 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' };
    // The example body has no "type": the signature checks out and the body is what is refused.
    assert.deepEqual(verifyDelivery('standard', secret, '{"test": 2432232314}', headers, NOW), { ok: false, reason: 'the body must be a JSON object with a "type"' });
    assert.match(reason(verifyDelivery('standard', secret, '{"test": 2432232315}', headers, NOW)), /signature does not match/);
    assert.match(reason(verifyDelivery('standard', secret, '{"test": 2432232314}', headers, NOW + 301)), /5 minutes/);
    assert.match(reason(verifyDelivery('standard', secret, '{"test": 2432232314}', { ...headers, 'webhook-id': undefined }, NOW)), /headers are required/);

    const body = JSON.stringify({ type: 'order.paid', timestamp: '2021-02-21T12:00:00Z', data: { orderId: 'A-1' } });
    const sig = createHmac('sha256', Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64')).update(`m1.${NOW}.${body}`).digest('base64');
    // Several signatures (a key rotation): any one that matches will do.
    const ok = verifyDelivery('standard', secret, body, { 'webhook-id': 'm1', 'webhook-timestamp': String(NOW), 'webhook-signature': `v1,bm9wZQ== v1,${sig}` }, NOW);
    assert.deepEqual(ok, { ok: true, delivery: { deliveryId: 'm1', type: 'order.paid', timeMs: NOW * 1000, data: { orderId: 'A-1' } } });
  });

  test('GitHub: the documentation’s example signature verifies; the event and its action make the type', () => {
    const secret = "It's a Secret to Everybody";
    const gh = (sig: string) => ({ 'x-hub-signature-256': sig, 'x-github-delivery': 'd-1', 'x-github-event': 'issues' });
    // GitHub's documented example (a body that is not JSON, so only the signature part passes).
    const example = verifyDelivery('github', secret, 'Hello, World!', gh('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'), NOW);
    assert.match(reason(example), /must be a JSON object/);
    assert.match(reason(verifyDelivery('github', secret, 'Hello, World!', gh('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18'), NOW)), /signature does not match/);
    const body = JSON.stringify({ action: 'opened', issue: { number: 7 } });
    const ok = verifyDelivery('github', secret, body, gh(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`), NOW);
    assert.deepEqual(ok, { ok: true, delivery: { deliveryId: 'd-1', type: 'issues.opened', timeMs: null, data: { action: 'opened', issue: { number: 7 } } } });
  });

  test('Stripe: t and v1 over "t.body"; the event’s object is the data; stale or unsigned deliveries are refused', () => {
    const secret = 'whsec_test_0123456789abcdef';
    const body = JSON.stringify({ id: 'evt_1', type: 'payment_intent.succeeded', created: NOW, data: { object: { id: 'pi_1', amount: 1200 } } });
    const sign = (t: number) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
    assert.deepEqual(verifyDelivery('stripe', secret, body, { 'stripe-signature': sign(NOW) }, NOW + 10), {
      ok: true,
      delivery: { deliveryId: 'evt_1', type: 'payment_intent.succeeded', timeMs: NOW * 1000, data: { id: 'pi_1', amount: 1200 } },
    });
    assert.match(reason(verifyDelivery('stripe', secret, body, { 'stripe-signature': sign(NOW - 400) }, NOW)), /5 minutes/);
    assert.match(reason(verifyDelivery('stripe', 'whsec_other_secret_000', body, { 'stripe-signature': sign(NOW) }, NOW)), /signature does not match/);
    assert.match(reason(verifyDelivery('stripe', secret, body, {}, NOW)), /Stripe-Signature header is required/);
  });

  test('secrets: made in the form each sender expects; pasted ones are checked', () => {
    assert.match(newHookSecret('standard'), /^whsec_[A-Za-z0-9+/]{32}$/);
    assert.notEqual(newHookSecret('github'), newHookSecret('github'));
    assert.equal(secretProblem('stripe', 'whsec_0123456789abcdef'), null);
    assert.match(secretProblem('stripe', 'sk_live_0123456789abcdef') ?? '', /start with whsec_/);
    assert.match(secretProblem('github', 'short') ?? '', /16 to 200/);
  });

  test('event types: the sender’s type under the hook’s prefix, with characters rules cannot match replaced', () => {
    assert.equal(hookEventType('shop', 'order.paid'), 'shop.order.paid');
    assert.equal(hookEventType('github', 'pull request/closed'), 'github.pull_request_closed');
    assert.equal(hookEventType('x', 'a'.repeat(200)).length, 100);
  });
});

function reason(v: ReturnType<typeof verifyDelivery>): string {
  assert.equal(v.ok, false);
  return v.ok ? '' : v.reason;
}
