import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { CallsightClient, CallsightRealtimeError, type EventStream } from '../../../sdk/src/index.js';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { NodePeer } from '../webrtc/node-peer.js';

const refused = (code: string) => (e: unknown) => e instanceof CallsightRealtimeError && e.code === code;

/**
 * The codec of an app's call is chosen when its offer arrives with `call.dial` /
 * `call.answer`, knowing the other end: app user to app user is Opus, relayed untouched
 * between the two werift legs. Offers that cannot do that codec are refused and change nothing.
 */
for (const backend of BACKENDS) {
  describe(`app ↔ app calls pick Opus (werift peers as the two apps, ${backend.name})`, () => {
    let s: TestServer;
    let customer: EventStream;
    let agent: EventStream;
    const agentPushed: any[] = [];
    const events: AnyEvent[] = [];
    const peers: NodePeer[] = [];
    const peer = (codec: 'pcmu' | 'opus') => {
      const p = new NodePeer(codec);
      peers.push(p);
      return p;
    };

    before(async () => {
      s = await startTestServer({ backend });
      await s.ctx.bus.subscribe({ types: ['call.created'] }, (e) => void events.push(e));
      const login = async (email: string) => {
        const client = new CallsightClient({ baseUrl: s.url, WebSocket });
        await client.login(email, 'demo');
        return client.realtime();
      };
      customer = await login('customer@acme.test');
      agent = await login('agent@acme.test');
      agent.on('message', (m) => agentPushed.push(m));
      // The agent's socket must be registered for pushes before anything rings it.
      await agent.request('subscribe', { types: ['call.'] });
    });
    after(async () => {
      for (const p of peers) await p.close();
      customer?.close();
      agent?.close();
      await s?.destroy();
    });

    test('bad offers are refused with stable codes and create no call', async () => {
      await assert.rejects(customer.request('call.dial', { to: 'agent', sessionId: 'bad-1', sdp: 'hello' }), refused('invalid_sdp'));
      // The agent is an app user only, so the call is Opus: a PCMU-only offer has nothing in common.
      await assert.rejects(customer.request('call.dial', { to: 'agent', sessionId: 'bad-2', sdp: await peer('pcmu').offer() }), refused('no_common_codec'));
      assert.equal(events.length, 0, 'no call was created');
      assert.ok(!agentPushed.some((m) => m.kind === 'call.incoming'), 'nothing rang');
    });

    test('customer → agent: both legs Opus, packets relayed byte for byte; a PCMU answer is refused first', async () => {
      const caller = peer('opus');
      const dialing: any = await customer.request('call.dial', { to: 'agent', sessionId: 'dial-1', sdp: await caller.offer() });
      assert.equal(dialing.codec, 'opus');
      assert.match(dialing.sdp, /a=rtpmap:111 opus\/48000\/2/);
      assert.doesNotMatch(dialing.sdp, /PCMU/);
      await caller.accept(dialing.sdp);
      await waitFor(() => agentPushed.some((m) => m.kind === 'call.incoming'), 10_000, 'the agent app rings');
      const { callId } = agentPushed.find((m) => m.kind === 'call.incoming');

      // An app that offered first (rtc.offer, always PCMU) cannot take an Opus call: refused, still ringing.
      const old = peer('pcmu');
      const pcmuSession: any = await agent.request('rtc.offer', { purpose: 'call', sdp: await old.offer() });
      await assert.rejects(agent.request('call.answer', { callId, sessionId: pcmuSession.sessionId }), refused('codec_mismatch'));

      const callee = peer('opus');
      const answered: any = await agent.request('call.answer', { callId, sessionId: 'answer-1', sdp: await callee.offer() });
      assert.equal(answered.codec, 'opus');
      await callee.accept(answered.sdp);
      await Promise.all([caller.connected(), callee.connected()]);

      // Opus payloads are opaque to the server: whatever bytes one app sends, the other gets.
      const marks = new Set<string>();
      callee.onPacket = (payload, pt) => {
        if (pt === 111) marks.add(payload.toString('hex'));
      };
      const sent: string[] = [];
      for (let n = 0; n < 50; n++) {
        const payload = Buffer.from([0xfc, 0xff, 0xfe, n, n ^ 0x5a]);
        sent.push(payload.toString('hex'));
        caller.send(payload, { samples: 960 });
        await new Promise((r) => setTimeout(r, 20));
      }
      await waitFor(() => sent.filter((x) => marks.has(x)).length >= 45, 5000, 'the packets at the agent');
      const created = events.find((e) => (e.data as { to: string }).to === 'agent');
      assert.ok(created, 'one call.created for the dialled call');
      await customer.request('call.hangup', { callId: dialing.callId });
    });
  });
}
