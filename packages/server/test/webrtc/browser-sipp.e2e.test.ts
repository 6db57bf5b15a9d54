import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { callScenario, runSipp, startSippUas } from '../helpers/sipp.js';
import { allowOutsideCalls } from '../helpers/outbound.js';
import { peerPort } from '../helpers/ports.js';
import type { TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { softphoneAudio } from '../helpers/page-audio.js';


/**
 * The /phone app against sipp, both ways, with sipp echoing the RTP it receives
 * (-rtp_echo): the browser hearing its own 600 Hz tone come back proves sipp got the
 * browser's audio and the browser got sipp's, through the PCMU bridge with no transcoding.
 */
describe('browser ↔ sipp calls (/phone in Chromium, sipp -rtp_echo)', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let page: Page;
  let port: number;
  const events: AnyEvent[] = [];

  before(async () => {
    rig = await startBrowserRig({ apps: ['phone/index.html'], events: { types: ['call.'], into: events }, microphone: { hz: 600, seconds: 60 } });
    s = rig.s;
    port = rig.sipPort();
    await allowOutsideCalls(s, 'customer@acme.test');
    page = await rig.open('/phone/', { as: 'customer@acme.test', softphone: true, timeout: 10_000 });
  });
  after(() => rig?.close());

  const heard = () => softphoneAudio(page);
  /** Polls until the browser hears its own tone back (the first second may still be silent). */
  async function hearsOwnTone(what: string) {
    // "Answered" can show before the far end's track reaches the audio element (on a loaded machine, by a second or more).
    await page.waitForFunction('document.querySelector(\'[data-testid="softphone-audio"]\')?.srcObject != null', null, { timeout: 10_000 });
    let best = { hz: 0, rms: 0 };
    for (let i = 0; i < 8 && !(Math.abs(best.hz - 600) < 20 && best.rms > 0.01); i++) best = await heard();
    assert.ok(Math.abs(best.hz - 600) < 20 && best.rms > 0.01, `${what}: the browser hears its 600 Hz back (peak ${best.hz.toFixed(0)} Hz, rms ${best.rms.toFixed(3)})`);
    return best;
  }
  const answered = () => waitFor(async () => (await page.getByTestId('softphone').getAttribute('data-state')) === 'answered', 10_000, 'answered');

  test('the browser calls a sipp UAS: it hears itself through sipp; muted, it hears silence; unmuted, its tone again', async () => {
    const uas = startSippUas({ timeoutSec: 40, extra: ['-rtp_echo', '-mp', String(peerPort())] });
    try {
      await page.getByTestId('dial-input').fill(`sip:echo-test@127.0.0.1:${uas.port}`);
      await page.getByTestId('dial').click();
      await answered();
      const before = await hearsOwnTone('calling sipp');
      await page.getByTestId('mute').click();
      let muted = await heard();
      for (let i = 0; i < 4 && muted.rms > before.rms / 20; i++) muted = await heard(); // what was in flight drains
      assert.ok(muted.rms < before.rms / 20, `muted, the browser sends silence (rms ${before.rms.toFixed(3)} → ${muted.rms.toFixed(4)})`);
      await page.getByTestId('mute').click();
      await hearsOwnTone('unmuted');
      assert.match(uas.messages(), /m=audio \d+ RTP\/AVP 0[ \r\n]/, 'the INVITE offered sipp PCMU first: the browser audio is not transcoded');
      await page.getByTestId('hangup').click();
      const r = await uas.done;
      assert.equal(r.code, 0, r.stdout + r.stderr);
    } finally {
      uas.kill();
    }
  });

  test('sipp calls the browser (+15550100): the browser answers and hears itself through sipp; sipp hangs up and the app sees the end', async () => {
    const from = events.length;
    const sipp = runSipp({ scenario: callScenario({ pauseMs: 6000, waitMs: 100 }), port, service: '+15550100', timeoutSec: 30, extra: ['-rtp_echo'] });
    await page.getByTestId('lockscreen-accept').click({ timeout: 10_000 });
    await answered();
    await hearsOwnTone('called by sipp');
    const r = await sipp;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await waitFor(async () => (await page.getByTestId('softphone').getAttribute('data-state')) === 'ended', 8000, 'the app saw the end');
    const ended = events.slice(from).filter((e) => e.type === 'call.ended').map((e) => (e.data as { cause: string }).cause);
    assert.ok(ended.length >= 1 && ended.every((c) => c !== 'flow_failed'), `calls ended cleanly: ${ended.join(', ')}`);
  });
});
