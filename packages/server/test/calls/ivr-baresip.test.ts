import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { BACKENDS } from '../helpers/backends.js';
import { heardFiles, startBaresip, toneShare, type Baresip } from '../helpers/baresip.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Issue #4's "done when", with real softphones only: a registered baresip calls the
 * demo IVR on 100, hears the greeting, presses 3 itself (RFC 4733 from baresip's
 * ctrl_tcp `sndcode`) and is transferred to the agent's registered baresip, and
 * audio flows both ways. Then DTMF the other way: digits sent with the API reach a
 * baresip, which reports each one it received.
 */
for (const backend of BACKENDS) {
  describe(`IVR with baresip phones (${backend.name})`, () => {
    let s: TestServer;
    let port: number;
    let key: string;
    const events: AnyEvent[] = [];
    const phones: Baresip[] = [];

    before(async () => {
      s = await startTestServer({ backend });
      port = s.ctx.services.get('telephony').endpoint.ports.udp;
      const cookie = await s.login('admin@acme.test');
      key = (await s.api('POST', '/api/api-keys', { cookie, body: { name: 'ivr' } })).body.key;
      await s.ctx.bus.subscribe({ types: ['call.'] }, (e) => void events.push(e));
    });
    after(async () => {
      for (const p of phones) p.kill();
      await Promise.all(phones.map((p) => p.done));
      await s.destroy();
    });

    const phone = (user: string, opts: { toneHz: number; control?: boolean; seconds?: number }) => {
      const p = startBaresip({ account: `<sip:${user}@127.0.0.1:${port}>;auth_pass=demo;answermode=auto;regint=60`, seconds: opts.seconds ?? 40, toneHz: opts.toneHz, control: opts.control });
      phones.push(p);
      return p;
    };
    const registered = async (user: string) =>
      ((await s.api('GET', '/api/sip/accounts', { key })).body.items.find((a: { username: string }) => a.username === user).registered as string[]).length > 0;
    const ofCall = (callId: string, type: string) => events.filter((e) => e.type === type && (e.data as { callId?: string }).callId === callId);
    const stopped = async (p: Baresip) => {
      p.kill();
      await p.done;
    };

    test('baresip calls 100, hears the greeting, presses 3 and is transferred to the agent phone', async () => {
      const agent = phone('agent', { toneHz: 600 });
      const caller = phone('customer', { toneHz: 1000, control: true });
      await waitFor(async () => (await registered('agent')) && (await registered('customer')), 10_000, 'both phones registered');

      const dialled = await caller.control!.command('dial', `sip:100@127.0.0.1:${port}`);
      assert.ok(dialled.ok, `baresip accepted /dial: ${dialled.data}`);
      await waitFor(() => events.some((e) => e.type === 'call.answered' && ofCall((e.data as { callId: string }).callId, 'call.created').some((c) => (c.data as { to: string }).to === '100')), 10_000, 'the IVR answered');
      const ivrCall = events.find((e) => e.type === 'call.created' && (e.data as { to: string }).to === '100')!.data as { callId: string; from: string };
      assert.match(ivrCall.from, /customer/);

      // Let the greeting play for a while, then press 3 on the phone (RFC 4733 from baresip).
      await new Promise((r) => setTimeout(r, 3000));
      const pressed = await caller.control!.command('sndcode', '3');
      assert.ok(pressed.ok, `baresip sent the digit: ${pressed.data}`);
      await waitFor(() => ofCall(ivrCall.callId, 'call.dtmf').length > 0, 5000, 'call.dtmf');
      assert.deepEqual(ofCall(ivrCall.callId, 'call.dtmf').map((e) => (e.data as { digit: string }).digit), ['3']);

      await waitFor(() => ofCall(ivrCall.callId, 'call.transferred').length === 1, 20_000, 'call.transferred to the agent');
      assert.equal((ofCall(ivrCall.callId, 'call.transferred')[0].data as { to: string }).to, 'agent');
      const bridged = ofCall(ivrCall.callId, 'call.bridged')[0].data as { otherCallId: string };
      assert.ok(ofCall(bridged.otherCallId, 'call.answered').length === 1, 'the agent phone answered the dialled leg');

      // Both talk for a while, then the caller hangs up and the agent's leg follows.
      await new Promise((r) => setTimeout(r, 3000));
      assert.ok((await caller.control!.command('hangup')).ok);
      await waitFor(() => ofCall(ivrCall.callId, 'call.ended').length === 1 && ofCall(bridged.otherCallId, 'call.ended').length === 1, 10_000, 'both calls ended');
      await Promise.all([stopped(caller), stopped(agent)]);

      // The caller heard the spoken greeting before pressing the key, then the agent's 600 Hz tone.
      const [callerHeard] = heardFiles(caller.recordings);
      const greeting = await toneShare(callerHeard, 600, { toSec: 2.5 });
      assert.ok(greeting.rms > 0.02 && greeting.share < 0.3, `the caller heard speech first (rms ${greeting.rms}, 600 Hz share ${greeting.share})`);
      const fromAgent = await toneShare(callerHeard, 600, { fromSec: -2 });
      assert.ok(fromAgent.share > 0.6, `then the agent's tone (share ${fromAgent.share})`);
      // The agent heard the caller's 1 kHz tone.
      const [agentHeard] = heardFiles(agent.recordings);
      const fromCaller = await toneShare(agentHeard, 1000, { fromSec: 0.5 });
      assert.ok(fromCaller.rms > 0.05 && fromCaller.share > 0.6, `the agent heard the caller (rms ${fromCaller.rms}, share ${fromCaller.share})`);
    });

    test('digits sent with the API reach baresip as RFC 4733 events', async () => {
      const agent = phone('agent', { toneHz: 600, control: true });
      await waitFor(() => registered('agent'), 10_000, 'registration');
      const created = await s.api('POST', '/api/calls', { key, body: { to: 'agent', verbs: [{ verb: 'pause', seconds: 30 }] } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id as string;
      await waitFor(() => ofCall(id, 'call.answered').length === 1, 10_000, 'baresip answered');
      const sent = await s.api('POST', `/api/calls/${id}/dtmf`, { key, body: { digits: '19#*' } });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const received = () => agent.control!.events.filter((e) => e.type === 'CALL_DTMF_START').map((e) => e.param);
      await waitFor(() => received().length >= 4, 10_000, `baresip reporting 4 digits (has ${received().join(',')})`);
      assert.deepEqual(received(), ['1', '9', '#', '*']);
      // Bad digits are refused and nothing is sent.
      const bad = await s.api('POST', `/api/calls/${id}/dtmf`, { key, body: { digits: '12x' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].path, 'body.digits');
      await s.api('POST', `/api/calls/${id}/hangup`, { key, body: {} });
      await waitFor(() => ofCall(id, 'call.ended').length === 1, 10_000, 'hangup');
      assert.equal(received().length, 4);
      await stopped(agent);
    });
  });
}
