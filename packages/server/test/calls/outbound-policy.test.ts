import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import WebSocket from 'ws';
import { CallsightClient, CallsightRealtimeError, type EventStream } from '../../../sdk/src/index.js';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { DEFAULT_OUTBOUND_POLICY } from '../../src/calls/outbound-policy.js';
import { customerAndAgent } from '../helpers/app-sockets.js';
import { BACKENDS } from '../helpers/backends.js';
import { callScenario, runSipp, startSippUas } from '../helpers/sipp.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { twoProcesses } from '../helpers/two-processes.js';
import { waitFor } from '../helpers/wait.js';
import { NodePeer } from '../webrtc/node-peer.js';

const refused = (code: string) => (e: unknown) => e instanceof CallsightRealtimeError && e.code === code;

for (const backend of BACKENDS) {
  describe(`outbound calls are a permission (${backend.name})`, () => {
    let s: TestServer;
    let admin: string;
    let agentCookie: string;
    let customerId: string;
    let customer: EventStream;
    let agent: EventStream;
    const agentPushed: any[] = [];
    const refusals: AnyEvent[] = [];
    const peers: NodePeer[] = [];
    let hook: Server;
    let hookUrl = '';
    const policy = async (change: Record<string, unknown>) => {
      const res = await s.api('PUT', '/api/outbound-policy', { cookie: admin, body: { ...DEFAULT_OUTBOUND_POLICY, ...change } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };
    const refusal = async (code: string, via: string) => {
      await waitFor(() => refusals.some((e) => (e.data as any).code === code && (e.data as any).via === via), 10_000, `call.dial.refused ${code} via ${via}`);
      return refusals.find((e) => (e.data as any).code === code && (e.data as any).via === via)!;
    };

    before(async () => {
      hook = createServer((req, res) => {
        req.resume();
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ verbs: [{ verb: 'dial', target: '+447700900123', timeoutSeconds: 5 }, { verb: 'hangup' }] }));
      });
      await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
      hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/verbs`;
      s = await startTestServer({ backend });
      await s.ctx.bus.subscribe({ types: ['call.dial.refused'] }, (e) => void refusals.push(e));
      admin = await s.login('admin@acme.test');
      agentCookie = await s.login('agent@acme.test');
      customerId = (await s.api('GET', '/api/users?role=customer', { cookie: admin })).body.items[0].id;
      ({ customer, agent } = await customerAndAgent(s, agentPushed));
    });
    beforeEach(async () => {
      refusals.length = 0;
      await policy({});
    });
    after(async () => {
      for (const p of peers) await p.close();
      customer?.close();
      agent?.close();
      await s?.destroy();
      hook?.close();
    });

    test('a customer’s WebSocket dial to an outside number or SIP URI is refused (403 code + event); calling the tenant’s agent rings', async () => {
      await assert.rejects(customer.request('call.dial', { to: '+447700900123', sessionId: 'x-1' }), refused('dial_external_not_permitted'));
      await assert.rejects(customer.request('call.dial', { to: 'sip:premium@198.51.100.7', sessionId: 'x-2' }), refused('dial_external_not_permitted'));
      const e = await refusal('dial_external_not_permitted', 'ws');
      assert.deepEqual((e.data as any).actor, { kind: 'user', userId: customerId, role: 'customer' });
      assert.deepEqual(e.userIds, [customerId], 'the customer sees their own refusal');
      assert.equal((await s.api('GET', '/api/calls', { cookie: admin })).body.items.length, 0, 'no call was created');

      const caller = new NodePeer('opus');
      peers.push(caller);
      const dialing: any = await customer.request('call.dial', { to: 'agent', sessionId: 'ok-1', sdp: await caller.offer() });
      assert.match(dialing.callId, /^call_/);
      await waitFor(() => agentPushed.some((m) => m.kind === 'call.incoming' && m.callId), 10_000, 'the agent app rings');
      await customer.request('call.hangup', { callId: dialing.callId });
    });

    test('a per-user grant lets one customer out; per-user rate limits refuse the next dial', async () => {
      const email = `rate-${backend.name.replace('+', '-')}@acme.test`;
      const created = await s.api('POST', '/api/users', { cookie: admin, body: { email, name: 'Rita Rate', role: 'customer', password: 'rate-limit-1' } });
      assert.equal(created.status, 201);
      const client = new CallsightClient({ baseUrl: s.url, WebSocket });
      await client.login(email, 'rate-limit-1');
      const other = client.realtime();
      try {
        await assert.rejects(other.request('call.dial', { to: '+15557770100', sessionId: 'none-0' }), refused('dial_external_not_permitted'));
        await policy({ users: { [created.body.id]: 'external' }, limits: { callsPerMinute: 2, concurrentCalls: 3 } });
        // Admitted (then it fails for want of a media session, which still counts as a dial).
        await assert.rejects(other.request('call.dial', { to: '+15557770100', sessionId: 'none-1' }), refused('rtc_session_unknown'));
        await assert.rejects(other.request('call.dial', { to: '+15557770100', sessionId: 'none-2' }), refused('rtc_session_unknown'));
        await assert.rejects(other.request('call.dial', { to: '+15557770100', sessionId: 'none-3' }), refused('dial_rate_limited'));
        await refusal('dial_rate_limited', 'ws');
        // The grant is that user's: the demo customer is still held to the tenant.
        await assert.rejects(customer.request('call.dial', { to: '+15557770100', sessionId: 'none-4' }), refused('dial_external_not_permitted'));
      } finally {
        other.close();
      }
      // Policy edits are admin-only and checked.
      assert.equal((await s.api('PUT', '/api/outbound-policy', { cookie: agentCookie, body: DEFAULT_OUTBOUND_POLICY })).status, 403);
      const bad = await s.api('PUT', '/api/outbound-policy', { cookie: admin, body: { ...DEFAULT_OUTBOUND_POLICY, users: { usr_00000000000000000000000000: 'external' } } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'unknown_user');
    });

    test('REST originate and transfer follow the same policy', async () => {
      const premium = await s.api('POST', '/api/calls', { cookie: agentCookie, body: { to: '+19005550100' } });
      assert.equal(premium.status, 403);
      assert.equal(premium.body.code, 'dial_premium_blocked');
      // Nor dressed up as a SIP URI or behind a service code.
      assert.equal((await s.api('POST', '/api/calls', { cookie: agentCookie, body: { to: 'sip:+1-900-555-0100@carrier.example' } })).body.code, 'dial_premium_blocked');
      assert.equal((await s.api('POST', '/api/calls', { cookie: agentCookie, body: { to: '*6719005550100' } })).body.code, 'dial_service_code_blocked');
      assert.match(premium.headers.get('content-type') ?? '', /application\/problem\+json/);
      await refusal('dial_premium_blocked', 'rest');

      await policy({ roles: { ...DEFAULT_OUTBOUND_POLICY.roles, agent: 'internal' } });
      const out = await s.api('POST', '/api/calls', { cookie: agentCookie, body: { to: 'sip:anyone@127.0.0.1:9' } });
      assert.equal(out.status, 403);
      assert.equal(out.body.code, 'dial_external_not_permitted');

      await policy({});
      const uas = startSippUas({ timeoutSec: 20 });
      try {
        const call = await s.api('POST', '/api/calls', { cookie: agentCookie, body: { to: `sip:uas@127.0.0.1:${uas.port}` } });
        assert.equal(call.status, 201, JSON.stringify(call.body));
        await waitFor(async () => (await s.api('GET', `/api/calls/${call.body.id}`, { cookie: admin })).body.state === 'answered', 10_000, 'sipp answers');
        const transfer = await s.api('POST', `/api/calls/${call.body.id}/transfer`, { cookie: agentCookie, body: { to: '+1 900 555 0199' } });
        assert.equal(transfer.status, 403);
        assert.equal(transfer.body.code, 'dial_premium_blocked');
        await refusal('dial_premium_blocked', 'transfer');
        await s.api('POST', `/api/calls/${call.body.id}/hangup`, { cookie: agentCookie, body: {} });
      } finally {
        uas.kill();
      }
    });

    test('per-user concurrency: a live call counts until it ends', async () => {
      await policy({ limits: { callsPerMinute: 0, concurrentCalls: 1 } });
      // Nobody answers on port 9: the call stays ringing (live) until hung up.
      const first = await s.api('POST', '/api/calls', { cookie: agentCookie, body: { to: 'sip:nobody@127.0.0.1:9', timeoutSeconds: 30 } });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const second = await s.api('POST', '/api/calls', { cookie: agentCookie, body: { to: 'sip:nobody@127.0.0.1:9', timeoutSeconds: 30 } });
      assert.equal(second.status, 403);
      assert.equal(second.body.code, 'dial_concurrency_limited');
      // Another person is not held to this one's calls.
      assert.equal((await s.api('POST', '/api/calls', { cookie: admin, body: { to: 'sip:nobody@127.0.0.1:9', timeoutSeconds: 1 } })).status, 201);
      await s.api('POST', `/api/calls/${first.body.id}/hangup`, { cookie: agentCookie, body: {} });
      await waitFor(async () => (await s.api('GET', `/api/calls/${first.body.id}`, { cookie: admin })).body.state === 'ended', 5000, 'the first call ended');
      const third = await s.api('POST', '/api/calls', { cookie: agentCookie, body: { to: 'sip:nobody@127.0.0.1:9', timeoutSeconds: 1 } });
      assert.equal(third.status, 201, JSON.stringify(third.body));
    });

    test('a booked callback to a premium-rate number is refused like any dial', async () => {
      const tenantId = (await s.ctx.tenants.bySlug('acme'))!.id;
      const failed: string[] = [];
      const sub = await s.ctx.bus.subscribe({ types: ['callback.failed'] }, (e) => void failed.push((e.data as { reason: string }).reason));
      try {
        const interaction = await s.ctx.interactions.create({ tenantId, channel: 'voice', customerId: null, subject: 'Callback test' });
        await s.ctx.services.get('deflection').callbacks.book({
          tenantId,
          interactionId: interaction.id,
          deflectionId: null,
          caller: '+19005550142',
          fromNumber: null,
          queue: 'support',
          slotAt: Date.now(),
          context: {},
        });
        const e = await refusal('dial_premium_blocked', 'callback');
        assert.deepEqual((e.data as any).actor, { kind: 'callback' });
        await waitFor(() => failed.length === 1, 5000, 'callback.failed');
      } finally {
        await sub.unsubscribe();
      }
    });

    test('flows: a dial verb of an inbound call’s flow, and one returned by a webhook, are refused by the tenant’s destination rules', async () => {
      await policy({ blockInternational: true });
      const flow = await s.api('POST', '/api/flows', { cookie: admin, body: { name: `premium-${backend.name.replace("+", "-")}`, verbs: [{ verb: 'dial', target: '+19005550123', timeoutSeconds: 5 }, { verb: 'webhook', url: hookUrl }] } });
      assert.equal(flow.status, 201, JSON.stringify(flow.body));
      const number = `7${Math.floor(Math.random() * 1e6)}`;
      assert.equal((await s.api('POST', '/api/numbers', { cookie: admin, body: { number, flowId: flow.body.id } })).status, 201);
      const port = s.ctx.services.get('telephony').endpoint.ports.udp;
      const r = await runSipp({ scenario: callScenario({ pauseMs: 0, waitMs: 8000 }), port, service: number, timeoutSec: 20 });
      assert.equal(r.code, 0, r.stderr);
      const premium = await refusal('dial_premium_blocked', 'flow');
      assert.deepEqual((premium.data as any).actor, { kind: 'flow' });
      const international = await refusal('dial_international_blocked', 'flow');
      assert.equal((international.data as any).to, '+447700900123');
    });
  });
}

describe('per-user limits hold across processes (two servers on postgres+nats)', () => {
  const servers = twoProcesses(BACKENDS.find((b) => b.name === 'postgres+nats')!, {});

  test('a user’s calls through either process count against one rate limit', async () => {
    const { a, b } = servers;
    const admin = await a.login('admin@acme.test');
    const policy = (await a.api('GET', '/api/outbound-policy', { cookie: admin })).body;
    assert.equal((await a.api('PUT', '/api/outbound-policy', { cookie: admin, body: { ...policy, limits: { callsPerMinute: 2, concurrentCalls: 0 } } })).status, 200);
    const agent = await a.login('agent@acme.test');
    const dial = (s: TestServer) => s.api('POST', '/api/calls', { cookie: agent, body: { to: 'sip:nobody@127.0.0.1:9', timeoutSeconds: 1 } });
    assert.equal((await dial(a)).status, 201);
    assert.equal((await dial(b)).status, 201);
    const third = await dial(a);
    assert.equal(third.status, 403);
    assert.equal(third.body.code, 'dial_rate_limited');
    assert.equal((await dial(b)).body.code, 'dial_rate_limited');
  });
});
