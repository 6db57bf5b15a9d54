import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { z } from 'zod';
import type { DtmfDigit } from '../../src/media/dtmf-digit.js';
import type { WebRtcLeg } from '../../src/webrtc/webrtc-leg.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const CHROMIUM = '/usr/bin/chromium';
const SDK_ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../sdk/src/index.ts');

/**
 * The SDK Phone in Chromium against the server's browser leg. Call routing is the calls
 * layer's job, so this test plays it with an echo "number": `call.dial` bridges the leg
 * to itself. It proves the browser side: PCMU negotiation with Chrome, audio both ways,
 * in-band RFC 4733 DTMF from Chrome's RTCDTMFSender, hold/mute/hangup signalling.
 */
describe('SDK Phone in Chromium ↔ WebRTC leg (echo call)', () => {
  let s: TestServer;
  let browser: Browser;
  let dir: string;
  const digits: DtmfDigit[] = [];
  const signals: string[] = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing`);
    dir = mkdtempSync(path.join(tmpdir(), 'phone-e2e-'));
    execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', path.join(dir, 'tone.wav'), 'synth', '20', 'sine', '600', 'vol', '0.5']);
    s = await startTestServer({ config: { sipEnabled: false } });
    // The calls layer's part, played by the test: legs by session, an echo "callee".
    const legs = new Map<string, WebRtcLeg>();
    let calls = 0;
    // The SDK sends its offer with call.dial; the server answers it in the reply.
    s.ws.handle('call.dial', z.object({ kind: z.literal('call.dial'), ref: z.string().optional(), to: z.string(), sessionId: z.string(), sdp: z.string() }), async (client, msg) => {
      const { leg, answerSdp } = await s.ctx.services.get('rtc').open(client, { sessionId: msg.sessionId, sdp: msg.sdp, profile: 'pcmu' });
      legs.set(msg.sessionId, leg);
      leg.on('dtmf', (d) => digits.push(d));
      leg.onRtp((payload, meta) => leg.sendRtp(payload, meta));
      const callId = `call_${++calls}`;
      setTimeout(() => client.send({ kind: 'call.state', callId, state: 'answered' }), 50);
      return { kind: 'call.dialing', callId, sdp: answerSdp };
    });
    s.ws.handle('call.hold', z.object({ kind: z.literal('call.hold'), ref: z.string().optional(), callId: z.string(), hold: z.boolean() }), (_c, msg) => {
      signals.push(`hold:${msg.hold}`);
      return { kind: 'call.held', callId: msg.callId, hold: msg.hold };
    });
    s.ws.handle('call.hangup', z.object({ kind: z.literal('call.hangup'), ref: z.string().optional(), callId: z.string() }), (_c, msg) => {
      signals.push('hangup');
      for (const leg of legs.values()) leg.close('hangup');
      return { kind: 'call.ended', callId: msg.callId };
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${path.join(dir, 'tone.wav')}`,
        '--autoplay-policy=no-user-gesture-required',
        '--disable-features=WebRtcHideLocalIpsWithMdns',
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await s?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('dial → answered, hears its own 600 Hz tone back over PCMU, sends DTMF 1#, holds and hangs up', async () => {
    const bundle = await build({ entryPoints: [SDK_ENTRY], bundle: true, format: 'iife', globalName: 'callsight', write: false, platform: 'browser' });
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (e) => console.error('[page]', e));
    await page.goto(`${s.url}/api/health`);
    await page.addScriptTag({ content: bundle.outputFiles[0].text });

    const result = await page.evaluate(async () => {
      const sdk = (window as unknown as { callsight: typeof import('../../../sdk/src/index.js') }).callsight;
      const client = new sdk.CallsightClient({ baseUrl: location.origin });
      await client.login('customer@acme.test', 'demo');
      const phone = new sdk.Phone(client.realtime());
      const states: string[] = [];
      const call = await phone.call('echo');
      call.on('state', (st) => states.push(st));
      await new Promise((r) => setTimeout(r, 300));
      const pc = (call as unknown as { pc: RTCPeerConnection }).pc;
      const codec = [...(await pc.getStats()).values()].find((r: { type: string; mimeType?: string }) => r.type === 'codec' && r.mimeType?.startsWith('audio/'))?.mimeType;
      // Listen to what comes back.
      const audio = new Audio();
      audio.srcObject = call.remoteStream;
      await audio.play();
      const ctx = new AudioContext();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 8192;
      ctx.createMediaStreamSource(call.remoteStream!).connect(analyser);
      await new Promise((r) => setTimeout(r, 1000));
      const freq = new Float32Array(analyser.frequencyBinCount);
      analyser.getFloatFrequencyData(freq);
      let peak = 0;
      for (let i = 1; i < freq.length; i++) if (freq[i] > freq[peak]) peak = i;
      await call.dtmf('1#');
      await new Promise((r) => setTimeout(r, 800));
      await call.hold(true);
      await call.hold(false);
      await call.hangup();
      return { codec, heardHz: (peak * ctx.sampleRate) / analyser.fftSize, states, finalState: call.state };
    });

    assert.equal(result.codec, 'audio/PCMU', 'a call leg negotiates PCMU with Chrome');
    assert.ok(Math.abs(result.heardHz - 600) < 20, `the echoed tone comes back at 600 Hz (heard ${result.heardHz.toFixed(0)})`);
    await waitFor(() => digits.length >= 2, 3000, 'DTMF digits at the leg');
    assert.deepEqual(digits, ['1', '#'], 'RFC 4733 events from RTCDTMFSender');
    assert.deepEqual(signals, ['hold:true', 'hold:false', 'hangup']);
    assert.deepEqual(result.states, ['answered', 'held', 'answered', 'ended']);
    assert.equal(result.finalState, 'ended');
  });
});
