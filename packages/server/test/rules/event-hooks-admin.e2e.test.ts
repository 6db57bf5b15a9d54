import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { RAW_TEXT, screenshot, seriousA11yViolations, VIEWPORTS } from '../helpers/ui-checks.js';

/**
 * /admin › Incoming webhooks in Chromium: an admin adds a GitHub webhook and copies its
 * URL and secret off the screen; a delivery signed with them is counted as accepted, a
 * forged one as refused with the reason in words. A Stripe one (its secret pasted) at phone size.
 */
describe('incoming webhooks in /admin (Chromium)', () => {
  let rig: BrowserRig;

  before(async () => {
    rig = await startBrowserRig({ apps: ['admin/index.html'] });
  });
  after(() => rig?.close());

  test('add, copy URL and secret, see deliveries accepted and refused; at desktop and phone sizes', async () => {
    const page = await rig.open('/admin/#incoming-webhooks', { as: 'admin@acme.test', timeout: 20_000, context: { viewport: VIEWPORTS.desktop } });
    const section = page.getByTestId('section-incoming-webhooks');
    await section.waitFor();
    await page.getByTestId('hook-name').fill('Support repo');
    await page.getByTestId('hook-scheme').selectOption('github');
    assert.equal(await page.getByTestId('hook-given-secret').count(), 0, 'GitHub takes the secret callsight makes');
    await page.getByTestId('hook-submit').click();
    const url = await page.getByTestId('hook-url').inputValue();
    const secret = await page.getByTestId('hook-secret').inputValue();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api\/events\/hooks\/hook_[0-9a-z]{26}$/);
    assert.ok(secret.length >= 32);
    await screenshot(page, 'hooks-created-desktop');
    await page.getByRole('button', { name: 'Done' }).click();

    const body = JSON.stringify({ action: 'opened', issue: { number: 12, title: 'Refund not received' } });
    const send = (sig: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': `d-${sig.slice(-6)}`, 'x-hub-signature-256': sig }, body });
    assert.equal((await send(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`)).status, 202);
    assert.equal((await send(`sha256=${createHmac('sha256', 'a guess').update(body).digest('hex')}`)).status, 401);

    await page.getByTestId('hooks-refresh').click();
    const row = page.getByTestId('hook-row').filter({ hasText: 'Support repo' });
    await row.getByTestId('hook-last-refusal').waitFor();
    assert.match(await row.getByTestId('hook-accepted').innerText(), /^1\s+accepted$/);
    assert.match(await row.getByTestId('hook-refused').innerText(), /^1\s+refused$/);
    assert.match(await row.getByTestId('hook-last-refusal').innerText(), /signature does not match the body and the secret/);
    assert.match(await row.innerText(), /GitHub/);
    assert.doesNotMatch(await section.innerText(), RAW_TEXT);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'hooks-list-desktop', { fullPage: true });

    // Stripe makes its own secret: the form asks for it, and refuses one that is not Stripe's.
    await page.setViewportSize(VIEWPORTS.phone);
    await page.getByTestId('hook-name').fill('Payments');
    await page.getByTestId('hook-scheme').selectOption('stripe');
    await page.getByTestId('hook-given-secret').fill('sk_live_not_a_signing_secret');
    await page.getByTestId('hook-submit').click();
    await page.getByText('Stripe signing secrets start with whsec_').waitFor();
    await page.getByTestId('hook-given-secret').fill('whsec_pasted_from_stripe_0123');
    await page.getByTestId('hook-submit').click();
    await page.getByTestId('hook-created').waitFor();
    assert.equal(await page.getByTestId('hook-secret').count(), 0, 'a pasted secret is not shown back');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('hook-row').filter({ hasText: 'Payments' }).waitFor();
    assert.equal(await page.evaluate('document.documentElement.scrollWidth'), VIEWPORTS.phone.width, 'nothing scrolls sideways');
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'hooks-list-phone', { fullPage: true });
  });
});
