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
/** Audio measured per phase and phone: 1.5 s. */
const PHASE_FRAMES = 75;

type Who = 'customer' | 'agent' | 'colleague';
type Phase = 'consult' | 'cancelled' | 'conference' | 'transferred';

/**
 * A warm transfer with three real softphones, each sending its own tone: a customer
 * queued to support, the agent who accepted it, and a colleague whose desk phone
 * answers by itself. Who hears whom is measured phase by phase in what the server sends
 * each phone: while the agent consults, the customer hears hold music and nothing of
 * the two; back with the agent, in a conference of three, and handed over to the colleague.
 */
describe('consult transfer and conference with three phones', () => {
  let s: TestServer;
  let port: number;
  let agent: string;
  let colleagueId: string;
  const events: AnyEvent[] = [];
  const phones: Baresip[] = [];

  before(async () => {
    s = await startTestServer();
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    const admin = await s.login('admin@acme.test');
    agent = await s.login('agent@acme.test');
    await s.ctx.bus.subscribe({ types: ['call.', 'routing.', 'desk.'] }, (e) => void events.push(e));
    const bo = await s.api('POST', '/api/users', { cookie: admin, body: { email: 'bo@acme.test', name: 'Bo Backup', role: 'agent', password: 'bo-password' } });
    assert.equal(bo.status, 201, JSON.stringify(bo.body));
    colleagueId = bo.body.id;
    assert.equal((await s.api('POST', '/api/sip/accounts', { cookie: admin, body: { username: 'bo', password: 'consult-me', userId: colleagueId } })).status, 201);
    const flow = (await s.api('POST', '/api/flows', { cookie: admin, body: { name: 'support-line', verbs: [{ verb: 'enqueue', queue: 'support' }] } })).body;
    assert.equal((await s.api('POST', '/api/numbers', { cookie: admin, body: { number: 'support-line', flowId: flow.id } })).status, 201);
  });
  after(async () => {
    for (const p of phones) p.kill();
    await s?.destroy();
  });

  const ofType = <T>(type: string) => events.filter((e) => e.type === type).map((e) => e.data as T);

  test('the customer hears hold music during the consult, then the agent again, all three, then the colleague', async (t) => {
    assert.equal((await s.api('PUT', '/api/routing/me/presence', { cookie: agent, body: { presence: 'available' } })).status, 200);
    const tel = s.ctx.services.get('telephony');
    const agentPhone = startBaresip({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;answermode=auto;regint=60`, seconds: 50, toneHz: AGENT });
    const colleaguePhone = startBaresip({ account: `<sip:bo@127.0.0.1:${port}>;auth_pass=consult-me;answermode=auto;regint=60`, seconds: 50, toneHz: COLLEAGUE });
    phones.push(agentPhone, colleaguePhone);
    await waitFor(async () => (await tel.registrations.contacts('agent')).length > 0 && (await tel.registrations.contacts('bo')).length > 0, 8000, 'agent and colleague phones registered');
    const accept = await s.ctx.bus.subscribe({ types: ['routing.offered'] }, async (e) => {
      await s.api('POST', `/api/routing/items/${(e.data as { itemId: string }).itemId}/accept`, { cookie: agent });
    });
    phones.push(startBaresip({ account: '<sip:casey@127.0.0.1>;regint=0', commands: [`/dial sip:support-line@127.0.0.1:${port}`], seconds: 50, toneHz: CUSTOMER }));

    await waitFor(() => ofType('call.bridged').length > 0, 15_000, 'the customer bridged to the agent');
    await accept.unsubscribe();
    const assigned = ofType<{ itemId: string }>('routing.assigned')[0];
    const item = (await s.ctx.services.get('routing').repo.item(assigned.itemId))!;
    const callId = String(item.context.callId);
    const agentCallId = ofType<{ callId: string; otherCallId: string }>('call.bridged').find((e) => e.callId === callId)!.otherCallId;
    const call = (id: string) => tel.manager.require(item.tenantId, id);

    // Refusals: nobody else's call, not oneself, nothing to complete yet.
    const other = await s.login('bo@acme.test', 'bo-password');
    assert.equal((await s.api('POST', `/api/desk/calls/${callId}/consult`, { cookie: other, body: { to: `user:${colleagueId}` } })).status, 403);
    const me = (await s.ctx.users.byEmailWithHash('agent@acme.test'))!;
    const self = await s.api('POST', `/api/desk/calls/${callId}/consult`, { cookie: agent, body: { to: `user:${me.id}` } });
    assert.equal(self.status, 400, JSON.stringify(self.body));
    assert.equal((await s.api('POST', `/api/desk/calls/${callId}/consult/complete`, { cookie: agent })).status, 409);

    // What the server sends each phone, phase by phase (a phase's first 0.4 s left out: the switch and jitter buffers).
    let phase: { name: Phase; at: number } | null = null;
    const sent = Object.fromEntries((['customer', 'agent', 'colleague'] as Who[]).map((w) => [w, { consult: [], cancelled: [], conference: [], transferred: [] }])) as unknown as Record<Who, Record<Phase, Int16Array[]>>;
    const tap = (who: Who, id: string) =>
      call(id).leg.audio!.on('sent', (frame) => {
        if (phase && Date.now() - phase.at > 400) sent[who][phase.name].push(frame.slice());
      });
    tap('customer', callId);
    tap('agent', agentCallId);
    const measure = async (name: Phase, who: Who[]) => {
      phase = { name, at: Date.now() };
      await waitFor(() => who.every((w) => sent[w][name].length >= PHASE_FRAMES), 15_000, `${name} audio`);
      phase = null;
    };

    /** Consults the colleague and waits until their phone's audio reaches the server (their tone is what is measured). */
    // The colleague's RTP sessions, kept past their calls' end for the report below.
    const sessions = new Map<string, RtpSession>();
    const rtpOf = (id: string) => sessions.get(id) ?? sessions.set(id, call(id).leg.audio as RtpSession).get(id)!;
    const consult = async () => {
      const started = await s.api('POST', `/api/desk/calls/${callId}/consult`, { cookie: agent, body: { to: `user:${colleagueId}` } });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const id: string = started.body.consultCallId;
      await waitFor(() => ofType<{ consultCallId: string }>('desk.consult_connected').some((e) => e.consultCallId === id), 15_000, 'the colleague answered');
      // Measured once the phone's audio is there (its RTP latched), not from the answer on.
      await waitFor(() => rtpOf(id).stats.packetsReceived > 0, 5000, 'the colleague phone’s audio arriving');
      tap('colleague', id);
      return id;
    };

    await consult();
    await measure('consult', ['customer', 'agent', 'colleague']);
    assert.equal((await s.api('DELETE', `/api/desk/calls/${callId}/consult`, { cookie: agent })).status, 204);
    await waitFor(() => ofType<{ outcome: string }>('desk.consult_ended').some((e) => e.outcome === 'cancelled'), 8000, 'consult cancelled');
    await measure('cancelled', ['customer', 'agent']);

    const consultCallId = await consult();
    const conf = await s.api('POST', `/api/desk/calls/${callId}/consult/conference`, { cookie: agent });
    assert.equal(conf.status, 200, JSON.stringify(conf.body));
    assert.equal(conf.body.state, 'conference');
    await measure('conference', ['customer', 'agent', 'colleague']);
    assert.equal((await s.api('POST', `/api/desk/calls/${callId}/consult/complete`, { cookie: agent })).status, 204);
    await waitFor(() => ofType<{ callId: string }>('call.ended').some((e) => e.callId === agentCallId), 8000, 'the agent released');
    await measure('transferred', ['customer', 'colleague']);
    await call(callId).hangup();
    await waitFor(() => ofType<{ callId: string }>('call.ended').some((e) => e.callId === consultCallId), 8000, 'the colleague hung up with the customer');

    const expect: [Who, Phase, number, boolean][] = [
      ['agent', 'consult', COLLEAGUE, true],
      ['colleague', 'consult', AGENT, true],
      ['agent', 'consult', CUSTOMER, false],
      ['colleague', 'consult', CUSTOMER, false],
      ['customer', 'consult', AGENT, false],
      ['customer', 'consult', COLLEAGUE, false],
      ['customer', 'cancelled', AGENT, true],
      ['agent', 'cancelled', CUSTOMER, true],
      ['customer', 'conference', AGENT, true],
      ['customer', 'conference', COLLEAGUE, true],
      ['agent', 'conference', CUSTOMER, true],
      ['agent', 'conference', COLLEAGUE, true],
      ['colleague', 'conference', CUSTOMER, true],
      ['colleague', 'conference', AGENT, true],
      ['customer', 'transferred', COLLEAGUE, true],
      ['colleague', 'transferred', CUSTOMER, true],
    ];
    const measured = expect.map(([who, name, hz]) => pcmToneShare(concatPcm(sent[who][name]), hz).share);
    // Where the colleague's audio came from, should it be missing: a stranger latched, nothing received, or late frames.
    const { packetsReceived, foreignSource, jitterBuffer } = rtpOf(consultCallId).stats;
    const media = `colleague RTP: ${packetsReceived} received, ${foreignSource} from elsewhere, jitter buffer ${JSON.stringify(jitterBuffer)}`;
    const report = expect.map(([who, name, hz], i) => `${who} ${name} ${hz}Hz ${measured[i].toFixed(2)}`).join('; ') + `; ${media}`;
    t.diagnostic(report);
    expect.forEach(([, , , hears], i) => {
      if (hears) assert.ok(measured[i] > 0.15, `should hear: ${report}`);
      else assert.ok(measured[i] < 0.05, `should not hear: ${report}`);
    });
    // On hold the customer hears music: sound all along (not the silence of a dropped call), none of it the two talking.
    const held = concatPcm(sent.customer.consult);
    const { rms } = pcmToneShare(held, CUSTOMER);
    assert.ok(rms > 0.02, `hold music heard: rms ${rms.toFixed(3)}; ${report}`);
    const silentFrames = sent.customer.consult.filter((f) => f.every((v) => Math.abs(v) < 100)).length;
    assert.ok(silentFrames <= 2, `${silentFrames} silent frames on hold`);
  });
});
