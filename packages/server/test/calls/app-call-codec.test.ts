import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CallsightRealtimeError, type EventStream } from '../../../sdk/src/index.js';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { customerAndAgent } from '../helpers/app-sockets.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { NodePeer } from '../webrtc/node-peer.js';
import { G711Codec } from '../../src/media/g711-codec.js';
import { g711Decode } from '../../src/media/g711.js';
import { blockEnergy, goertzelPower } from '../../src/media/goertzel.js';
import { OpusCodec } from '../../src/media/opus-codec.js';
import { concatPcm, encodeTone } from '../helpers/pcm.js';

const refused = (code: string) => (e: unknown) => e instanceof CallsightRealtimeError && e.code === code;

/**
 * The codec of an app's call is chosen when its offer arrives with `call.dial` /
 * `call.answer`, knowing the other end: app user to app user is Opus, relayed untouched
 * between the two werift legs. An app whose session was negotiated in PCMU is transcoded.
 * Offers that are not SDP or share no codec are refused and change nothing.
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
      ({ customer, agent } = await customerAndAgent(s, agentPushed));
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

    test('customer → agent: both legs Opus, packets relayed byte for byte', async () => {
      const caller = peer('opus');
      const dialing: any = await customer.request('call.dial', { to: 'agent', sessionId: 'dial-1', sdp: await caller.offer() });
      assert.equal(dialing.codec, 'opus');
      assert.match(dialing.sdp, /a=rtpmap:111 opus\/48000\/2/);
      assert.doesNotMatch(dialing.sdp, /PCMU/);
      await caller.accept(dialing.sdp);
      await waitFor(() => agentPushed.some((m) => m.kind === 'call.incoming'), 10_000, 'the agent app rings');
      const { callId } = agentPushed.find((m) => m.kind === 'call.incoming');

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

    test('an app that answers an Opus call with a PCMU session is served: the server transcodes Opus ↔ PCMU both ways', async () => {
      // The agent's app is free again once the previous call has ended there.
      await waitFor(() => agentPushed.some((m) => m.kind === 'call.state' && m.state === 'ended'), 10_000, 'the previous call ended at the agent');
      const caller = peer('opus');
      const rang = agentPushed.length;
      const dialing: any = await customer.request('call.dial', { to: 'agent', sessionId: 'dial-2', sdp: await caller.offer() });
      await caller.accept(dialing.sdp);
      await waitFor(() => agentPushed.slice(rang).some((m) => m.kind === 'call.incoming'), 10_000, 'the agent app rings');
      const { callId } = agentPushed.slice(rang).find((m) => m.kind === 'call.incoming');
      // An app that offered first (rtc.offer, always PCMU) takes the call as it is.
      const callee = peer('pcmu');
      const session: any = await agent.request('rtc.offer', { purpose: 'call', sdp: await callee.offer() });
      await callee.accept(session.sdp);
      await agent.request('call.answer', { callId, sessionId: session.sessionId });
      await Promise.all([caller.connected(), callee.connected()]);

      const toCallee: Int16Array[] = [];
      const toCaller: Int16Array[] = [];
      const decoder = new OpusCodec({ sampleRate: 8000 });
      callee.onPacket = (payload, pt) => void (pt === 0 && toCallee.push(g711Decode('ulaw', payload)));
      caller.onPacket = (payload, pt) => void (pt === 111 && toCaller.push(decoder.decode(payload) ?? new Int16Array(0)));
      const opus = encodeTone(new OpusCodec({ sampleRate: 48000 }), 1000, 3000);
      const pcmu = encodeTone(new G711Codec('ulaw'), 600, 3000);
      for (let n = 0; n < opus.length; n++) {
        caller.send(Buffer.from(opus[n]), { samples: 960 });
        callee.send(Buffer.from(pcmu[n]), { pt: 0, samples: 160 });
        await new Promise((r) => setTimeout(r, 20));
      }
      await waitFor(() => toCallee.length > 100 && toCaller.length > 100, 5000, 'audio both ways');
      const share = (frames: Int16Array[], hz: number) => {
        const pcm = concatPcm(frames.slice(-75));
        return goertzelPower(pcm, hz, 8000) / blockEnergy(pcm);
      };
      assert.ok(share(toCallee, 1000) > 0.8, `the PCMU app hears the Opus caller's 1 kHz (share ${share(toCallee, 1000)})`);
      assert.ok(share(toCaller, 600) > 0.8, `the Opus caller hears the PCMU app's 600 Hz (share ${share(toCaller, 600)})`);
      // The Opus leg counts as transcoding while the call lasts, and its codec work is measured.
      const metrics = String((await s.api('GET', '/metrics')).body);
      assert.match(metrics, /^callsight_transcoding_legs [1-9]/m);
      const frames = Number(/^callsight_transcoded_frames_total (\d+)/m.exec(metrics)?.[1]);
      assert.ok(frames >= 200, `transcoded frames counted: ${frames}`);
      // The counter is process-wide (both backends' servers add to it), so any positive value will do.
      const cpuSeconds = Number(/^callsight_transcode_cpu_seconds_total (\S+)/m.exec(metrics)?.[1]);
      assert.ok(cpuSeconds > 0, `transcoding CPU measured: ${cpuSeconds}`);
      decoder.close();
      await customer.request('call.hangup', { callId: dialing.callId });
    });
  });
}
