import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, toneWav } from '../helpers/chromium.js';
import { pageAudio } from '../helpers/page-audio.js';
import { openSipJsPage, phoneCall } from '../helpers/sipjs-page.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { selfSignedCert } from '../sip/sip-endpoints.js';

/**
 * SIP over secure WebSocket (RFC 7118 over TLS): the server's WSS listener is configured by
 * certificate and key paths, as a deployment would (`CALLSIGHT_SIP_WSS_PORT`,
 * `CALLSIGHT_SIP_TLS_CERT`/`KEY`), with a self-signed certificate made here by openssl.
 * SIP.js in Chromium (which trusts it only with --ignore-certificate-errors) registers over
 * wss://, calls echo and hears itself, and takes a call the API places to that binding.
 */
describe('SIP.js in Chromium over wss:// (SIP over secure WebSocket) with WebRTC media', () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let wssUrl: string;
  const phone = <T>(fn: string, ...args: unknown[]) => phoneCall<T>(page, fn, ...args);
  const calls = () => s.ctx.services.get('telephony').manager.size;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sipjs-wss-'));
    const creds = selfSignedCert();
    writeFileSync(path.join(dir, 'cert.pem'), creds.cert);
    writeFileSync(path.join(dir, 'key.pem'), creds.key, { mode: 0o600 });
    s = await startTestServer({ config: { sipWssPort: 0, sipTlsCert: path.join(dir, 'cert.pem'), sipTlsKey: path.join(dir, 'key.pem') } });
    const ports = s.ctx.services.get('telephony').endpoint.ports;
    assert.ok(ports.wss, 'the SIP secure WebSocket port is open');
    assert.equal(ports.ws, undefined, 'no plain WebSocket port: every SIP message here goes over TLS');
    wssUrl = `wss://127.0.0.1:${ports.wss}`;
    browser = await launchChromium({ fakeMedia: toneWav(path.join(dir, 'tone.wav'), 600, 60), args: ['--ignore-certificate-errors'] });
    page = await openSipJsPage(browser, s.url);
  });
  after(async () => {
    await browser?.close();
    await s?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a Chromium that does not trust the self-signed certificate cannot even connect', async () => {
    const strict = await launchChromium({ fakeMedia: true });
    try {
      const p = await openSipJsPage(strict, s.url);
      const outcome = await p.evaluate((url) => (window as any).phone.register(url, 'customer', 'demo').then(() => 'registered', (e: Error) => `refused: ${e.message}`), wssUrl);
      assert.match(outcome, /^refused/);
    } finally {
      await strict.close();
    }
  });

  test('registers over wss:// and calls echo: hears its own 600 Hz tone back', async () => {
    assert.equal(await phone('register', wssUrl, 'customer', 'demo'), true);
    await phone('call', 'sip:echo@127.0.0.1');
    await waitFor(async () => (await phone<{ packets: number }>('inbound')).packets > 50, 8000, 'audio from the server');
    const heard = await pageAudio(page, '#remote', { ms: 1000 });
    assert.ok(Math.abs(heard.hz - 600) < 30, `heard ${heard.hz} Hz`);
    assert.equal(await phone('hangup'), true);
    await waitFor(() => calls() === 0, 8000, 'every call ended');
  });

  test('takes a call the API places to its wss:// binding (a WebRTC offer) and hears the prompt', async () => {
    const cookie = await s.login('admin@acme.test');
    const key = (await s.api('POST', '/api/api-keys', { cookie, body: { name: 'sipjs-wss' } })).body.key;
    const created = await s.api('POST', '/api/calls', { key, body: { to: 'customer', verbs: [{ verb: 'say', text: 'Hello over a secure socket.' }, { verb: 'pause', seconds: 1 }] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await page.waitForFunction(() => (window as any).phone.events.includes('incoming'), undefined, { timeout: 8000 });
    await phone('answer');
    let loud = 0;
    await waitFor(async () => (loud = Math.max(loud, (await phone<{ level: number }>('inbound')).level)) > 0.01, 8000, `the prompt is heard (level ${loud})`);
    await page.waitForFunction(() => (window as any).phone.events.includes('bye'), undefined, { timeout: 15000 });
    await waitFor(() => calls() === 0, 8000, 'every call ended');
  });
});
