import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnyEvent } from '../../src/bus/event-map.js';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { pageAudio } from '../helpers/page-audio.js';
import { RAW_TEXT, VIEWPORTS, screenshot, seriousA11yViolations } from '../helpers/ui-checks.js';
import { waitFor } from '../helpers/wait.js';
import { CANARY, holds, scanFiles } from './vault-helpers.js';

/**
 * The wallet on /phone in Chromium: the customer saves a card (checked as typed), calls
 * the agent on /agent (Chromium, an Opus browser ↔ browser call), and has the card read
 * into the call. The agent's screen says which card is being read (brand and last 4
 * only) and the agent hears the reading, not the customer's room (a 600 Hz tone on the
 * customer's microphone, gated for the window). Screens at phone and desktop sizes.
 */
describe('reading a saved card into a call from /phone (Chromium ↔ Chromium)', () => {
  let rig: BrowserRig;
  let customer: Page;
  let agent: Page;
  const events: AnyEvent[] = [];

  before(async () => {
    rig = await startBrowserRig({ apps: ['phone/index.html', 'agent/index.html'], events: { types: ['vault.', 'call.'], into: events }, microphone: { hz: 600, seconds: 60 } });
    customer = await rig.open('/phone/', { as: 'customer@acme.test', softphone: true, label: 'customer', context: { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true }, timeout: 30_000 });
    const agentBrowser = await rig.launch({ hz: 900, seconds: 60 });
    agent = await rig.open('/agent/', { as: 'agent@acme.test', softphone: true, label: 'agent', browser: agentBrowser, context: { viewport: VIEWPORTS.desktop }, timeout: 30_000 });
  });
  after(() => rig?.close());

  test('add a card with live validation, call the agent, read it into the call: the agent sees "Visa •••• 5556" and hears the reading without the customer’s room', async () => {
    // Adding a card: a wrong check digit is caught as typed, the right number says so.
    await customer.getByTestId('add-card').click();
    await customer.getByTestId('add-card-pan').fill('4000 0566 5566 5557');
    await customer.getByTestId('add-card-pan').blur();
    await customer.getByTestId('add-card-pan-error').waitFor();
    await customer.getByTestId('add-card-pan').fill(CANARY);
    await customer.getByTestId('add-card-pan-ok').waitFor();
    assert.equal(await customer.getByTestId('add-card-pan').inputValue(), '4000 0566 5566 5556', 'grouped as typed');
    await customer.getByTestId('add-card-month').fill('12');
    await customer.getByTestId('add-card-year').fill(String((new Date().getUTCFullYear() + 3) % 100));
    await customer.getByTestId('add-card-name').fill('Casey Customer');
    await screenshot(customer, 'vault-add-card-phone', { fullPage: true });
    await customer.getByTestId('add-card-save').click();
    await customer.getByTestId('wallet-card').first().waitFor();
    assert.match((await customer.getByTestId('wallet').textContent()) ?? '', /Visa •••• 5556/);
    assert.deepEqual(await seriousA11yViolations(customer), []);
    await screenshot(customer, 'vault-wallet-phone', { fullPage: true });

    // The call: /phone dials the agent, /agent answers.
    await customer.getByTestId('dial-input').fill('agent');
    await customer.getByTestId('dial').click();
    await agent.getByTestId('answer').click({ timeout: 15_000 });
    await waitFor(async () => (await customer.getByTestId('softphone').getAttribute('data-state')) === 'answered', 10_000, 'customer answered');
    await waitFor(() => events.some((e) => e.type === 'call.bridged'), 10_000, 'bridged');
    let before600 = 1;
    // The agent's audio element starts playing a moment after the bridge: measure once it does.
    for (let i = 0; i < 10 && before600 > 0.5; i++) {
      before600 = (await pageAudio(agent, '[data-testid="softphone-audio"]', { besideHz: 600, bandHz: 20 }).catch(() => ({ beside: 1 }))).beside ?? 1;
      if (before600 > 0.5) await new Promise((r) => setTimeout(r, 300));
    }
    assert.ok(before600 < 0.5, `before the reading the agent hears the customer's 600 Hz (share beside it ${before600.toFixed(2)})`);

    await customer.getByTestId('read-card-open').click();
    await customer.getByTestId('read-card-sheet').waitFor();
    await customer.getByTestId('read-card-expiry').setChecked(false, { timeout: 60_000 });
    await screenshot(customer, 'vault-read-sheet-phone');
    assert.deepEqual(await seriousA11yViolations(customer), []);
    await customer.getByTestId('read-card-go').click();
    await customer.locator('[data-testid=read-card-sheet][data-phase=reading]').waitFor();
    await screenshot(customer, 'vault-reading-phone');

    const banner = agent.getByTestId('card-being-read');
    await banner.waitFor({ timeout: 10_000 });
    assert.equal(await agent.getByTestId('card-being-read-label').textContent(), 'Card being read: Visa •••• 5556');
    // Measured first: on a loaded machine a screenshot can outlast the reading. The band is
    // narrow (±20 Hz, the tone's main lobe): the spectrum is one ~170 ms snapshot, and a
    // spoken vowel's first formant near 600 Hz would otherwise read as the customer's tone.
    const during = await pageAudio(agent, '[data-testid="softphone-audio"]', { besideHz: 600, bandHz: 20, ms: 1500 });
    const stillReading = (await banner.getAttribute('data-state')) === 'reading';
    await screenshot(agent, 'vault-agent-reading-desktop');
    assert.ok(stillReading, 'the measurement fell inside the reading');
    assert.ok(during.rms > 0.005, `the agent hears the reading (rms ${during.rms.toFixed(3)})`);
    assert.ok((during.beside ?? 0) > 0.9, `the customer's room is gated out (share beside 600 Hz ${during.beside?.toFixed(2)})`);

    await customer.locator('[data-testid=read-card-sheet][data-phase=done]').waitFor({ timeout: 30_000 });
    await agent.locator('[data-testid=card-being-read][data-state=done]').waitFor();
    await screenshot(customer, 'vault-read-done-phone');
    for (const p of [customer, agent]) assert.doesNotMatch((await p.locator('body').textContent()) ?? '', RAW_TEXT);
    assert.deepEqual(holds((await agent.locator('body').textContent()) ?? ''), [], 'the agent screen never shows the number');
    await customer.getByTestId('read-card-close').click();

    // Keypad capture on the same call: the agent asks, the customer keys the card on the sheet.
    await agent.getByTestId('collect-amount').fill('42.50');
    await agent.getByTestId('collect-start').click();
    const sheet = customer.getByTestId('keypad-capture');
    await sheet.waitFor({ timeout: 10_000 });
    const key = async (digits: string) => {
      for (const d of digits) await sheet.getByTestId(`key-${d}`).click();
    };
    await key(CANARY.slice(0, 8));
    await waitFor(async () => /Card number: 8 digits/.test(await agent.getByTestId('collect-stage').innerText()), 10_000, 'the agent sees the count');
    await screenshot(customer, 'vault-keypad-phone');
    await screenshot(agent, 'vault-collect-desktop');
    assert.deepEqual(await seriousA11yViolations(customer), [], 'the keypad sheet');
    await key(`${CANARY.slice(8)}#`);
    await waitFor(async () => /Expiry/.test(await agent.getByTestId('collect-stage').innerText()), 10_000, 'on to the expiry');
    assert.match(await agent.getByTestId('collect-checks').innerText(), /Visa · number checks out/);
    await key(`12${String((new Date().getUTCFullYear() + 3) % 100).padStart(2, '0')}123`);
    await agent.locator('[data-testid=collect-payment][data-state=done]').waitFor({ timeout: 15_000 });
    assert.match(await agent.getByTestId('collect-result').innerText(), /Payment accepted · Visa •••• 5556/);
    await customer.locator('[data-testid=keypad-capture][data-state=done]').waitFor();
    await screenshot(customer, 'vault-keypad-done-phone');
    await screenshot(agent, 'vault-collect-done-desktop');
    assert.deepEqual(holds((await agent.locator('body').textContent()) ?? ''), [], 'the agent screen never shows the keyed number');
    assert.ok(!events.some((e) => e.type === 'call.dtmf'), 'no key became a call.dtmf event');
    await customer.getByTestId('keypad-close').click();

    await customer.getByTestId('hangup').click();
    await waitFor(() => events.filter((e) => e.type === 'call.ended').length >= 2, 10_000, 'ended');

    // The desktop wallet.
    await customer.setViewportSize(VIEWPORTS.desktop);
    await screenshot(customer, 'vault-wallet-desktop', { fullPage: true });
    assert.deepEqual(scanFiles(rig.s.reuseInfo.dataDir), [], 'the canary is nowhere in the data dir');
    assert.ok(events.some((e) => e.type === 'vault.card.spoken'));
    assert.deepEqual(holds(JSON.stringify(events)), []);
  });
});
