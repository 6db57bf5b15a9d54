import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { heardFiles, startBaresip, toneShare } from '../helpers/baresip.js';
import { launchChromium, toneWav } from '../helpers/chromium.js';
import { pageAudio } from '../helpers/page-audio.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const require = createRequire(import.meta.url);

/** JsSIP (npm) in the page as a SIP-over-WebSocket phone; `window.phone` drives it. */
const PAGE_SCRIPT = `
window.phone = (() => {
  let ua, session;
  const audio = document.createElement('audio');
  audio.id = 'remote'; audio.autoplay = true; document.body.appendChild(audio);
  const events = [];
  const watch = (s) => {
    session = s;
    const hook = (pc) => pc.addEventListener('track', (e) => { audio.srcObject = e.streams[0] || new MediaStream([e.track]); });
    if (s.connection) hook(s.connection);
    s.on('peerconnection', (e) => hook(e.peerconnection));
    s.on('newInfo', (e) => { if (e.originator === 'remote') events.push('info:' + e.request.body); });
    s.on('ended', () => events.push('ended'));
    s.on('failed', (e) => events.push('failed:' + e.cause));
    return new Promise((resolve, reject) => { s.on('confirmed', resolve); s.on('failed', (e) => reject(new Error('call failed: ' + e.cause))); });
  };
  return {
    events,
    register(wsUrl, user, password) {
      JsSIP.debug.disable('JsSIP:*');
      ua = new JsSIP.UA({ sockets: [new JsSIP.WebSocketInterface(wsUrl)], uri: 'sip:' + user + '@127.0.0.1', password, register: true, session_timers: false });
      const registered = new Promise((resolve, reject) => { ua.on('registered', resolve); ua.on('registrationFailed', (e) => reject(new Error('registration failed: ' + e.cause))); });
      ua.on('newRTCSession', (e) => { if (e.originator === 'remote') { events.push('incoming'); window.incoming = e.session; } });
      ua.start();
      return registered.then(() => true);
    },
    call(target) {
      return watch(ua.call(target, { mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } })).then(() => true);
    },
    answer() {
      const s = window.incoming;
      const confirmed = watch(s);
      s.answer({ mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
      return confirmed.then(() => true);
    },
    dtmf(tones) { session.sendDTMF(tones, { duration: 120, interToneGap: 100 }); },
    hold() { return session.hold(); },
    unhold() { return session.unhold(); },
    hangup() { if (session && !session.isEnded()) session.terminate(); },
    async inbound() {
      const stats = await session.connection.getStats();
      let r = { packets: 0, level: 0 };
      stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'audio') r = { packets: s.packetsReceived, level: s.audioLevel || 0 }; });
      return r;
    },
  };
})();
`;

/**
 * Browser SIP clients nobody on this project wrote: JsSIP in Chromium, registered over
 * SIP-over-WebSocket (RFC 7118), with WebRTC media (ICE, DTLS-SRTP, SAVPF) on its SIP
 * legs — calls echo and hears itself, calls the IVR and presses a key (INFO), takes a
 * call the API places and hears the prompt, and talks with a baresip phone on plain RTP.
 */
