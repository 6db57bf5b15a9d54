import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { removeSeededBrands, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

/** The brand's logo as uploaded: a small SVG, like most brand marks. */
const LOGO_SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"><rect width="120" height="120" rx="24" fill="#0f766e"/>' +
    '<path d="M60 22 92 98H78l-7-18H49l-7 18H28zm0 26-7 20h14z" fill="#fff"/></svg>',
);
const SHOTS = path.join(process.env.TMPDIR ?? '/tmp', 'callsight-lockscreen');

/** Branded calling in real browsers: the admin registers a brand, rings the customer's phone app, and the lockscreen tells the truth. */
describe('branded call lockscreen in Chromium', () => {
  let rig: BrowserRig;
  let s: TestServer;
  let phone: Page;
  let admin: string;
  let brandId: string;
  let customerId: string;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    rig = await startBrowserRig({ apps: ['phone/index.html'] });
    s = rig.s;
    admin = await s.login('admin@acme.test');
    await removeSeededBrands(s);
    customerId = (await s.api('GET', '/api/me', { cookie: await s.login('customer@acme.test') })).body.user.id;
    phone = await rig.open('/phone/', { as: 'customer@acme.test', context: { viewport: { width: 390, height: 780 } } });
    await phone.getByTestId('phone-greeting').waitFor();
  });
  after(() => rig?.close());

  test('the admin registers a brand with an uploaded logo in /admin and rings the customer from it', async () => {
    const page = await rig.open('/admin/#brands', { as: 'admin@acme.test' });
    await page.getByTestId('nav-brands').click();
    await page.getByTestId('brand-name').fill('Acme Bank');
    await page.getByTestId('brand-numbers').fill('+15550101, +15550102');
    await page.getByTestId('brand-logo').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: LOGO_SVG });
    await page.getByTestId('brand-reasons').fill('Your new card is on its way');
    await page.getByTestId('brand-kind').selectOption('order');
    await page.getByTestId('brand-title').fill('Card delivery');
    await page.getByTestId('brand-submit').click();
    const row = page.locator('[data-testid=brand-row][data-name="Acme Bank"]');
    await row.waitFor();
    brandId = (await s.api('GET', '/api/branding/brands', { cookie: admin })).body.items[0].id;
    await page.screenshot({ path: path.join(SHOTS, 'admin-brands.png'), fullPage: true });

    // The content reads as its kind in words and its title, not "order: Card delivery".
    assert.match(await row.innerText(), /Order · Card delivery/);
    assert.doesNotMatch(await row.innerText(), /order:/);

    await row.getByRole('button', { name: 'Test call' }).click();
    const toast = page.locator('.toast', { hasText: 'Ringing' });
    await toast.waitFor();
    const said = await toast.innerText();
    // The verification result in words, never the raw SIP verstat value.
    assert.match(said, /Verified by the carrier \(attestation A/);
    assert.doesNotMatch(said, /TN-Validation/);
    await page.screenshot({ path: path.join(SHOTS, 'admin-test-call.png') });
    await phone.getByTestId('lockscreen').waitFor();
    await waitFor(async () => (await phone.getByTestId('lockscreen').getAttribute('data-state')) === 'verified');
    await phone.getByTestId('lockscreen-decline').click();
    await phone.getByTestId('lockscreen').waitFor({ state: 'detached' });
    await page.context().close();
  });

  test('a verified call shows logo, name, check badge and reason; its link opens the content and records the event', async () => {
    const call = await s.api('POST', '/api/branding/test-call', {
      cookie: admin,
      body: { brandId, userId: customerId, reason: 'Your new card is on its way', content: { Order: 'A-1042', Delivery: 'Tuesday 10:00-12:00' } },
    });
    assert.equal(call.status, 200, JSON.stringify(call.body));
    const lock = phone.getByTestId('lockscreen');
    await waitFor(async () => (await lock.getAttribute('data-state')) === 'verified');
    await phone.screenshot({ path: path.join(SHOTS, 'verified.png') });

    const logo = phone.getByTestId('lockscreen-logo');
    assert.match((await logo.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
    assert.ok(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the logo image loaded');
    assert.match(await phone.getByTestId('lockscreen-name').innerText(), /Acme Bank/);
    assert.ok(await phone.getByTestId('lockscreen-verified').isVisible());
    assert.equal(await phone.getByTestId('lockscreen-reason').innerText(), 'Your new card is on its way');
    assert.equal(await phone.getByTestId('lockscreen-unverified').count(), 0);

    const [content] = await Promise.all([phone.context().waitForEvent('page'), phone.getByTestId('lockscreen-link').click()]);
    await content.getByTestId('call-content').waitFor();
    const text = await content.getByTestId('call-content').innerText();
    assert.match(text, /Card delivery/);
    assert.match(text, /A-1042/);
    assert.match(text, /Tuesday 10:00-12:00/);
    await content.screenshot({ path: path.join(SHOTS, 'content.png') });
    await content.close();
    await waitFor(async () => {
      const events = (await s.api('GET', `/api/interactions/${call.body.interactionId}/timeline`, { cookie: admin })).body.items as { type: string }[];
      return events.some((e) => e.type === 'branding.link.opened');
    });
    await phone.getByTestId('lockscreen-accept').click();
    await lock.waitFor({ state: 'detached' });
  });

  test('an unsigned call shows only the number with an unverified mark', async () => {
    await s.api('POST', '/api/branding/test-call', { cookie: admin, body: { brandId, userId: customerId, mode: 'unsigned' } });
    const lock = phone.getByTestId('lockscreen');
    await waitFor(async () => (await lock.getAttribute('data-state')) === 'unverified');
    await phone.screenshot({ path: path.join(SHOTS, 'unverified.png') });
    assert.equal(await phone.getByTestId('lockscreen-number').innerText(), '+15550101');
    assert.ok(await phone.getByTestId('lockscreen-unverified').isVisible());
    assert.equal(await phone.getByTestId('lockscreen-logo').count(), 0);
    assert.equal(await phone.getByTestId('lockscreen-verified').count(), 0);
    await phone.getByTestId('lockscreen-decline').click();
    await lock.waitFor({ state: 'detached' });
  });

  test('a spoofed call (signature broken) shows a spoof warning and no brand', async () => {
    await s.api('POST', '/api/branding/test-call', { cookie: admin, body: { brandId, userId: customerId, mode: 'spoofed' } });
    const lock = phone.getByTestId('lockscreen');
    await waitFor(async () => (await lock.getAttribute('data-state')) === 'spoofed');
    await phone.screenshot({ path: path.join(SHOTS, 'spoofed.png') });
    assert.match(await phone.getByTestId('lockscreen-spoofed').innerText(), /spoofed/i);
    assert.equal(await phone.getByTestId('lockscreen-logo').count(), 0);
    assert.doesNotMatch(await lock.innerText(), /Acme Bank|Your Bank Security Team/);
    await phone.getByTestId('lockscreen-decline').click();
  });
});
