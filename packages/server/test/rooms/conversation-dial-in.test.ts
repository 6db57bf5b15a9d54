import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EventStream } from '../../../sdk/src/index.js';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { OpusCodec } from '../../src/media/opus-codec.js';
import { heardFiles, startBaresip, toneShare, type Baresip } from '../helpers/baresip.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { NodePeer } from '../webrtc/node-peer.js';

const SPEAKER_HZ = 700;

/**
 * A phone listens to a conversation by dialling in: every conversation shows a dial-in
 * (the demo's number 700, whose flow is the `conversation` verb, and a six-digit code).
 * baresip calls 700, keys a wrong code (told so, asked again), then the right one and
 * `#`; it is in the conversation as a listener, heard by nobody, and hears the speaker.
 */
describe('a phone dials in to listen to a conversation (baresip)', () => {
  let s: TestServer;
  const phones: Baresip[] = [];
  const peers: NodePeer[] = [];
  const streams: EventStream[] = [];

  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    for (const p of phones) p.kill();
    for (const st of streams) st.close();
    for (const p of peers) await p.close();
    await s?.destroy();
  });

  test('the conversation shows its dial-in; a keyed code puts the phone in as a listener that hears the stage', async () => {
    const port = s.ctx.services.get('telephony').endpoint.ports.udp;
    const events: AnyEvent[] = [];
    await s.ctx.bus.subscribe({ types: ['call.'] }, (e) => void events.push(e));
    const host = await s.client('agent@acme.test');
    const guest = await s.client('customer@acme.test');
    const rt = host.realtime();
    streams.push(rt);
    const pushes: any[] = [];
    rt.on('message', (m) => pushes.push(m));
    const started = await host.conversations.start({ topic: 'Dial in', invite: [(await guest.me()).user!.id] });
    const id = started.conversation.id;
    const dialIn = started.conversation.dialIn;
    assert.ok(dialIn, 'a conversation has a dial-in');
    assert.equal(dialIn.number, '700', 'the organisation’s number whose flow is the conversation verb');
    assert.match(dialIn.code, /^\d{6}$/);
    await guest.conversations.accept(id);
    const hostRoom: any = await rt.request('room.join', { token: started.token });

    // The host speaks a 700 Hz tone in Opus.
    const mic = new NodePeer('opus', 'sendonly', { audioLevel: true });
    peers.push(mic);
    const r: any = await rt.request('room.publish', { participantId: hostRoom.participantId, sdp: await mic.offer() });
    await mic.accept(r.sdp);
    await mic.connected();
    const codec = new OpusCodec({ sampleRate: 48000 });
    let n = 0;
    const timer = setInterval(() => {
      const pcm = new Int16Array(960);
      for (let i = 0; i < pcm.length; i++, n++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * SPEAKER_HZ * n) / 48000));
      const frame = codec.encode(pcm);
      if (frame) mic.sendWithLevel(Buffer.from(frame), 20);
    }, 20);

    try {
      const phone = startBaresip({ account: `<sip:listener@127.0.0.1>;regint=0`, seconds: 40, toneHz: 1000, control: true });
      phones.push(phone);
      assert.ok((await phone.control!.command('dial', `sip:700@127.0.0.1:${port}`)).ok);
      await waitFor(() => events.some((e) => e.type === 'call.answered'), 10_000, 'the dial-in answered');
      const key = async (digits: string) => {
        for (const d of digits) {
          assert.ok((await phone.control!.command('sndcode', d)).ok, `baresip keyed ${d}`);
          await new Promise((res) => setTimeout(res, 250));
        }
      };
      const phoneIn = () => pushes.find((m) => m.kind === 'room.participant.joined' && m.participant.external)?.participant;
      await new Promise((res) => setTimeout(res, 1500));
      await key(`${dialIn.code === '000000' ? '111111' : '000000'}#`);
      await new Promise((res) => setTimeout(res, 1500));
      assert.equal(phoneIn(), undefined, 'a wrong code puts the phone nowhere');
      await key(`${dialIn.code}#`);
      await waitFor(() => phoneIn() !== undefined, 15_000, 'the phone is in the conversation');
      const caller = phoneIn();
      assert.equal(caller.role, 'listener');
      assert.deepEqual(caller.publishing, [], 'a listening phone is not heard');
      const info = await host.conversations.get(id);
      assert.equal(info.listenerCount >= 1, true, 'counted in the audience');

      // It listens for a while, then hangs up: what it heard at the end is the host's tone.
      await new Promise((res) => setTimeout(res, 4000));
      assert.ok((await phone.control!.command('hangup')).ok);
      await waitFor(() => pushes.some((m) => m.kind === 'room.participant.left' && m.participantId === caller.id), 10_000, 'the phone left the conversation');
      phone.kill();
      await phone.done;
      const [file] = heardFiles(phone.recordings);
      assert.ok(file, 'baresip recorded what it heard');
      const heard = await toneShare(file, SPEAKER_HZ, { fromSec: -3 });
      assert.ok(heard.share > 0.5, `the phone hears the speaker's ${SPEAKER_HZ} Hz tone (share ${heard.share.toFixed(2)})`);
    } finally {
      clearInterval(timer);
      codec.close();
    }
  });
});
