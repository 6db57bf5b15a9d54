import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { WEB_DIST, launchChromium, requireBrowserAndWeb, openSoftphone, toneWav } from '../helpers/chromium.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { softphoneAudio } from '../helpers/page-audio.js';

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

const state = (page: Page) => page.getByTestId('softphone').getAttribute('data-state');

/**
 * Browser ↔ browser calls carry Opus end to end: the customer on /phone calls the agent
 * on /agent (an app user with no SIP phone registered), the server answers both offers
 * with Opus and relays the packets between the two werift legs without decoding. The
 * same customer calling the IVR still gets PCMU (prompts need PCM on the server).
 */
describe('browser ↔ browser call over Opus (/phone and /agent in two Chromiums)', () => {
  let s: TestServer;
  let customerBrowser: Browser;
  let agentBrowser: Browser;
  let customer: Page;
  let agent: Page;
  let dir: string;
  const events: AnyEvent[] = [];

  before(async () => {
    requireBrowserAndWeb('agent/index.html');
    dir = mkdtempSync(path.join(tmpdir(), 'opus-call-'));
    // Each microphone plays its own tone, so each side can tell the other's audio from its own.
    for (const [name, hz] of [['customer', 600], ['agent', 1000]] as const) {
      toneWav(path.join(dir, `${name}.wav`), hz, 60);
    }
    s = await startTestServer({ config: { webDir: WEB_DIST } });
    await s.ctx.bus.subscribe({ types: ['call.'] }, (e) => void events.push(e));
    customerBrowser = await launchChromium({ fakeMedia: path.join(dir, 'customer.wav') });
    agentBrowser = await launchChromium({ fakeMedia: path.join(dir, 'agent.wav') });
    customer = await customerBrowser.newPage();
    agent = await agentBrowser.newPage();
    for (const page of [customer, agent]) {
      page.setDefaultTimeout(10_000);
      await page.addInitScript(RECORD_PEERS);
    }
    await openSoftphone(customer, `${s.url}/phone/`, 'customer@acme.test');
    await openSoftphone(agent, `${s.url}/agent/`, 'agent@acme.test');
  });
  after(async () => {
    await customerBrowser?.close();
    await agentBrowser?.close();
    await s?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the customer calls the agent: Opus on both legs, each hears the other, hold and mute silence, prompts refused', async () => {
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

    // The server has no PCM of this call: a prompt is refused with a stable code and the call goes on.
    const created = events.find((e) => e.type === 'call.created' && (e.data as { to: string }).to === 'agent')!;
    const callId = (created.data as { callId: string }).callId;
    const admin = await s.login('admin@acme.test');
    const say = await s.api('POST', `/api/calls/${callId}/say`, { cookie: admin, body: { text: 'hello' } });
    assert.equal(say.status, 409, JSON.stringify(say.body));
    assert.equal(say.body.code, 'call_media_opus');
    const record = await s.api('POST', `/api/calls/${callId}/record`, { cookie: admin, body: {} });
    assert.equal(record.status, 409, JSON.stringify(record.body));
    assert.equal(record.body.code, 'call_media_opus');
    assert.equal((await s.api('GET', `/api/calls/${callId}`, { cookie: admin })).body.state, 'answered');

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
