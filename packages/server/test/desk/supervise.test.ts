import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { decodeWav } from '../../src/media/wav.js';
import { heardFiles, pcmToneShare, startBaresip, toneShare, type Baresip } from '../helpers/baresip.js';
import { concatPcm } from '../helpers/pcm.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const CUSTOMER = 600;
const AGENT = 1000;
const SUPERVISOR = 1400;
/** Audio measured per mode and phone: 1.5 s. */
const PHASE_FRAMES = 75;

/**
 * Monitor, whisper and barge with three real softphones, each sending its own tone:
 * a customer queued to support, the agent who accepted it, and the supervisor whose
 * desk phone rings when they choose a mode. Who hears whom is measured mode by mode
 * in what the server sends each phone, and checked in the phones' own recordings.
 */
describe('supervisors on agents’ calls', () => {
  let s: TestServer;
  let port: number;
  let agent: string;
  let supervisor: string;
  const events: AnyEvent[] = [];
  const phones: Baresip[] = [];

  before(async () => {
    s = await startTestServer();
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    const admin = await s.login('admin@acme.test');
    agent = await s.login('agent@acme.test');
    supervisor = await s.login('supervisor@acme.test');
    await s.ctx.bus.subscribe({ types: ['call.', 'routing.', 'desk.'] }, (e) => void events.push(e));
    const sup = (await s.ctx.users.byEmailWithHash('supervisor@acme.test'))!;
    assert.equal((await s.api('POST', '/api/sip/accounts', { cookie: admin, body: { username: 'sup', password: 'supervise-me', userId: sup.id } })).status, 201);
    const flow = (await s.api('POST', '/api/flows', { cookie: admin, body: { name: 'support-line', verbs: [{ verb: 'enqueue', queue: 'support' }] } })).body;
    assert.equal((await s.api('POST', '/api/numbers', { cookie: admin, body: { number: 'support-line', flowId: flow.id } })).status, 201);
  });
  after(async () => {
    for (const p of phones) p.kill();
    await s?.destroy();
  });

  test('monitor: the supervisor hears both, nobody hears them; whisper: only the agent does; barge: both do', async () => {
    assert.equal((await s.api('PUT', '/api/routing/me/presence', { cookie: agent, body: { presence: 'available' } })).status, 200);
    const agentPhone = startBaresip({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;answermode=auto;regint=60`, seconds: 40, toneHz: AGENT });
    const supPhone = startBaresip({ account: `<sip:sup@127.0.0.1:${port}>;auth_pass=supervise-me;answermode=auto;regint=60`, seconds: 40, toneHz: SUPERVISOR });
    phones.push(agentPhone, supPhone);
    const reg = s.ctx.services.get('telephony').registrations;
    await waitFor(async () => (await reg.contacts('agent')).length > 0 && (await reg.contacts('sup')).length > 0, 8000, 'agent and supervisor phones registered');
    const accept = await s.ctx.bus.subscribe({ types: ['routing.offered'] }, async (e) => {
      await s.api('POST', `/api/routing/items/${(e.data as { itemId: string }).itemId}/accept`, { cookie: agent });
    });
    const customerPhone = startBaresip({ account: '<sip:casey@127.0.0.1>;regint=0', commands: [`/dial sip:support-line@127.0.0.1:${port}`], seconds: 40, toneHz: CUSTOMER });
    phones.push(customerPhone);

    await waitFor(() => events.some((e) => e.type === 'call.bridged'), 15_000, 'the customer bridged to the agent');
    await accept.unsubscribe();
    const assigned = events.find((e) => e.type === 'routing.assigned')!.data as { itemId: string };
    const item = await s.ctx.services.get('routing').repo.item(assigned.itemId);
    const callId = String(item!.context.callId);
    const agentCallId = (events.find((e) => e.type === 'call.bridged' && (e.data as { callId: string }).callId === callId)!.data as { otherCallId: string }).otherCallId;

    // Agents read their colleagues (to transfer to them); they may not listen in, and a call that is not live cannot be supervised.
    assert.equal((await s.api('GET', '/api/routing/agents', { cookie: agent })).status, 200);
    // Agents may not listen in; a call that is not live cannot be supervised.
    const refused = await s.api('POST', `/api/desk/calls/${callId}/supervise`, { cookie: agent, body: { mode: 'whisper' } });
    assert.equal(refused.status, 403);
    const unknown = await s.api('POST', '/api/desk/calls/call_00000000000000000000000000/supervise', { cookie: supervisor, body: { mode: 'monitor' } });
    assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
    assert.equal((await s.api('POST', `/api/desk/calls/${callId}/supervise`, { cookie: supervisor, body: { mode: 'listen' } })).status, 400);

    const board = await s.api('GET', '/api/desk/wallboard', { cookie: supervisor });
    assert.equal(board.status, 200, JSON.stringify(board.body));
    const alex = board.body.agents.find((a: { name: string }) => a.name === 'Alex Agent');
    assert.equal(alex.work[0]?.callId, callId, 'the wallboard shows the agent on the call');

    // What the server sends each phone, mode by mode (a mode's first 0.4 s left out: the switch and jitter buffers).
    type Who = 'customer' | 'agent' | 'supervisor';
    type Mode = 'monitor' | 'whisper' | 'barge';
    let phase: { mode: Mode; at: number } | null = null;
    const sent: Record<Who, Record<Mode, Int16Array[]>> = { customer: { monitor: [], whisper: [], barge: [] }, agent: { monitor: [], whisper: [], barge: [] }, supervisor: { monitor: [], whisper: [], barge: [] } };
    const tap = (who: Who, id: string) =>
      s.ctx.services.get('telephony').manager.require(item!.tenantId, id).leg.audio!.on('sent', (frame) => {
        if (phase && Date.now() - phase.at > 400) sent[who][phase.mode].push(frame.slice());
      });
    tap('customer', callId);
    tap('agent', agentCallId);

    const monitor = await s.api('POST', `/api/desk/calls/${callId}/supervise`, { cookie: supervisor, body: { mode: 'monitor' } });
    assert.equal(monitor.status, 200, JSON.stringify(monitor.body));
    const supCallId: string = monitor.body.supervisorCallId;
    await waitFor(() => events.some((e) => e.type === 'desk.supervising'), 10_000, 'the supervisor on the call');
    tap('supervisor', supCallId);
    // Each mode stays on while enough audio of it went out (condition, not a fixed sleep: the machine may be slow).
    const enough = (mode: Mode) => waitFor(() => (['customer', 'agent', 'supervisor'] as Who[]).every((w) => sent[w][mode].length >= PHASE_FRAMES), 15_000, `${mode} audio`);
    phase = { mode: 'monitor', at: Date.now() };
    await enough('monitor');
    for (const mode of ['whisper', 'barge'] as const) {
      // Nothing is counted while the mode changes: frames sent before the answer may be of either mode.
      phase = null;
      const r = await s.api('POST', `/api/desk/calls/${callId}/supervise`, { cookie: supervisor, body: { mode } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.supervisorCallId, supCallId, 'the same call changes mode');
      phase = { mode, at: Date.now() };
      await enough(mode);
    }
    phase = null;
    const boardOn = await s.api('GET', '/api/desk/wallboard', { cookie: supervisor });
    assert.equal(boardOn.body.agents.find((a: { name: string }) => a.name === 'Alex Agent').work[0].supervision.mode, 'barge');
    assert.equal((await s.api('DELETE', `/api/desk/calls/${callId}/supervise`, { cookie: agent })).status, 403);
    assert.equal((await s.api('DELETE', `/api/desk/calls/${callId}/supervise`, { cookie: supervisor })).status, 204);
    await waitFor(() => events.some((e) => e.type === 'desk.supervision_ended'), 5000, 'the supervisor left');
    await s.ctx.services.get('telephony').manager.get(item!.tenantId, callId)?.hangup();
    await waitFor(() => [callId, agentCallId, supCallId].every((id) => events.some((e) => e.type === 'call.ended' && (e.data as { callId: string }).callId === id)), 8000, 'all three calls ended');

    const expect: [Who, Mode, number, boolean][] = [
      ['supervisor', 'monitor', CUSTOMER, true],
      ['supervisor', 'monitor', AGENT, true],
      ['customer', 'monitor', AGENT, true],
      ['customer', 'monitor', SUPERVISOR, false],
      ['agent', 'monitor', SUPERVISOR, false],
      ['agent', 'whisper', SUPERVISOR, true],
      ['agent', 'whisper', CUSTOMER, true],
      ['customer', 'whisper', SUPERVISOR, false],
      ['customer', 'whisper', AGENT, true],
      ['supervisor', 'whisper', AGENT, true],
      ['customer', 'barge', SUPERVISOR, true],
      ['customer', 'barge', AGENT, true],
      ['agent', 'barge', SUPERVISOR, true],
      ['supervisor', 'barge', CUSTOMER, true],
    ];
    const measured = expect.map(([who, mode, hz]) => pcmToneShare(concatPcm(sent[who][mode]), hz).share);
    const report = expect.map(([who, mode, hz], i) => `${who} ${mode} ${hz}Hz ${measured[i].toFixed(2)}`).join('; ');
    expect.forEach(([, , , hears], i) => {
      if (hears) assert.ok(measured[i] > 0.15, `should hear: ${report}`);
      else assert.ok(measured[i] < 0.05, `should not hear: ${report}`);
    });

    // And it reached the phones: each recording of what it heard holds the others' tones (the customer's the supervisor's only once barged in).
    const heard = async (phone: Baresip) => {
      let file = '';
      await waitFor(async () => {
        [file] = heardFiles(phone.recordings);
        if (!file) return false;
        try {
          return decodeWav(await readFile(file)).samples.length > 8000;
        } catch {
          return false;
        }
      }, 8000, 'a recording of the call');
      return file;
    };
    const [customerFile, agentFile, supFile] = [await heard(customerPhone), await heard(agentPhone), await heard(supPhone)];
    for (const [file, hz, what] of [
      [supFile, CUSTOMER, 'the supervisor heard the customer'],
      [supFile, AGENT, 'the supervisor heard the agent'],
      [agentFile, SUPERVISOR, 'the agent heard the supervisor'],
      [customerFile, SUPERVISOR, 'the customer heard the supervisor barge in'],
    ] as const) assert.ok((await toneShare(file, hz)).share > 0.03, what);
  });
});
