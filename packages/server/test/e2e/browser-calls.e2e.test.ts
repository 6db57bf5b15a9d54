import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { heardFiles, startBaresip, toneShare } from '../helpers/baresip.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const CHROMIUM = '/usr/bin/chromium';
const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/**
 * The /phone app's softphone in Chromium as a real call endpoint: it calls the demo
 * IVR and hears the greeting, and a baresip phone calls the customer's number, the
 * browser rings, answers, and each side hears the other's tone.
 */
describe('browser phone calls (/phone in Chromium, baresip)', () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let port: number;
  const events: AnyEvent[] = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing (npm test installs it)`);
    assert.ok(existsSync(path.join(WEB_DIST, 'phone/index.html')), 'web apps are not built: run npm run build');
    dir = mkdtempSync(path.join(tmpdir(), 'browser-calls-'));
    // The browser's microphone: a steady 600 Hz tone.
    execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', path.join(dir, 'tone.wav'), 'synth', '30', 'sine', '600', 'vol', '0.5']);
    s = await startTestServer({ config: { webDir: WEB_DIST } });
    port = s.ctx.services.get('telephony').endpoint.ports.udp;
    await s.ctx.bus.subscribe({ types: ['call.'] }, (e) => void events.push(e));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${path.join(dir, 'tone.wav')}`,
        '--autoplay-policy=no-user-gesture-required',
        '--disable-features=WebRtcHideLocalIpsWithMdns',
      ],
    });
    page = await browser.newPage();
    if (process.env.E2E_DEBUG) page.on('console', (m) => console.log('[page]', m.type(), m.text()));
    await page.goto(`${s.url}/phone/`);
    await page.getByLabel('Email').fill('customer@acme.test');
    await page.getByLabel('Password').fill('demo');
    await page.getByRole('button', { name: /sign in|log in/i }).click();
    await page.getByTestId('softphone').waitFor();
  });
  after(async () => {
    await browser?.close();
    await s?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Peak frequency and level of what the page's softphone plays (the far end). */
  const heard = () =>
    page.evaluate(async () => {
      const el = document.querySelector('[data-testid="softphone-audio"]') as HTMLAudioElement;
      const stream = el.srcObject as MediaStream;
      const ctx = new AudioContext();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 8192;
      ctx.createMediaStreamSource(stream).connect(analyser);
      await new Promise((r) => setTimeout(r, 700));
      const freq = new Float32Array(analyser.frequencyBinCount);
      analyser.getFloatFrequencyData(freq);
      let peak = 0;
      for (let i = 1; i < freq.length; i++) if (freq[i] > freq[peak]) peak = i;
      const time = new Float32Array(analyser.fftSize);
      analyser.getFloatTimeDomainData(time);
      const rms = Math.sqrt(time.reduce((a, v) => a + v * v, 0) / time.length);
      await ctx.close();
      return { hz: (peak * ctx.sampleRate) / analyser.fftSize, rms };
    });

  test('the customer calls 100 from /phone and hears the spoken greeting', async () => {
    await page.getByTestId('dial-input').fill('100');
    await page.getByTestId('dial').click();
    await waitFor(async () => (await page.getByTestId('softphone').getAttribute('data-state')) === 'answered', 10_000, 'answered').catch(async (err) => {
      if (process.env.E2E_DEBUG) {
        await page.screenshot({ path: '/tmp/phone-dial.png' });
        console.log('state', await page.getByTestId('softphone').getAttribute('data-state'), JSON.stringify(events.map((e) => e.type)));
      }
      throw err;
    });
    // The greeting is speech: clearly audible, not the browser's own tone.
    let loudest = { hz: 0, rms: 0 };
    for (let i = 0; i < 4 && loudest.rms < 0.01; i++) {
      const h = await heard();
      if (h.rms > loudest.rms) loudest = h;
    }
    assert.ok(loudest.rms > 0.01, `the greeting is heard (rms ${loudest.rms})`);
    const created = events.find((e) => e.type === 'call.created' && (e.data as { to: string }).to === '100');
    assert.ok(created, 'the browser call is a call like any other');
    await page.getByTestId('hangup').click();
    const callId = (created.data as { callId: string }).callId;
    await waitFor(() => events.some((e) => e.type === 'call.ended' && (e.data as { callId: string }).callId === callId), 5000, 'call ended');
  });

  test('baresip calls the customer: the browser rings on the lockscreen, answers, and both hear each other', async () => {
    const phone = startBaresip({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;regint=60`, commands: [`/dial sip:+15550100@127.0.0.1:${port}`], seconds: 12, toneHz: 1000 });
    try {
      // The call arrives on the lockscreen (unverified: baresip sends no Identity); accepting answers it.
      await page.getByTestId('lockscreen-unverified').waitFor({ timeout: 8000 }).catch(async (err) => {
        if (process.env.E2E_DEBUG) {
          await page.screenshot({ path: '/tmp/phone-ring.png' });
          console.log('events', JSON.stringify(events.map((e) => [e.type, e.data])));
          console.log('baresip', (await phone.done).stdout.split('\n').filter((l) => !l.startsWith('//')).slice(-12).join('\n'));
        }
        throw err;
      });
      assert.equal(await page.getByTestId('lockscreen-number').textContent().then((t) => t?.includes('agent')), true);
      await page.getByTestId('lockscreen-accept').click();
      await waitFor(async () => (await page.getByTestId('softphone').getAttribute('data-state')) === 'answered', 8000, 'answered');
      let best = { hz: 0, rms: 0 };
      for (let i = 0; i < 5 && Math.abs(best.hz - 1000) > 30; i++) best = await heard();
      assert.ok(Math.abs(best.hz - 1000) < 30, `the browser hears baresip's 1 kHz tone (peak ${best.hz} Hz)`);
      await phone.done;
      const [file] = heardFiles(phone.recordings);
      const { share } = await toneShare(file, 600);
      assert.ok(share > 0.3, `baresip hears the browser's 600 Hz tone (share ${share})`);
    } finally {
      phone.kill();
    }
  });
});
