import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { RAW_TEXT, VIEWPORTS, screenshot, seriousA11yViolations } from '../helpers/ui-checks.js';
import { waitFor } from '../helpers/wait.js';
import { threeInVideoCall } from './video-call-fixture.js';
import { earLevels } from '../helpers/page-audio.js';

/** Picks a layout as a person does: the radio is hidden behind its label. */
const pickLayout = (page: Page, label: 'Grid' | 'Speaker') => page.locator('[data-testid=layout-picker] label', { hasText: label }).click();

const azimuthOf = async (page: Page, name: string) => Number(await page.locator(`[data-testid=call-tile][data-name="${name}"]`).getAttribute('data-azimuth'));

/** A video call of three Chromiums: the host hears each speaker's tone from the side its tile is on. */
describe('spatial group call in Chromium: each voice from its tile, moving with the layout picked or the participant selected, fixed under head turns', () => {
  let rig: BrowserRig;
  before(async () => {
    rig = await startBrowserRig({ apps: ['rooms/index.html'], server: { config: { sipEnabled: false } }, microphone: true });
  });
  after(() => rig?.close());

  test('Ada (2 kHz) and Bo (3 kHz) are heard at their tiles; the speaker layout draws both toward the middle; pinning Bo moves Ada to the right; turning the head right puts her on the left', async () => {
    const { host, ada, bo } = await threeInVideoCall(rig, 'Design review');

    const lateral = async (name: string, hz: number) => {
      const { left, right } = await earLevels(host, hz);
      return { az: await azimuthOf(host, name), ild: right - left, left, right };
    };
    // Each tone is heard from its tile's side (ILD ≥ 3 dB toward it).
    const onItsSide = async () => {
      const a = await lateral('Ada', 2000);
      const b = await lateral('Bo', 3000);
      return a.az !== 0 && b.az !== 0 && Math.sign(a.ild) === Math.sign(a.az) && Math.abs(a.ild) >= 3 && Math.sign(b.ild) === Math.sign(b.az) && Math.abs(b.ild) >= 3;
    };
    await waitFor(onItsSide, 15_000, 'each tone louder on its tile’s side');
    const adaBefore = await lateral('Ada', 2000);
    const boBefore = await lateral('Bo', 3000);
    assert.ok(adaBefore.az < 0 && boBefore.az > 0, `Ada joined first, so her tile is left of Bo's: ${adaBefore.az}° / ${boBefore.az}°`);
    await screenshot(host, 'spatial-call-desktop-grid');

    // The host picks the speaker layout: for everyone one tile is large ahead, the other in the strip, and both voices leave the sides.
    await pickLayout(host, 'Speaker');
    for (const page of [host, ada, bo]) await page.locator('[data-testid=call-box][data-mode=speaker] [data-testid=call-tile][data-large=true]').waitFor();
    await waitFor(async () => {
      const a = await lateral('Ada', 2000);
      const b = await lateral('Bo', 3000);
      return Math.abs(a.ild) < Math.abs(adaBefore.ild) - 3 && Math.abs(b.ild) < Math.abs(boBefore.ild) - 3;
    }, 20_000, 'both voices move toward the middle with their tiles');
    await screenshot(host, 'spatial-call-desktop-speaker');
    // Bo keeps a grid for himself: only his screen changes.
    await pickLayout(bo, 'Grid');
    await bo.locator('[data-testid=call-box][data-mode=grid]').waitFor();
    await bo.getByTestId('unpin').waitFor();
    // Tiles glide to a new layout; without motion the screenshot shows where they land.
    await bo.emulateMedia({ reducedMotion: 'reduce' });
    await bo.setViewportSize(VIEWPORTS.phone);
    await screenshot(bo, 'spatial-call-phone-own-layout');
    assert.deepEqual(await seriousA11yViolations(bo), []);
    assert.equal(await host.getByTestId('call-box').getAttribute('data-mode'), 'speaker');
    await pickLayout(host, 'Grid');
    for (const page of [host, ada]) await page.locator('[data-testid=call-box][data-mode=grid]').waitFor();
    await waitFor(onItsSide, 15_000, 'each tone back on its grid tile’s side');

    // The host selects Bo: he is enlarged ahead for everyone, Ada moves to the strip on the right.
    await host.locator('[data-testid=call-tile][data-name="Bo"]').click();
    await host.locator('[data-testid=call-tile][data-name="Bo"][data-large=true]').waitFor();
    await ada.locator('[data-testid=call-tile][data-name="Bo"][data-large=true]').waitFor();
    assert.ok((await azimuthOf(host, 'Ada')) > 0, 'Ada’s tile is now on the right');
    await waitFor(async () => (await lateral('Ada', 2000)).ild >= 3, 20_000, 'Ada’s tone moves to the right ear');
    const boAhead = await lateral('Bo', 3000);
    assert.ok(Math.abs(boAhead.ild) < Math.abs(boBefore.ild), `Bo, now ahead, is less to one side: ${boBefore.ild.toFixed(1)} → ${boAhead.ild.toFixed(1)} dB`);
    await screenshot(host, 'spatial-call-desktop-focus');

    // Head tracking by hand: turning 90° right leaves Ada (45° right in the frame) on the left.
    await host.getByTestId('head-tracking').check();
    await host.getByTestId('head-yaw').fill('90');
    await waitFor(async () => (await lateral('Ada', 2000)).ild <= -3, 20_000, 'Ada heard on the left with the head turned right');
    await screenshot(host, 'spatial-call-desktop-head');
    assert.deepEqual(await seriousA11yViolations(host), []);

    // Phone size: the same call on Ada's screen, Bo enlarged above a strip.
    await ada.emulateMedia({ reducedMotion: 'reduce' });
    await ada.setViewportSize(VIEWPORTS.phone);
    await ada.locator('[data-testid=call-tile][data-name="Bo"][data-large=true]').waitFor();
    await screenshot(ada, 'spatial-call-phone');
    for (const p of [host, ada]) assert.doesNotMatch(await p.locator('body').innerText(), RAW_TEXT);
  });
});
