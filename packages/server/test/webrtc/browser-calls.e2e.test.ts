import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { decodeWav } from '../../src/media/wav.js';
import { heardFiles, startBaresip, toneShare } from '../helpers/baresip.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { softphoneAudio } from '../helpers/page-audio.js';

/**
 * The /phone app's softphone in Chromium as a real call endpoint: it calls the demo
 * IVR and hears the greeting, and a baresip phone calls the customer's number, the
 * browser rings, answers, and each side hears the other's tone.
 */
describe('browser phone calls (/phone in Chromium, baresip)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let page: Page;
  let port: number;
  const events: AnyEvent[] = [];

  before(async () => {
    // The browser's microphone: a steady 600 Hz tone.
    rig = await startBrowserRig({ apps: ['phone/index.html'], events: { types: ['call.'], into: events }, microphone: { hz: 600, seconds: 30 } });
    s = rig.s;
    port = rig.sipPort();
    page = await rig.open('/phone/', { as: 'customer@acme.test', softphone: true, label: 'page', timeout: 30_000 });
  });
  after(() => rig?.close());

  const heard = () => softphoneAudio(page);

  test('the customer calls 100 from /phone and hears the spoken greeting', async () => {
    await page.getByTestId('dial-input').fill('100');
    await page.getByTestId('dial').click();
    await waitFor(async () => (await page.getByTestId('softphone').getAttribute('data-state')) === 'answered', 10_000, 'answered');
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
      await page.getByTestId('lockscreen-unverified').waitFor({ timeout: 8000 });
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

  test('holding from the softphone silences both directions until resumed', async () => {
    const phone = startBaresip({ account: `<sip:agent@127.0.0.1:${port}>;auth_pass=demo;regint=60`, commands: [`/dial sip:+15550100@127.0.0.1:${port}`], seconds: 12, toneHz: 1000 });
    try {
      await page.getByTestId('lockscreen-accept').click({ timeout: 8000 });
      await waitFor(async () => (await page.getByTestId('softphone').getAttribute('data-state')) === 'answered', 8000, 'answered');
      await new Promise((r) => setTimeout(r, 2000));
      await page.getByTestId('hold').click();
      await waitFor(async () => (await page.getByTestId('softphone').getAttribute('data-state')) === 'held', 3000, 'held');
      const duringHold = await heard();
      assert.ok(duringHold.rms < 0.005, `the browser hears silence on hold (rms ${duringHold.rms})`);
      await new Promise((r) => setTimeout(r, 2000));
      await page.getByTestId('hold').click();
      await waitFor(async () => (await page.getByTestId('softphone').getAttribute('data-state')) === 'answered', 3000, 'resumed');
      await phone.done;

      // What baresip heard, 100 ms at a time: the browser's tone, a silent stretch as long as the hold, the tone again.
      const [file] = heardFiles(phone.recordings);
      const { samples, sampleRate } = decodeWav(readFileSync(file));
      const win = sampleRate / 10;
      const loud: boolean[] = [];
      for (let i = 0; i + win <= samples.length; i += win) {
        let energy = 0;
        for (let j = i; j < i + win; j++) energy += samples[j] * samples[j];
        loud.push(Math.sqrt(energy / win) / 32768 > 0.02);
      }
      const pattern = loud.map((l) => (l ? 'L' : '.')).join('');
      const gap = /L{10,}(\.{15,})L{5,}/.exec(pattern);
      assert.ok(gap, `baresip hears tone, then ≥ 1.5 s of silence while held, then tone again: ${pattern}`);
      assert.ok(gap[1].length <= 35, `the silence lasts about as long as the hold: ${pattern}`);
    } finally {
      phone.kill();
    }
  });

  test("Acme Bank's brand calls the customer: the lockscreen shows the verified logo, name and reason", async () => {
    const admin = await s.login('admin@acme.test');
    const call = await s.api('POST', '/api/calls', { cookie: admin, body: { to: '+15550100', from: '+15550199', reason: 'Card delivery' } });
    assert.equal(call.status, 201, JSON.stringify(call.body));
    await page.getByTestId('lockscreen-verified').waitFor({ timeout: 8000 });
    assert.equal((await page.getByTestId('lockscreen-name').textContent())?.includes('Acme Bank'), true);
    assert.equal(await page.getByTestId('lockscreen-reason').textContent(), 'Card delivery');
    assert.ok(await page.getByTestId('lockscreen-logo').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the logo is shown');
    await page.getByTestId('lockscreen-decline').click();
    await waitFor(async () => (await s.api('GET', `/api/calls/${call.body.id}`, { cookie: admin })).body.state === 'ended', 5000, 'declined call ended');
  });
});