describe('JsSIP in Chromium over SIP-over-WebSocket with WebRTC media', () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let key: string;
  let udp: number;
  const events: AnyEvent[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'jssip-e2e-'));
    s = await startTestServer({ config: { sipWsPort: 0 } });
    udp = s.ctx.services.get('telephony').endpoint.ports.udp;
    const ws = s.ctx.services.get('telephony').endpoint.ports.ws;
    assert.ok(ws, 'the SIP WebSocket port is open');
    const cookie = await s.login('admin@acme.test');
    key = (await s.api('POST', '/api/api-keys', { cookie, body: { name: 'jssip' } })).body.key;
    await s.ctx.bus.subscribe({ types: ['call.'] }, (e) => void events.push(e));
    const bundle = await build({ entryPoints: [require.resolve('jssip/lib/JsSIP.js')], bundle: true, format: 'iife', globalName: 'JsSIP', write: false, platform: 'browser', logLevel: 'silent' });
    browser = await launchChromium({ fakeMedia: toneWav(path.join(dir, 'tone.wav'), 600, 60) });
    page = await (await browser.newContext()).newPage();
    await page.goto(`${s.url}/healthz`);
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    await page.addScriptTag({ content: PAGE_SCRIPT });
    await page.evaluate(([url]) => (window as any).phone.register(url, 'customer', 'demo'), [`ws://127.0.0.1:${ws}`]);
  });
  after(async () => {
    await browser?.close();
    await s?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const phone = <T>(fn: string, ...args: unknown[]) => page.evaluate(([f, a]) => (window as any).phone[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;
  const hangupAndSettle = async () => {
    await phone('hangup');
    await waitFor(() => s.ctx.services.get('telephony').manager.size === 0, 8000, 'every call ended');
  };

  test('calls echo over WebRTC media and hears its own 600 Hz tone back (inbound packets and level in the stats)', async () => {
    await phone('call', 'sip:echo@127.0.0.1');
    await waitFor(async () => (await phone<{ packets: number }>('inbound')).packets > 50, 8000, 'audio from the server');
    const heard = await pageAudio(page, '#remote', { ms: 1000 });
    assert.ok(Math.abs(heard.hz - 600) < 30, `heard ${heard.hz} Hz`);
    const stats = await phone<{ packets: number; level: number }>('inbound');
    assert.ok(stats.level > 0.01, `audio level ${stats.level}`);
    // The client holds (re-INVITE sendonly) and resumes: the call goes on.
    await phone('hold');
    await phone('unhold');
    const created = events.find((e) => e.type === 'call.created');
    assert.ok(created);
    await hangupAndSettle();
  });

  test('calls the IVR and presses 2: a call.dtmf event', async () => {
    const before = events.length;
    await phone('call', 'sip:100@127.0.0.1');
    await new Promise((r) => setTimeout(r, 500));
    await phone('dtmf', '2');
    await waitFor(() => events.slice(before).some((e) => e.type === 'call.dtmf' && (e.data as { digit: string }).digit === '2'), 8000, 'call.dtmf 2');
    await hangupAndSettle();
  });

  test('takes a call the API places to its account (offered WebRTC media) and hears the prompt', async () => {
    const created = await s.api('POST', '/api/calls', { key, body: { to: 'customer', verbs: [{ verb: 'say', text: 'Hello from callsight, this is your browser phone.' }, { verb: 'pause', seconds: 3 }] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await page.waitForFunction(() => (window as any).phone.events.includes('incoming'), undefined, { timeout: 8000 });
    await phone('answer');
    await waitFor(async () => (await phone<{ level: number; packets: number }>('inbound')).packets > 20, 8000, 'prompt packets');
    let loud = 0;
    await waitFor(async () => (loud = Math.max(loud, (await phone<{ level: number }>('inbound')).level)) > 0.01, 8000, `the prompt is heard (level ${loud})`);
    await hangupAndSettle();
  });

  test('a JsSIP browser phone and a baresip phone on plain RTP hear each other', async () => {
    const baresip = startBaresip({ account: `<sip:agent@127.0.0.1:${udp}>;auth_pass=demo;regint=60;answermode=auto`, seconds: 12, toneHz: 1000 });
    try {
      await waitFor(async () => ((await s.api('GET', '/api/sip/accounts', { key })).body.items.find((a: { username: string }) => a.username === 'agent').registered as string[]).length > 0, 6000, 'baresip registered');
      await phone('call', 'sip:agent@127.0.0.1');
      await waitFor(async () => (await phone<{ packets: number }>('inbound')).packets > 50, 8000, 'audio from baresip');
      const heard = await pageAudio(page, '#remote', { ms: 1000 });
      assert.ok(Math.abs(heard.hz - 1000) < 30, `the browser hears baresip's 1 kHz tone (heard ${heard.hz} Hz)`);
      await new Promise((r) => setTimeout(r, 1500));
      await hangupAndSettle();
    } finally {
      baresip.kill();
    }
    await baresip.done;
    const [file] = heardFiles(baresip.recordings);
    assert.ok(file, 'baresip recorded the call');
    const { share } = await toneShare(file, 600);
    assert.ok(share > 0.5, `baresip hears the browser's 600 Hz tone (share ${share})`);
  });
});
