import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { pageAudio, playsInPage, softphoneAudio } from '../helpers/page-audio.js';
import { concatPcm } from '../helpers/pcm.js';
import { blockEnergy, goertzelPower } from '../../src/media/goertzel.js';
import { readOggOpus } from '../../src/media/ogg-reader.js';
import { OpusCodec } from '../../src/media/opus-codec.js';

/** Keeps every RTCPeerConnection the page makes, so the test can read its SDP and stats. */
const RECORD_PEERS = `(() => {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = function (...args) { const pc = new Native(...args); window.__pcs.push(pc); return pc; };
  window.RTCPeerConnection.prototype = Native.prototype;
})();`;

/** The call's media as the page negotiated it: audio codecs in the answer and the codec actually received. */
const negotiated = (page: Page) =>
  page.evaluate(async () => {
    const pc = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.at(-1)!;
    const sdp = pc.currentRemoteDescription?.sdp ?? '';
    const rtpmaps = [...sdp.matchAll(/a=rtpmap:\d+ ([\w-]+)\//g)].map((m) => m[1].toLowerCase());
    let received = '';
    for (let i = 0; i < 20 && !received; i++) {
      const stats = await pc.getStats();
      stats.forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio' && r.codecId && r.packetsReceived > 0) received = stats.get(r.codecId)?.mimeType ?? '';
      });
      if (!received) await new Promise((r) => setTimeout(r, 250));
    }
    return { rtpmaps, received: received.toLowerCase() };
  });

const heard = softphoneAudio;

/** Listens until the page hears `hz` (the far browser's tone) or gives up; returns the last measure. */
async function hearsTone(page: Page, hz: number): Promise<{ hz: number; rms: number }> {
  let h = { hz: 0, rms: 0 };
  for (let i = 0; i < 8; i++) {
    h = await heard(page);
    if (Math.abs(h.hz - hz) < 30 && h.rms > 0.01) break;
  }
  return h;
}

async function hearsSilence(page: Page): Promise<number> {
  let rms = 1;
  for (let i = 0; i < 6 && rms >= 0.005; i++) rms = (await heard(page)).rms;
  return rms;
}

/** Share of what the page hears that is away from `hz` (the far browser's tone): speech mixed in raises it. */
const heardBeside = async (page: Page, hz: number) => (await pageAudio(page, '[data-testid="softphone-audio"]', { besideHz: hz, ms: 400 })).beside ?? 0;

/** The most of the prompt the page hears over ~4 s (speech has pauses). */
async function hearsPrompt(page: Page, toneHz: number): Promise<number> {
  let best = 0;
  for (let i = 0; i < 10 && best < 0.5; i++) best = Math.max(best, await heardBeside(page, toneHz));
  return best;
}

/**
 * The call's recording: served as Ogg/Opus with byte ranges, decodes to both tones and
 * the prompt, and plays in Chromium with the right duration.
 */
