import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import type { RtpSession } from '../../src/media/rtp-session.js';
import { pcmToneShare, startBaresip, type Baresip } from '../helpers/baresip.js';
import { concatPcm } from '../helpers/pcm.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const CUSTOMER = 600;
const AGENT = 1000;
const COLLEAGUE = 1400;
const OUTSIDE = 1800;
/** Audio measured per phase and phone: 1.5 s. */
const PHASE_FRAMES = 75;
const EXTERNAL = '+15557001';

type Who = 'customer' | 'agent' | 'colleague' | 'outside';
type Phase = 'queue-consult' | 'added' | 'requeued' | 'reassigned';

/**
 * Consults and transfers beyond one named colleague, with four real softphones each
 * sending its own tone: the agent consults the billing queue (whose agent, Bo, takes it
 * with one accept) while the customer is on hold; adds an outside number (through the
 * tenant's trunk) so all three talk; transfers the customer blind to the billing queue
 * (released at once, Bo picks up); then a supervisor reassigns the call back to the first
 * agent. Who hears whom is measured phase by phase in what the server sends each phone.
 */
describe('consult a queue, add a number, transfer to a queue, reassign', () => {
  let s: TestServer;
  let port: number;
  let admin: string;
  let agent: string;
  let bo: string;
  let agentId: string;
  let boId: string;
  let billingId: string;
  const events: AnyEvent[] = [];
  const phones: Baresip[] = [];

  before(async () => {
    s = await startTestServer();
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    admin = await s.login('admin@acme.test');
    agent = await s.login('agent@acme.test');
    agentId = (await s.ctx.users.byEmailWithHash('agent@acme.test'))!.id;
    await s.ctx.bus.subscribe({ types: ['call.', 'routing.', 'desk.'] }, (e) => void events.push(e));
    const user = await s.api('POST', '/api/users', { cookie: admin, body: { email: 'bo@acme.test', name: 'Bo Backup', role: 'agent', password: 'bo-password' } });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    boId = user.body.id;
    bo = await s.login('bo@acme.test', 'bo-password');
    assert.equal((await s.api('POST', '/api/sip/accounts', { cookie: admin, body: { username: 'bo', password: 'consult-me', userId: boId } })).status, 201);
    // Billing wants a card specialist: Bo, not the first agent (cards 5).
    const billing = await s.api('POST', '/api/routing/queues', { cookie: admin, body: { name: 'billing', channels: ['voice'], skills: [{ skill: 'cards', minLevel: 6 }], wrapUpSeconds: 0 } });
    assert.equal(billing.status, 201, JSON.stringify(billing.body));
    billingId = billing.body.id;
    assert.equal((await s.api('PUT', `/api/routing/agents/${boId}`, { cookie: admin, body: { skills: { cards: 8 } } })).status, 200);
    const flow = (await s.api('POST', '/api/flows', { cookie: admin, body: { name: 'support-line', verbs: [{ verb: 'enqueue', queue: 'support' }] } })).body;
    assert.equal((await s.api('POST', '/api/numbers', { cookie: admin, body: { number: 'support-line', flowId: flow.id } })).status, 201);
  });
  after(async () => {
    for (const p of phones) p.kill();
    await s?.destroy();
  });

  const ofType = <T>(type: string) => events.filter((e) => e.type === type).map((e) => e.data as T);

  test('who hears whom in each', async (t) => {
    const tel = s.ctx.services.get('telephony');
    for (const cookie of [agent, bo]) assert.equal((await s.api('PUT', '/api/routing/me/presence', { cookie, body: { presence: 'available' } })).status, 200);
    const outside = startBaresip({ account: `<sip:${EXTERNAL}@127.0.0.1>;regint=0;answermode=auto`, seconds: 55, toneHz: OUTSIDE });
    phones.push(
      outside,
      startBaresip({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;answermode=auto;regint=60`, seconds: 55, toneHz: AGENT }),
      startBaresip({ account: `<sip:bo@127.0.0.1:${port}>;auth_pass=consult-me;answermode=auto;regint=60`, seconds: 55, toneHz: COLLEAGUE }),
    );
    // The carrier: numbers that are not the tenant's go to the outside phone.
    assert.equal((await s.api('POST', '/api/sip/trunks', { cookie: admin, body: { name: 'carrier', address: `sip:127.0.0.1:${outside.sipPort}` } })).status, 201);
    await waitFor(async () => (await tel.registrations.contacts('agent')).length > 0 && (await tel.registrations.contacts('bo')).length > 0, 8000, 'agent and colleague phones registered');
    // Both agents accept whatever they are offered, with one click each.
    const accept = await s.ctx.bus.subscribe({ types: ['routing.offered'] }, async (e) => {
      const d = e.data as { itemId: string; agentId: string };
      await s.api('POST', `/api/routing/items/${d.itemId}/accept`, { cookie: d.agentId === boId ? bo : agent });
    });
    phones.push(startBaresip({ account: '<sip:casey@127.0.0.1>;regint=0', commands: [`/dial sip:support-line@127.0.0.1:${port}`], seconds: 55, toneHz: CUSTOMER }));

    await waitFor(() => ofType('call.bridged').length > 0, 15_000, 'the customer bridged to the agent');
    const first = ofType<{ itemId: string }>('routing.assigned')[0];
    const item = (await s.ctx.services.get('routing').repo.item(first.itemId))!;
    const callId = String(item.context.callId);
    const call = (id: string) => tel.manager.require(item.tenantId, id);
    /** The call bridged to the customer now (the agent's, Bo's…), once its audio arrives. */
    const partner = async () => {
      await waitFor(() => Boolean((call(callId).bridgedTo?.leg.audio as RtpSession | undefined)?.stats.packetsReceived), 15_000, 'the customer connected to someone');
      return call(callId).bridgedTo!;
    };

    // Refusals: nothing of another tenant's queue, and only supervisors reassign.
    assert.equal((await s.api('POST', `/api/desk/calls/${callId}/consult`, { cookie: agent, body: { to: 'queue:no-such-queue' } })).status, 400);
    assert.equal((await s.api('POST', `/api/desk/items/${first.itemId}/reassign`, { cookie: agent, body: { agentId: boId } })).status, 403);

    let phase: { name: Phase; at: number } | null = null;
    const sent = {} as Record<Who, Partial<Record<Phase, Int16Array[]>>>;
    const tap = (who: Who, id: string) => {
      sent[who] ??= {};
      call(id).leg.audio!.on('sent', (frame) => {
        if (phase && Date.now() - phase.at > 400) (sent[who][phase.name] ??= []).push(frame.slice());
      });
    };
    const measure = async (name: Phase, who: Who[]) => {
      phase = { name, at: Date.now() };
      await waitFor(() => who.every((w) => (sent[w]?.[name]?.length ?? 0) >= PHASE_FRAMES), 15_000, `${name} audio`);
      phase = null;
    };
    const consultOf = async (body: object) => {
      const r = await s.api('POST', `/api/desk/calls/${callId}/consult`, { cookie: agent, body });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { state: string; queueName: string | null };
    };
    const answered = async (type: string) => {
      await waitFor(() => ofType<{ callId: string }>(type).some((e) => e.callId === callId), 15_000, type);
      const id = (await s.api('GET', `/api/desk/calls/${callId}/consult`, { cookie: agent })).body.consult.consultCallId as string;
      await waitFor(() => ((call(id).leg.audio as RtpSession | undefined)?.stats.packetsReceived ?? 0) > 0, 5000, 'the consulted phone’s audio arriving');
      return id;
    };
    tap('customer', callId);
    tap('agent', (await partner()).id);

    // 1. Consult the billing queue: queued, then Bo's phone rings, then the agent and Bo talk.
    const queued = await consultOf({ to: `queue:${billingId}` });
    assert.equal(queued.state, 'queued');
    assert.equal(queued.queueName, 'billing');
    tap('colleague', await answered('desk.consult_connected'));
    await measure('queue-consult', ['customer', 'agent', 'colleague']);
    assert.equal((await s.api('DELETE', `/api/desk/calls/${callId}/consult`, { cookie: agent })).status, 204);

    // 2. Add an outside number: the customer and agent talk while it rings, then all three.
    const added = await consultOf({ to: EXTERNAL, mode: 'conference' });
    assert.equal(added.state, 'ringing');
    tap('outside', await answered('desk.conference_started'));
    await measure('added', ['customer', 'agent', 'outside']);
    assert.equal((await s.api('DELETE', `/api/desk/calls/${callId}/consult`, { cookie: agent })).status, 204);

    // 3. Blind transfer to billing: the agent is released at once, Bo takes the caller.
    const agentCall = call(callId).bridgedTo!;
    const transfer = await s.api('POST', `/api/desk/calls/${callId}/transfer`, { cookie: agent, body: { to: `queue:${billingId}` } });
    assert.equal(transfer.status, 204, JSON.stringify(transfer.body));
    await waitFor(() => agentCall.state === 'ended', 5000, 'the agent released');
    const boCall = await partner();
    assert.notEqual(boCall.id, agentCall.id);
    const boItem = ofType<{ itemId: string; agentId: string; queueId: string }>('routing.assigned').find((e) => e.agentId === boId && e.queueId === billingId && e.itemId !== first.itemId);
    tap('colleague', boCall.id);
    await measure('requeued', ['customer', 'colleague']);

    // 4. A supervisor gives the call back to the first agent (who wraps up their part first).
    const wrap = (await s.api('GET', '/api/desk/wrap-ups', { cookie: agent })).body.items as { itemId: string }[];
    for (const w of wrap) await s.api('POST', `/api/desk/wrap-ups/${w.itemId}`, { cookie: agent, body: { code: 'escalated' } });
    await accept.unsubscribe();
    assert.equal((await s.api('PUT', '/api/routing/me/presence', { cookie: bo, body: { presence: 'away' } })).status, 200);
    const items = (await s.api('GET', '/api/desk/wallboard', { cookie: admin })).body.agents.find((a: { userId: string }) => a.userId === boId).work as { itemId: string }[];
    const reassignId = items[0]?.itemId ?? boItem?.itemId;
    assert.ok(reassignId, 'Bo’s call on the wallboard');
    const moved = await s.api('POST', `/api/desk/items/${reassignId}/reassign`, { cookie: admin, body: { agentId } });
    assert.equal(moved.status, 204, JSON.stringify(moved.body));
    await waitFor(() => boCall.state === 'ended', 5000, 'Bo released');
    const back = await partner();
    tap('agent', back.id);
    await measure('reassigned', ['customer', 'agent']);

    const expect: [Who, Phase, number, boolean][] = [
      ['agent', 'queue-consult', COLLEAGUE, true],
      ['colleague', 'queue-consult', AGENT, true],
      ['colleague', 'queue-consult', CUSTOMER, false],
      ['customer', 'queue-consult', AGENT, false],
      ['customer', 'queue-consult', COLLEAGUE, false],
      ['customer', 'added', AGENT, true],
      ['customer', 'added', OUTSIDE, true],
      ['agent', 'added', CUSTOMER, true],
      ['agent', 'added', OUTSIDE, true],
      ['outside', 'added', CUSTOMER, true],
      ['outside', 'added', AGENT, true],
      ['customer', 'requeued', COLLEAGUE, true],
      ['colleague', 'requeued', CUSTOMER, true],
      ['customer', 'reassigned', AGENT, true],
      ['agent', 'reassigned', CUSTOMER, true],
    ];
    const measured = expect.map(([who, name, hz]) => pcmToneShare(concatPcm(sent[who][name]!), hz).share);
    const report = expect.map(([who, name, hz], i) => `${who} ${name} ${hz}Hz ${measured[i].toFixed(2)}`).join('; ');
    t.diagnostic(report);
    expect.forEach(([, , , hears], i) => {
      if (hears) assert.ok(measured[i] > 0.15, `should hear: ${report}`);
      else assert.ok(measured[i] < 0.05, `should not hear: ${report}`);
    });
    // What the timeline says: the consult was to a queue, and a supervisor gave the call to the agent.
    assert.ok(ofType<{ agentId: string; by: string }>('routing.assigned').some((e) => e.agentId === agentId && e.by === 'supervisor'));
    await call(callId).hangup();
  });
});
