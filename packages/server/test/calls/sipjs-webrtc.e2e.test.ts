import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { heardFiles, startBaresip, toneShare } from '../helpers/baresip.js';
import { launchChromium, toneWav } from '../helpers/chromium.js';
import { pageAudio } from '../helpers/page-audio.js';
import { openSipJsPage, phoneCall } from '../helpers/sipjs-page.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * SIP.js (npm `sip.js`), a second browser SIP client nobody on this project wrote, in
 * Chromium over SIP-over-WebSocket (RFC 7118) with WebRTC media: it registers, calls echo
 * and hears itself, keys the IVR both ways SIP.js sends keys (RFC 4733 and INFO), takes a
 * call the API places and is hung up on with a BYE, and talks with a baresip phone.
 */
describe('SIP.js in Chromium over SIP-over-WebSocket with WebRTC media', () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let key: string;
  let udp: number;
  const events: AnyEvent[] = [];
  const phone = <T>(fn: string, ...args: unknown[]) => phoneCall<T>(page, fn, ...args);
  const calls = () => s.ctx.services.get('telephony').manager.size;
  const endedSince = (from: number) => events.slice(from).filter((e) => e.type === 'call.ended');

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sipjs-e2e-'));
    s = await startTestServer({ config: { sipWsPort: 0 } });
    udp = s.ctx.services.get('telephony').endpoint.ports.udp;
    const ws = s.ctx.services.get('telephony').endpoint.ports.ws;
    assert.ok(ws, 'the SIP WebSocket port is open');
    const cookie = await s.login('admin@acme.test');
    key = (await s.api('POST', '/api/api-keys', { cookie, body: { name: 'sipjs' } })).body.key;
    await s.ctx.bus.subscribe({ types: ['call.'] }, (e) => void events.push(e));
    browser = await launchChromium({ fakeMedia: toneWav(path.join(dir, 'tone.wav'), 600, 60) });
    page = await openSipJsPage(browser, s.url);
    assert.equal(await phone('register', `ws://127.0.0.1:${ws}`, 'customer', 'demo'), true);
    const account = (await s.api('GET', '/api/sip/accounts', { key })).body.items.find((a: { username: string }) => a.username === 'customer');
    assert.ok(account.registered.length > 0, 'the registrar holds the SIP.js binding');
  });
  after(async () => {
    await browser?.close();
    await s?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('calls echo and hears its own 600 Hz tone back; its BYE ends the call on the server', async () => {
    const from = events.length;
    await phone('call', 'sip:echo@127.0.0.1');
    await waitFor(async () => (await phone<{ packets: number }>('inbound')).packets > 50, 8000, 'audio from the server');
    const heard = await pageAudio(page, '#remote', { ms: 1000 });
    assert.ok(Math.abs(heard.hz - 600) < 30, `heard ${heard.hz} Hz`);
    const stats = await phone<{ packets: number; level: number }>('inbound');
    assert.ok(stats.level > 0.01, `audio level ${stats.level}`);
    assert.equal(await phone('hangup'), true, 'SIP.js got a final response to its BYE');
    await waitFor(() => calls() === 0 && endedSince(from).length === 1, 8000, 'the call ended on the server');
  });

  test('calls the IVR and keys 2 by RFC 4733 and 5 by SIP INFO: a call.dtmf event for each', async () => {
    const from = events.length;
    await phone('call', 'sip:100@127.0.0.1');
    await new Promise((r) => setTimeout(r, 500));
    const digits = () => events.slice(from).filter((e) => e.type === 'call.dtmf').map((e) => (e.data as { digit: string }).digit);
    assert.equal(await phone('dtmf', '2'), true, 'SIP.js queued the RFC 4733 key');
    await waitFor(() => digits().includes('2'), 8000, 'call.dtmf 2 (RFC 4733)');
    await phone('info', '5');
    await waitFor(() => digits().includes('5'), 8000, `call.dtmf 5 (INFO); got ${digits().join(',')}`);
    await phone('hangup');
    await waitFor(() => calls() === 0, 8000, 'every call ended');
  });

  test('takes a call the API places to its account (a WebRTC offer), hears the prompt, and is sent a BYE when the flow ends', async () => {
    const created = await s.api('POST', '/api/calls', { key, body: { to: 'customer', verbs: [{ verb: 'say', text: 'Hello from callsight, this is your browser phone.' }, { verb: 'pause', seconds: 1 }] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await page.waitForFunction(() => (window as any).phone.events.includes('incoming'), undefined, { timeout: 8000 });
    await phone('answer');
    let loud = 0;
    await waitFor(async () => (loud = Math.max(loud, (await phone<{ level: number }>('inbound')).level)) > 0.01, 8000, `the prompt is heard (level ${loud})`);
    await page.waitForFunction(() => (window as any).phone.events.includes('bye'), undefined, { timeout: 15000 });
    assert.equal(await phone('state'), 'Terminated');
    await waitFor(() => calls() === 0, 8000, 'every call ended');
  });

  test('a SIP.js browser phone and a baresip phone on plain RTP hear each other', async () => {
    const baresip = startBaresip({ account: `<sip:agent@127.0.0.1:${udp}>;auth_pass=demo;regint=60;answermode=auto`, seconds: 12, toneHz: 1000 });
    try {
      await waitFor(async () => ((await s.api('GET', '/api/sip/accounts', { key })).body.items.find((a: { username: string }) => a.username === 'agent').registered as string[]).length > 0, 6000, 'baresip registered');
      await phone('call', 'sip:agent@127.0.0.1');
      await waitFor(async () => (await phone<{ packets: number }>('inbound')).packets > 50, 8000, 'audio from baresip');
      const heard = await pageAudio(page, '#remote', { ms: 1000 });
      assert.ok(Math.abs(heard.hz - 1000) < 30, `the browser hears baresip's 1 kHz tone (heard ${heard.hz} Hz)`);
      await new Promise((r) => setTimeout(r, 1500));
      await phone('hangup');
      await waitFor(() => calls() === 0, 8000, 'every call ended');
    } finally {
      baresip.kill();
    }
    await baresip.done;
    const [file] = heardFiles(baresip.recordings);
    assert.ok(file, 'baresip recorded the call');
    const { share } = await toneShare(file, 600);
    assert.ok(share > 0.5, `baresip hears the browser's 600 Hz tone (share ${share})`);
  });

  test('RFC 5626 outbound: a reloaded SIP.js phone (same +sip.instance and reg-id, new connection and Contact) replaces its binding, and a call rings only the live page', async () => {
    const ws = s.ctx.services.get('telephony').endpoint.ports.ws;
    const outbound = { instanceId: '6f1c2a9e-0d1b-4c3a-9e55-3b2f6a7d8c41', regId: 1 };
    const bindings = async () => ((await s.api('GET', '/api/sip/accounts', { key })).body.items.find((a: { username: string }) => a.username === 'agent').registered as string[]);
    await waitFor(async () => (await bindings()).length === 0, 8000, 'baresip unregistered');
    const first = await openSipJsPage(browser, s.url);
    await phoneCall(first, 'register', `ws://127.0.0.1:${ws}`, 'agent', 'demo', undefined, outbound);
    const [old] = await bindings();
    // The page "reloads": a new UA, socket and Contact user, the same instance; the old socket stays open.
    const second = await openSipJsPage(browser, s.url);
    await phoneCall(second, 'register', `ws://127.0.0.1:${ws}`, 'agent', 'demo', undefined, outbound);
    const now = await bindings();
    assert.equal(now.length, 1, `one binding for the instance (${now.join(', ')})`);
    assert.notEqual(now[0], old, 'the new Contact replaced the old one');
    const created = await s.api('POST', '/api/calls', { key, body: { to: 'agent', verbs: [{ verb: 'say', text: 'Only one of you should hear this.' }] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await second.waitForFunction(() => (window as any).phone.events.includes('incoming'), undefined, { timeout: 8000 });
    await phoneCall(second, 'answer');
    await waitFor(async () => (await phoneCall<{ packets: number }>(second, 'inbound')).packets > 20, 8000, 'the live page gets the prompt');
    assert.ok(!(await first.evaluate(() => (window as any).phone.events.includes('incoming'))), 'the replaced binding was not rung');
    await second.waitForFunction(() => (window as any).phone.events.includes('bye'), undefined, { timeout: 15000 });
    await waitFor(() => calls() === 0, 8000, 'every call ended');
    await first.context().close();
    await second.context().close();
  });
});
