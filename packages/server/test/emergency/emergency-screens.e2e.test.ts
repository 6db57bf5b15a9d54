import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { RAW_TEXT, VIEWPORTS, screenshot, seriousA11yViolations } from '../helpers/ui-checks.js';
import { waitFor } from '../helpers/wait.js';
import { startSippPsap } from './psap.js';

/**
 * The emergency path as people see it, in Chromium: the demo customer's /phone
 * simulator sends a crash as their car would (through the device API), the full-screen
 * alert counts down, nobody cancels, the PSAP (sipp) refuses the location once (424) and answers; /admin's live list shows
 * the emergency with its location and timeline, then the recording to replay. Then the
 * cancel path: a smoke alarm cancelled inside the window places no call.
 */
describe('emergency screens: /phone alert and simulator, /admin devices and live emergencies (Chromium, sipp PSAP)', () => {
  let rig: BrowserRig;
  let phone: Page;
  let admin: Page;
  let adminCookie: string;
  let psap: Awaited<ReturnType<typeof startSippPsap>>;
  const events: AnyEvent[] = [];
  const settings = async (patch: Record<string, unknown>) => {
    const current = (await rig.s.api('GET', '/api/emergency/settings', { cookie: adminCookie })).body;
    const put = await rig.s.api('PUT', '/api/emergency/settings', { cookie: adminCookie, body: { ...current, ...patch } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
  };
  const state = (p: Page, id: string) => p.getByTestId(id).first().getAttribute('data-state');

  before(async () => {
    rig = await startBrowserRig({ apps: ['phone/index.html', 'admin/index.html'], events: { types: ['emergency.'], into: events } });
    psap = await startSippPsap({ timeoutSec: 60, refuse424: ['300 ; code="Dereference Failure"'] });
    adminCookie = await rig.s.login('admin@acme.test');
    await settings({ cancelSeconds: 6, serviceRoutes: { 'urn:service:test.sos': [psap.uri] } });
    phone = await rig.open('/phone/', { as: 'customer@acme.test', label: 'phone', context: { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true }, timeout: 20_000 });
    admin = await rig.open('/admin/#devices', { as: 'admin@acme.test', label: 'admin', context: { viewport: VIEWPORTS.desktop }, timeout: 20_000 });
  });
  after(async () => {
    psap?.kill();
    await rig?.close();
  });

  test('simulate a crash on /phone: the countdown runs out, the PSAP answers, /admin shows calling/answered with the location and the recording', async () => {
    await admin.getByTestId('no-emergencies').waitFor();
    await phone.getByTestId('simulate-crash').click();
    const alert = phone.getByTestId('emergency-alert');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('data-state'), 'countdown');
    await phone.getByTestId('emergency-countdown').waitFor();
    assert.match((await alert.textContent()) ?? '', /Car crash detected/);
    assert.match((await alert.textContent()) ?? '', /48\.8584\d° N/);
    assert.doesNotMatch((await alert.textContent()) ?? '', RAW_TEXT);
    await screenshot(phone, 'emergency-alert-countdown-phone');
    assert.deepEqual(await seriousA11yViolations(phone), []);

    // /admin sees it live while it counts down, then calling and answered.
    const card = admin.getByTestId('emergency-card').first();
    await card.waitFor();
    assert.match((await card.getByTestId('emergency-location').textContent()) ?? '', /48\.8584\d° N, 2\.29\d{3}° E.*within 6 m/);
    await waitFor(async () => ['calling', 'answered'].includes((await state(admin, 'emergency-card')) ?? ''), 20_000, 'the admin list shows the call');
    await waitFor(async () => (await state(admin, 'emergency-card')) === 'answered', 20_000, 'answered, on /admin');
    await waitFor(async () => (await state(phone, 'emergency-alert')) === 'answered', 10_000, 'answered, on /phone');
    assert.equal(psap.invites().length, 2, 'the INVITE, and once more after the 424');
    const timeline = (await card.getByTestId('emergency-timeline').textContent()) ?? '';
    for (const step of ['Detected', 'Countdown', 'Calling Test emergency service (attempt 1)', 'could not take the location (dereference failure); called again without it', 'Answered']) assert.ok(timeline.includes(step), `timeline has "${step}": ${timeline}`);
    assert.doesNotMatch((await admin.getByTestId('section-devices').textContent()) ?? '', RAW_TEXT);
    await screenshot(admin, 'emergency-admin-answered-desktop', { fullPage: true });
    await screenshot(phone, 'emergency-alert-answered-phone');

    // The PSAP hangs up (the call ends from our side here): the emergency ends and its recording can be replayed.
    const calling = events.find((e) => e.type === 'emergency.calling')!;
    const hang = await rig.s.api('POST', `/api/calls/${(calling.data as { callId: string }).callId}/hangup`, { cookie: adminCookie, body: {} });
    assert.ok(hang.status < 300, JSON.stringify(hang.body));
    await admin.locator('details summary').first().click({ timeout: 15_000 });
    await admin.getByTestId('emergency-recording').first().waitFor({ timeout: 15_000 });
    await screenshot(admin, 'emergency-admin-ended-desktop', { fullPage: true });
    await admin.setViewportSize(VIEWPORTS.phone);
    await screenshot(admin, 'emergency-admin-phone', { fullPage: true });
    await admin.setViewportSize(VIEWPORTS.desktop);
    assert.deepEqual(await seriousA11yViolations(admin), []);
  });

  test('simulate a smoke alarm and cancel inside the window: cancelled, no call; register a device from /admin with its key shown once', async () => {
    await settings({ cancelSeconds: 30 });
    await phone.locator('[data-testid=emergency-alert][data-state=ended]').waitFor();
    await phone.getByTestId('emergency-close').click();
    await phone.getByTestId('simulate-smoke').click();
    const alert = phone.getByTestId('emergency-alert');
    await phone.locator('[data-testid=emergency-alert][data-state=countdown]').waitFor();
    assert.match((await alert.textContent()) ?? '', /Smoke alarm detected.*12 Rue Cler/);
    await phone.getByTestId('emergency-cancel').click();
    await phone.locator('[data-testid=emergency-alert][data-state=cancelled]').waitFor();
    assert.match((await alert.textContent()) ?? '', /No call was placed/);
    await screenshot(phone, 'emergency-alert-cancelled-phone');
    const cancelled = events.find((e) => e.type === 'emergency.cancelled')!;
    assert.ok(cancelled, 'emergency.cancelled');
    const id = (cancelled.data as { emergencyId: string }).emergencyId;
    await admin.locator('[data-testid=emergency-card][data-state=cancelled]').first().waitFor({ state: 'attached' });
    assert.ok(!events.some((e) => e.type === 'emergency.calling' && (e.data as { emergencyId: string }).emergencyId === id), 'no call for the cancelled one');
    assert.equal(psap.invites().length, 2, 'still the INVITEs of the crash');

    await admin.getByTestId('device-name').fill('Garage CO alarm');
    await admin.getByTestId('device-kind').selectOption('alarm');
    await admin.getByTestId('device-owner').selectOption({ label: 'Casey Customer' });
    await admin.getByTestId('device-submit').click();
    const key = await admin.getByTestId('device-key').inputValue();
    assert.match(key, /^csd_[0-9a-z]{26}_/);
    await admin.locator('[data-testid=device-row][data-name="Garage CO alarm"]').waitFor();
    await screenshot(admin, 'emergency-admin-device-key-desktop');
    await phone.getByTestId('emergency-close').click();
    await phone.getByTestId('device-simulator').scrollIntoViewIfNeeded();
    await screenshot(phone, 'emergency-simulator-phone');
  });
});