async function checkRecording(s: TestServer, cookie: string, rec: { id: string; durationSeconds: number }, page: Page): Promise<void> {
  const whole = await fetch(`${s.url}/api/recordings/${rec.id}`, { headers: { cookie } });
  assert.equal(whole.status, 200);
  assert.match(whole.headers.get('content-type') ?? '', /^audio\/ogg/);
  assert.equal(whole.headers.get('accept-ranges'), 'bytes');
  const file = Buffer.from(await whole.arrayBuffer());
  const part = await fetch(`${s.url}/api/recordings/${rec.id}`, { headers: { cookie, range: 'bytes=100-199' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 100-199/${file.length}`);
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), file.subarray(100, 200));
  assert.equal((await fetch(`${s.url}/api/recordings/${rec.id}`, { headers: { cookie, range: `bytes=${file.length}-` } })).status, 416);

  const { packets } = readOggOpus(file);
  const decoder = new OpusCodec({ sampleRate: 8000 });
  const pcm = concatPcm(packets.map((p) => decoder.decode(p) ?? decoder.conceal()));
  decoder.close();
  // Per 200 ms window: which tones are in it, and how much is neither (the prompt).
  const windows = [];
  for (let at = 0; at + 1600 <= pcm.length; at += 1600) {
    const e = blockEnergy(pcm, at, 1600) + 1e-9;
    const t600 = goertzelPower(pcm, 600, 8000, at, 1600) / e;
    const t1000 = goertzelPower(pcm, 1000, 8000, at, 1600) / e;
    windows.push({ t600, t1000, other: 1 - t600 - t1000 });
  }
  assert.ok(windows.some((w) => w.t600 > 0.2 && w.t1000 > 0.2), 'the recording holds both tones');
  assert.ok(windows.filter((w) => w.other > 0.4).length >= 3, 'the recording holds the prompt');

  // Chromium plays it: the element learns its duration (from the last page, by a range request) and can play.
  const played = await playsInPage(page, `/api/recordings/${rec.id}`);
  assert.equal(played.how, 'canplay');
  assert.ok(Math.abs(played.duration - rec.durationSeconds) < 0.1, `Chromium's duration ${played.duration} s, recorded ${rec.durationSeconds} s`);
}

const state = (page: Page) => page.getByTestId('softphone').getAttribute('data-state');

/**
 * Browser ↔ browser calls carry Opus end to end: the customer on /phone calls the agent
 * on /agent (an app user with no SIP phone registered), the server answers both offers
 * with Opus and relays the packets between the two werift legs without decoding — until a
 * prompt or a recording needs the audio, when the server decodes and encodes it. The
 * same customer calling the IVR still gets PCMU (its prompts need no transcoding).
 */
describe('browser ↔ browser call over Opus (/phone and /agent in two Chromiums)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let customer: Page;
  let agent: Page;
  const events: AnyEvent[] = [];

  before(async () => {
    // Each microphone plays its own tone, so each side can tell the other's audio from its own.
    rig = await startBrowserRig({ apps: ['agent/index.html'], events: { types: ['call.'], into: events }, microphone: { hz: 600, seconds: 60 } });
    s = rig.s;
    const agentBrowser = await rig.launch({ hz: 1000, seconds: 60 });
    const recordPeers = (page: Page) => page.addInitScript(RECORD_PEERS);
    customer = await rig.open('/phone/', { as: 'customer@acme.test', softphone: true, timeout: 10_000, beforeLoad: recordPeers });
    agent = await rig.open('/agent/', { as: 'agent@acme.test', softphone: true, timeout: 10_000, browser: agentBrowser, beforeLoad: recordPeers });
  });
  after(() => rig?.close());

  test('the customer calls the agent: Opus on both legs, each hears the other, a prompt heard by both and recorded to Ogg/Opus, hold and mute silence', async () => {
    await customer.getByTestId('dial-input').fill('agent');
    await customer.getByTestId('dial').click();
    await agent.getByTestId('answer').click();
    await waitFor(async () => (await state(customer)) === 'answered' && (await state(agent)) === 'answered', 10_000, 'both answered');

    for (const [who, page] of [['customer', customer], ['agent', agent]] as const) {
      const media = await negotiated(page);
      assert.ok(media.rtpmaps.includes('opus') && !media.rtpmaps.includes('pcmu'), `${who}'s answer negotiates Opus only: ${media.rtpmaps}`);
      assert.equal(media.received, 'audio/opus', `${who} receives Opus`);
    }
    const toCustomer = await hearsTone(customer, 1000);
    assert.ok(Math.abs(toCustomer.hz - 1000) < 30, `the customer hears the agent's 1 kHz tone (peak ${toCustomer.hz} Hz, rms ${toCustomer.rms})`);
    const toAgent = await hearsTone(agent, 600);
    assert.ok(Math.abs(toAgent.hz - 600) < 30, `the agent hears the customer's 600 Hz tone (peak ${toAgent.hz} Hz, rms ${toAgent.rms})`);

    // A prompt needs PCM: the server starts decoding both browsers and encoding towards
    // them, in the same RTP streams, and both hear it over the other's tone; a recording
    // started first holds both tones and the prompt.
    const created = events.find((e) => e.type === 'call.created' && (e.data as { to: string }).to === 'agent')!;
    const callId = (created.data as { callId: string }).callId;
    const admin = await s.login('admin@acme.test');
    const record = await s.api('POST', `/api/calls/${callId}/record`, { cookie: admin, body: {} });
    assert.equal(record.status, 200, JSON.stringify(record.body));
    await new Promise((r) => setTimeout(r, 1500));
    const say = await s.api('POST', `/api/calls/${callId}/say`, { cookie: admin, body: { text: 'This call is recorded. Please hold the line while we connect your details.' } });
    assert.equal(say.status, 200, JSON.stringify(say.body));
    const [customerHeard, agentHeard] = await Promise.all([hearsPrompt(customer, 1000), hearsPrompt(agent, 600)]);
    assert.ok(customerHeard > 0.3, `the customer hears the prompt beside the agent's tone (${customerHeard.toFixed(2)} of the energy away from 1 kHz)`);
    assert.ok(agentHeard > 0.3, `the agent hears the prompt beside the customer's tone (${agentHeard.toFixed(2)} of the energy away from 600 Hz)`);
    // The prompt over, relaying resumes: each hears the other's tone alone again.
    await waitFor(async () => (await heardBeside(customer, 1000)) < 0.1, 15_000, 'the customer hears the tone alone after the prompt');
    const after = await hearsTone(agent, 600);
    assert.ok(Math.abs(after.hz - 600) < 30, `after the prompt the agent hears the customer (peak ${after.hz} Hz)`);
    const stopped = await s.api('POST', `/api/calls/${callId}/record/stop`, { cookie: admin, body: {} });
    assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
    const recordings = (await s.api('GET', `/api/calls/${callId}/recordings`, { cookie: admin })).body.items as { id: string; durationSeconds: number }[];
    assert.equal(recordings.length, 1);
    const [rec] = recordings;
    await checkRecording(s, admin, rec, agent);

    // Hold from the customer: the server relays Opus silence both ways.
    await customer.getByTestId('hold').click();
    await waitFor(async () => (await state(customer)) === 'held', 5000, 'held');
    const heldCustomer = await hearsSilence(customer);
    assert.ok(heldCustomer < 0.005, `the customer hears silence on hold (rms ${heldCustomer})`);
    const heldAgent = await hearsSilence(agent);
    assert.ok(heldAgent < 0.005, `the agent hears silence on hold (rms ${heldAgent})`);
    await customer.getByTestId('hold').click();
    await waitFor(async () => (await state(customer)) === 'answered', 5000, 'resumed');
    const resumed = await hearsTone(agent, 600);
    assert.ok(Math.abs(resumed.hz - 600) < 30, `after resuming the agent hears the customer again (peak ${resumed.hz} Hz)`);

    // Mute on the agent's side: the customer hears silence, then the tone again.
    await agent.getByTestId('mute').click();
    const muted = await hearsSilence(customer);
    assert.ok(muted < 0.005, `the customer hears silence while the agent is muted (rms ${muted})`);
    await agent.getByTestId('mute').click();
    const unmuted = await hearsTone(customer, 1000);
    assert.ok(Math.abs(unmuted.hz - 1000) < 30, `unmuted, the customer hears the agent again (peak ${unmuted.hz} Hz)`);

    await customer.getByTestId('hangup').click();
    await waitFor(() => events.some((e) => e.type === 'call.ended' && (e.data as { callId: string }).callId === callId), 8000, 'call ended');
    await waitFor(async () => (await state(agent)) !== 'answered', 8000, "the agent's side ended");
  });

  test('the same customer calling the IVR gets PCMU (the server plays prompts into it)', async () => {
    await customer.getByTestId('dial-input').fill('100');
    await customer.getByTestId('dial').click();
    await waitFor(async () => (await state(customer)) === 'answered', 10_000, 'answered');
    const media = await negotiated(customer);
    assert.ok(media.rtpmaps.includes('pcmu') && !media.rtpmaps.includes('opus'), `PCMU only: ${media.rtpmaps}`);
    assert.equal(media.received, 'audio/pcmu');
    await customer.getByTestId('hangup').click();
    await waitFor(async () => (await state(customer)) !== 'answered', 8000, 'hung up');
  });
});
