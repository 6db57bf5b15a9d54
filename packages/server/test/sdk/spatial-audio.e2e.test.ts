import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { computeLayout, type SpatialPosition } from '@callsight/sdk';
import { launchChromium } from '../helpers/chromium.js';
import { sdkPage } from '../helpers/sdk-page.js';
import { waitFor } from '../helpers/wait.js';
import { SPATIAL_HARNESS } from './spatial-harness.js';

interface Cues {
  itdMs: number;
  ildDb: number;
  ildBandDb: number;
  left: number;
  right: number;
}

const at = (azimuth: number, elevation = 0, distance = 1): SpatialPosition => ({ azimuth, elevation, distance });

/** The SDK's Spatializer in headless Chromium: offline renders measured for the cues a listener localizes by. */
describe('spatial audio in Chromium (OfflineAudioContext)', () => {
  let browser: Browser;
  let page: Page;
  before(async () => {
    // The fake-media flags include the autoplay policy a realtime AudioContext needs without a gesture.
    browser = await launchChromium({ fakeMedia: true });
    page = await sdkPage(browser, { harness: SPATIAL_HARNESS });
  });
  after(() => browser?.close());

  const cuesAt = (position: SpatialPosition, opts: { pose?: object; forceEqualPower?: boolean } = {}) =>
    page.evaluate(
      async ({ position, opts }) => {
        const t = (window as any).spatialTest;
        const r = await t.render({ sources: [{ position }], ...opts });
        return { ...(await t.cues(r.buffer)), panningModel: r.panningModel as string };
      },
      { position, opts },
    ) as Promise<Cues & { panningModel: string }>;

  test('a voice on the left tile is louder in the left ear and arrives there first; ITD and 2–8 kHz ILD grow with azimuth', async () => {
    const byAz: Record<number, Cues & { panningModel: string }> = {};
    for (const az of [-60, -30, -15, 0, 15, 30, 60]) byAz[az] = await cuesAt(at(az));
    assert.equal(byAz[0].panningModel, 'HRTF');
    assert.ok(Math.abs(byAz[0].itdMs) < 0.05 && Math.abs(byAz[0].ildBandDb) < 1, `straight ahead is centred: ${JSON.stringify(byAz[0])}`);
    for (const az of [15, 30, 60]) {
      const left = byAz[-az];
      const right = byAz[az];
      assert.ok(left.itdMs > 0 && left.ildDb > 0 && left.ildBandDb > 0, `${-az}°: left first and louder, ${JSON.stringify(left)}`);
      assert.ok(right.itdMs < 0 && right.ildDb < 0 && right.ildBandDb < 0, `${az}°: right first and louder, ${JSON.stringify(right)}`);
    }
    assert.ok(byAz[-15].itdMs < byAz[-30].itdMs && byAz[-30].itdMs < byAz[-60].itdMs, `ITD grows: ${[-15, -30, -60].map((a) => byAz[a].itdMs.toFixed(3))}`);
    assert.ok(byAz[-15].ildBandDb < byAz[-30].ildBandDb && byAz[-30].ildBandDb < byAz[-60].ildBandDb, `ILD grows: ${[-15, -30, -60].map((a) => byAz[a].ildBandDb.toFixed(1))}`);
    // A head is ~0.18 m across: the ITD at 60° is a few tenths of a millisecond.
    assert.ok(byAz[-60].itdMs > 0.25 && byAz[-60].itdMs < 0.9, `ITD at 60°: ${byAz[-60].itdMs} ms`);
    assert.ok(byAz[-60].ildBandDb > 6, `head shadow at 60°: ${byAz[-60].ildBandDb} dB`);
  });

  test('turning the listener by ψ sounds the same as turning every voice by −ψ (voices fixed to the frame)', async () => {
    const diff = (a: object, b: object) =>
      page.evaluate(
        async ({ a, b }) => {
          const t = (window as any).spatialTest;
          return t.difference((await t.render(a)).buffer, (await t.render(b)).buffer);
        },
        { a, b },
      );
    const yawed = await diff({ sources: [{ position: at(20) }], pose: { yaw: 30, pitch: 0, roll: 0 } }, { sources: [{ position: at(-10) }] });
    assert.ok(yawed < 0.05, `yaw: listener +30° vs voice −30°, difference ${yawed}`);
    // (Chromium's HRTF data jumps just past 60°, so the voices keep off its 15° grid points.)
    const twoVoices = await diff(
      { sources: [{ position: at(-42) }, { position: at(32) }], pose: { yaw: -25, pitch: 0, roll: 0 } },
      { sources: [{ position: at(-17) }, { position: at(57) }] },
    );
    assert.ok(twoVoices < 0.05, `two voices, listener −25°: difference ${twoVoices}`);
    const pitched = await diff({ sources: [{ position: at(0, 10) }], pose: { yaw: 0, pitch: 10, roll: 0 } }, { sources: [{ position: at(0, 0) }] });
    assert.ok(pitched < 0.05, `pitch: difference ${pitched}`);
    // And a turn is not a no-op: the same voice without the turn differs.
    const unturned = await diff({ sources: [{ position: at(20) }] }, { sources: [{ position: at(-10) }] });
    assert.ok(unturned > 0.3, `different positions differ: ${unturned}`);
  });

  test('selecting a participant moves each voice to its new tile within the transition, without clicks', async () => {
    const participants = ['p0', 'p1', 'p2'].map((id) => ({ id, kind: 'video' as const }));
    const viewport = { width: 1440, height: 900 };
    const grid = computeLayout({ participants, viewport, mode: 'grid' });
    const focus = computeLayout({ participants, viewport, mode: 'focus', featured: 'p2' });
    const MOVE_AT = 0.4;
    const TRANSITION_MS = 400;
    for (const id of ['p0', 'p1', 'p2']) {
      const from = grid.tiles.find((t) => t.id === id)!.position!;
      const to = focus.tiles.find((t) => t.id === id)!.position!;
      const r = await page.evaluate(
        async ({ id, from, to, MOVE_AT, TRANSITION_MS }) => {
          const t = (window as any).spatialTest;
          const signal = { hz: 440 };
          const moving = await t.render({ seconds: 1.3, sources: [{ id, position: from, signal }], moves: [{ id, at: MOVE_AT, position: to, transitionMs: TRANSITION_MS }] });
          const before = await t.render({ seconds: 1.3, sources: [{ id, position: from, signal }] });
          const after = await t.render({ seconds: 1.3, sources: [{ id, position: to, signal }] });
          return {
            early: await t.cues(moving.buffer, 0.1, MOVE_AT),
            late: await t.cues(moving.buffer, MOVE_AT + TRANSITION_MS / 1000 + 0.05, 1.3),
            staticFrom: await t.cues(before.buffer, 0.1, 1.3),
            staticTo: await t.cues(after.buffer, 0.1, 1.3),
            stepMoving: t.maxStep(moving.buffer, MOVE_AT - 0.05, MOVE_AT + TRANSITION_MS / 1000 + 0.1),
            stepStatic: Math.max(t.maxStep(before.buffer, 0.1, 1.3), t.maxStep(after.buffer, 0.1, 1.3)),
            endPosition: moving.positions[id],
          };
        },
        { id, from, to, MOVE_AT, TRANSITION_MS },
      );
      assert.ok(Math.abs(r.early.ildDb - r.staticFrom.ildDb) < 1, `${id} before the move sounds at its grid tile: ${r.early.ildDb} vs ${r.staticFrom.ildDb}`);
      assert.ok(Math.abs(r.late.ildDb - r.staticTo.ildDb) < 1, `${id} after the transition sounds at its focus tile: ${r.late.ildDb} vs ${r.staticTo.ildDb}`);
      assert.deepEqual(r.endPosition, to);
      // A click is a step far above the signal's own: moving stays within 2× (6 dB) of the still voice's largest step.
      assert.ok(r.stepMoving <= r.stepStatic * 2, `${id}: largest step while moving ${r.stepMoving.toFixed(4)} vs ${r.stepStatic.toFixed(4)} when still (no click)`);
    }
    // The bound catches a click: an equal-power voice switched across the head at once, with no transition.
    const hard = await page.evaluate(async () => {
      const t = (window as any).spatialTest;
      const signal = { hz: 440 };
      const jump = await t.render({ seconds: 1, forceEqualPower: true, sources: [{ id: 'x', position: { azimuth: -60, elevation: 0, distance: 1 }, signal }], moves: [{ id: 'x', at: 0.5 + 1 / 1760, position: { azimuth: 60, elevation: 0, distance: 1 }, transitionMs: 0 }] }); // at a peak of the tone
      return { jump: t.maxStep(jump.buffer, 0.45, 0.6), still: t.maxStep(jump.buffer, 0.1, 0.45) };
    });
    assert.ok(hard.jump > hard.still * 2, `an instant switch is a click by this measure: ${hard.jump.toFixed(4)} vs ${hard.still.toFixed(4)}`);
    // The selected tile moved to the centre: its voice is now straight ahead.
    assert.deepEqual(focus.tiles.find((t) => t.id === 'p2')!.position, { azimuth: 0, elevation: 0, distance: 1 });
  });

  test('without HRTF the Spatializer falls back to equal-power panning, still left for a left tile', async () => {
    const c = await cuesAt(at(-45), { forceEqualPower: true });
    assert.equal(c.panningModel, 'equalpower');
    assert.ok(c.ildDb > 3, `equal-power left: ${c.ildDb} dB`);
    assert.ok(Math.abs(c.itdMs) < 0.03, `equal-power has no time difference: ${c.itdMs}`);
  });

  test('a head pose injected through DevTools (DeviceOrientation override) turns the sound image so the voice stays in the frame', async () => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DeviceOrientation.setDeviceOrientationOverride', { alpha: 0, beta: 0, gamma: 0 });
    await page.evaluate(async () => {
      const { Spatializer, HeadTracker } = (window as any).Callsight;
      const ctx = new AudioContext();
      await ctx.resume();
      const out = new GainNode(ctx);
      out.connect(ctx.destination);
      const split = new ChannelSplitterNode(ctx, { numberOfOutputs: 2 });
      out.connect(split);
      const meters = [0, 1].map((ch) => {
        const a = new AnalyserNode(ctx, { fftSize: 2048 });
        split.connect(a, ch);
        return a;
      });
      const spatial = new Spatializer({ context: ctx, output: out });
      const tone = new OscillatorNode(ctx, { frequency: 3000 });
      tone.start();
      spatial.addSource('voice', tone, { azimuth: 45, elevation: 0, distance: 1 });
      const tracker = new HeadTracker();
      tracker.on('pose', (pose: object, readingTime: number) => spatial.setListenerPose(pose, { readingTime }));
      await tracker.start('device-orientation');
      (window as any).head = {
        tracker,
        spatial,
        balance: () => {
          const lv = meters.map((m) => {
            const d = new Float32Array(m.fftSize);
            m.getFloatTimeDomainData(d);
            return Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length);
          });
          return 20 * Math.log10((lv[0] + 1e-9) / (lv[1] + 1e-9));
        },
      };
    });
    const balance = () => page.evaluate(() => (window as any).head.balance() as number);
    const yaw = () => page.evaluate(() => (window as any).head.tracker.pose.yaw as number);
    await waitFor(async () => (await balance()) < -3, 5000, 'facing the frame, the voice at 45° right is louder on the right');
    // Turn the head 90° to the right (deviceorientation alpha turns the other way): the voice is now 45° to the left.
    await cdp.send('DeviceOrientation.setDeviceOrientationOverride', { alpha: 270, beta: 0, gamma: 0 });
    await waitFor(async () => (await yaw()) === 90, 5000, 'the tracker reads a 90° turn');
    await waitFor(async () => (await balance()) > 3, 5000, 'after turning right, the voice is on the left');
    const latency = await page.evaluate(() => (window as any).head.spatial.motionToSoundMs as number);
    assert.ok(Number.isFinite(latency) && latency > 0 && latency < 500, `motion-to-sound latency measured: ${latency} ms`);
    await cdp.send('DeviceOrientation.clearDeviceOrientationOverride');
    await page.evaluate(() => (window as any).head.spatial.close());
  });
});
