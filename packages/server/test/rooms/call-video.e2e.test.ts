import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { earLevels } from '../helpers/page-audio.js';
import { RAW_TEXT, VIEWPORTS, screenshot, seriousA11yViolations } from '../helpers/ui-checks.js';
import { waitFor } from '../helpers/wait.js';
import { threeInVideoCall } from './video-call-fixture.js';

const tile = (page: Page, name: string) => page.locator(`[data-testid=call-tile][data-name="${name}"]`);

/**
 * What a tile's <video> shows: its decoded size and how many distinct frames it presented
 * over a few animation frames (requestVideoFrameCallback), so a frozen first frame fails.
 */
function tileVideo(page: Page, name: string): Promise<{ width: number; height: number; frames: number } | null> {
  // A string: the test's TypeScript transform names inner functions with a helper the page lacks.
  return page.evaluate(`(async () => {
    const video = document.querySelector('[data-testid=call-tile][data-name=${JSON.stringify(name)}] video');
    if (!video) return null;
    const seen = new Set();
    await new Promise((resolve) => {
      const stop = setTimeout(resolve, 1500);
      const next = () =>
        video.requestVideoFrameCallback((now, meta) => {
          seen.add(meta.mediaTime);
          if (seen.size >= 5) {
            clearTimeout(stop);
            resolve();
          } else next();
        });
      next();
    });
    return { width: video.videoWidth, height: video.videoHeight, frames: seen.size };
  })()`);
}

/** Frames the tile's video presented so far, as Chromium counts them (rising while the camera runs). */
const framesShown = (page: Page, name: string) =>
  page.evaluate((name) => document.querySelector<HTMLVideoElement>(`[data-testid=call-tile][data-name="${name}"] video`)?.getVideoPlaybackQuality().totalVideoFrames ?? 0, name);

/** A video call of three Chromiums with fake cameras: a camera turned on is seen live in its tile by the others. */
describe('group call video in Chromium: camera tiles, the camera toggle and the avatar fallback', () => {
  let rig: BrowserRig;
  before(async () => {
    rig = await startBrowserRig({ apps: ['rooms/index.html'], server: { config: { sipEnabled: false } }, microphone: true });
  });
  after(() => rig?.close());

  test('Ada turns her camera on: the host and Bo see her frames advance in her tile, her voice still from it; off brings her initials back', async () => {
    const { host, ada, bo } = await threeInVideoCall(rig, 'Stand-up');
    await tile(host, 'Ada').locator('.call-avatar').waitFor();
    // The camera is switched on the open connection: nobody publishes (or so subscribes) again for it.
    const republished: string[] = [];
    await rig.s.ctx.bus.subscribe({ types: ['room.published'] }, (e) => void republished.push(e.type));

    await ada.getByTestId('camera').click();
    await ada.locator('[data-testid=camera][aria-pressed=true]').waitFor();
    await ada.locator('[data-testid=self-view] video').waitFor();

    for (const [who, page] of [['host', host], ['Bo', bo]] as const) {
      await tile(page, 'Ada').locator('video').waitFor();
      let shown: Awaited<ReturnType<typeof tileVideo>> = null;
      // Five distinct frames in one look: a frozen first frame never passes (a loaded machine may need a few looks).
      await waitFor(async () => ((shown = await tileVideo(page, 'Ada'))?.frames ?? 0) >= 5, 30_000, `Ada's frames advancing on ${who}'s screen`);
      assert.ok(shown!.width > 0 && shown!.height > 0, `${who} sees Ada's camera: ${JSON.stringify(shown)}`);
      const first = await framesShown(page, 'Ada');
      await waitFor(async () => (await framesShown(page, 'Ada')) > first + 10, 10_000, `Ada's frames still rising on ${who}'s screen`);
    }
    assert.equal(await tile(host, 'Bo').locator('video').count(), 0, 'Bo has no camera on: his tile shows his initials');

    // Her voice still comes from her tile (left of Bo's: she joined first).
    const az = Number(await tile(host, 'Ada').getAttribute('data-azimuth'));
    assert.ok(az < 0, `Ada's tile is on the left: ${az}°`);
    await waitFor(async () => {
      const { left, right } = await earLevels(host, 2000);
      return left - right >= 3;
    }, 15_000, 'Ada’s tone louder in the left ear with her camera on');
    await screenshot(host, 'call-video-desktop');
    assert.deepEqual(await seriousA11yViolations(host), []);


    await bo.emulateMedia({ reducedMotion: 'reduce' }); // tiles land at once, for the screenshot
    await bo.setViewportSize(VIEWPORTS.phone);
    await waitFor(async () => ((await tileVideo(bo, 'Ada'))?.frames ?? 0) >= 5, 10_000, 'Ada’s video on a phone-sized screen');
    await screenshot(bo, 'call-video-phone');
    assert.deepEqual(await seriousA11yViolations(bo), []);

    // Camera off: everyone sees her initials again, and she is still heard.
    await ada.getByTestId('camera').click();
    await ada.locator('[data-testid=camera][aria-pressed=false]').waitFor();
    for (const page of [host, bo]) {
      await tile(page, 'Ada').locator('.call-avatar').waitFor({ timeout: 15_000 });
      assert.equal(await tile(page, 'Ada').locator('video').count(), 0);
    }
    await waitFor(async () => (await earLevels(host, 2000)).left > -80, 15_000, 'Ada heard after her camera went off');
    await screenshot(host, 'call-video-desktop-off');
    assert.deepEqual(republished, [], 'the camera toggled without anyone publishing again');
    for (const p of [host, ada, bo]) assert.doesNotMatch(await p.locator('body').innerText(), RAW_TEXT);
  });
});
