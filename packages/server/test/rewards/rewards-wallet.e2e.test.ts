import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { startBrowserRig, type BrowserRig } from '../helpers/browser-rig.js';
import { CHAIN_ID, HOT_WALLET_KEY, startLocalChain, type LocalChain } from '../helpers/local-chain.js';
import { RAW_TEXT, screenshot, seriousA11yViolations, VIEWPORTS } from '../helpers/ui-checks.js';
import { waitFor } from '../helpers/wait.js';

const PAYEE = '0x52908400098527886E0F7030069857D2E4169EE7';
const UNITS_PER_POINT = 10_000n; // 0.01 CSTD (6 decimals) per point

/**
 * Rewards in Chromium: the customer opens a branded call's content from the lockscreen,
 * the points it earned appear in /phone, they redeem them to their wallet address (a
 * mistyped checksum caught as typed), follow it until the local chain confirmed it, and
 * /admin shows the program's payout and the redemption. The chain's balance of that
 * address rises by exactly the converted amount.
 */
describe('rewards wallet in Chromium', () => {
  let rig: BrowserRig;
  let chain: LocalChain;

  before(async () => {
    chain = await startLocalChain();
    rig = await startBrowserRig({ apps: ['phone/index.html', 'admin/index.html'] });
  });
  after(async () => {
    await rig?.close();
    await chain?.close();
  });

  test('earn from a branded call’s content → see it in /phone → redeem to a wallet → /admin sees it', async () => {
    const s = rig.s;
    const admin = await s.client('admin@acme.test');
    await admin.rewards.configurePayout({ rpcUrl: chain.rpcUrl, chainId: CHAIN_ID, tokenAddress: chain.token, unitsPerPoint: String(UNITS_PER_POINT), confirmations: 2, privateKey: HOT_WALLET_KEY });
    await admin.rewards.createProgram({ name: 'Brand engagement', budget: 100_000, period: 'month', target: 120, weights: { call_content_viewed: 1, card_completed: 2 } });
    const brand = (await admin.brands.list()).items[0];
    assert.ok(brand, 'the demo tenant has a brand');
    const customerId = (await admin.users.list()).items.find((u) => u.email === 'customer@acme.test')!.id;
    const customer = await s.client('customer@acme.test');

    const phone = await rig.open('/phone/', { as: 'customer@acme.test', context: { viewport: VIEWPORTS.phone } });
    await phone.getByTestId('rewards-balance').waitFor();
    assert.equal(await phone.getByTestId('rewards-balance').getAttribute('data-points'), '0');

    // The sender-controlled media: the brand's content behind the lockscreen link.
    const call = await admin.branding.testCall({ brandId: brand.id, userId: customerId, reason: brand.reasons[0], content: { Order: 'A-77' } });
    const lock = phone.getByTestId('lockscreen');
    await waitFor(async () => (await lock.getAttribute('data-state')) === 'verified', 15_000, 'the branded call rings');
    const [content] = await Promise.all([phone.context().waitForEvent('page'), phone.getByTestId('lockscreen-link').click()]);
    await content.getByTestId('call-content').waitFor();
    await content.close();
    await phone.getByTestId('lockscreen-decline').click();
    await lock.waitFor({ state: 'detached' });
    void call;

    const earned = phone.getByTestId('rewards-earned');
    await earned.waitFor({ timeout: 15_000 });
    assert.match(await earned.innerText(), new RegExp(`\\+\\d+ points[\\s\\S]*Viewed ${brand.name}’s call content`));
    const points = Number(await phone.getByTestId('rewards-balance').getAttribute('data-points'));
    assert.ok(points > 0, 'the award shows in the balance');
    assert.match(await phone.getByTestId('rewards-history').innerText(), new RegExp(`Viewed ${brand.name}’s call content`));
    assert.match(await phone.getByTestId('rewards-money').innerText(), /CSTD/);
    await screenshot(phone, 'rewards-phone-earned', { fullPage: true });

    // Redeem to a wallet: a wrong checksum is refused as typed, the right one confirmed, then followed until mined.
    await phone.getByTestId('rewards-redeem-open').click();
    const sheet = phone.getByTestId('redeem-sheet');
    await phone.getByTestId('redeem-kind-crypto').click();
    const wrong = PAYEE.replace('9EE7', '9Ee7'); // one letter's case changed: the same hex, a broken checksum
    await phone.getByTestId('redeem-address').fill(wrong);
    assert.match(await phone.getByTestId('redeem-address-hint').innerText(), /checksum/);
    await phone.getByTestId('redeem-review').click();
    assert.equal(await sheet.getAttribute('data-phase'), 'form', 'a bad checksum does not get to the confirmation');
    await phone.getByTestId('redeem-address').fill(PAYEE);
    assert.match(await phone.getByTestId('redeem-address-hint').innerText(), /Checksum matches/);
    await screenshot(phone, 'rewards-phone-redeem');
    assert.deepEqual(await seriousA11yViolations(phone), []);
    await phone.getByTestId('redeem-review').click();
    const expected = BigInt(points) * UNITS_PER_POINT;
    assert.match(await phone.getByTestId('redeem-confirm-to').innerText(), new RegExp(PAYEE));
    const before = await chain.balanceOf(PAYEE);
    await phone.getByTestId('redeem-confirm').click();
    const status = phone.getByTestId('redeem-status');
    await status.waitFor();
    await waitFor(async () => (await status.getAttribute('data-status')) === 'submitted' || (await status.getAttribute('data-status')) === 'confirmed', 20_000, 'the payout sent');
    await chain.mine(2);
    await waitFor(async () => (await status.getAttribute('data-status')) === 'confirmed', 30_000, 'the payout confirmed');
    assert.match(await phone.getByTestId('redeem-tx').innerText(), /^0x[0-9a-f]{6}…[0-9a-f]{6}$/);
    await screenshot(phone, 'rewards-phone-paid');
    assert.equal((await chain.balanceOf(PAYEE)) - before, expected, 'the chain paid exactly the converted amount');
    await phone.getByTestId('redeem-close').click();
    await waitFor(async () => (await phone.getByTestId('rewards-balance').getAttribute('data-points')) === '0');
    assert.doesNotMatch(await phone.locator('main').innerText(), RAW_TEXT);

    // Downloads at 390 px: the chain's proof of the payment, and this month's statement.
    const save = async (testId: string) => {
      const [file] = await Promise.all([phone.waitForEvent('download'), phone.getByTestId(testId).click()]);
      return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
    };
    const paid = (await customer.rewards.redemptions()).items[0]!;
    const proofFile = await save('rewards-proof-download');
    assert.match(proofFile.name, /^rewards-payment-0x[0-9a-f]{8}\.json$/);
    const proof = JSON.parse(proofFile.text);
    assert.equal(proof.txHash, paid.txHash);
    assert.equal(proof.to, PAYEE);
    assert.equal(proof.amount, expected.toString());
    assert.equal(proof.chainId, CHAIN_ID);
    assert.match(proof.blockNumber, /^\d+$/);
    const statementFile = await save('rewards-statement-download');
    const period = new Date().toISOString().slice(0, 7);
    assert.equal(statementFile.name, `rewards-statement-${period}.csv`);
    assert.equal(statementFile.text, await customer.rewards.statementCsv(period));
    const lines = statementFile.text.trim().split('\r\n');
    assert.equal(lines[0], 'date,activity,points,value,asset,redemption');
    assert.equal(lines.length, 1 + (await customer.rewards.statement(period)).entries.length);
    assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth), VIEWPORTS.phone.width);
    assert.deepEqual(await seriousA11yViolations(phone), []);
    await screenshot(phone, 'rewards-phone-downloads', { fullPage: true });

    // /admin: the program's period shows the payout, and the redemption is listed as paid.
    const page = await rig.open('/admin/#rewards', { as: 'admin@acme.test', context: { viewport: VIEWPORTS.desktop } });
    await page.getByTestId('nav-rewards').click();
    await page.getByTestId('reward-pacing').waitFor();
    await waitFor(async () => (await page.getByTestId('pacing-spent').innerText()).includes(points.toLocaleString('en-US')));
    await page.locator('[data-testid=reward-redemption-row][data-status=confirmed]').waitFor();
    assert.match(await page.getByTestId('reward-redemptions').innerText(), /0x5290…9EE7/);
    assert.match(await page.getByTestId('pacing-values').innerText(), /Viewed a branded call’s content/);
    assert.doesNotMatch(await page.locator('main').innerText(), RAW_TEXT);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'rewards-admin-desktop', { fullPage: true });
    await page.setViewportSize(VIEWPORTS.phone);
    // At 390 px the redemptions read as stacked rows: neither the page nor the table scrolls sideways.
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), VIEWPORTS.phone.width);
    const wrap = page.getByTestId('reward-redemptions').locator('.table-wrap');
    assert.ok(await wrap.evaluate((el) => el.scrollWidth <= el.clientWidth), 'the redemptions table fits without scrolling sideways');
    const label = await page.getByTestId('reward-redemption-row').first().locator('td').last().evaluate((td) => getComputedStyle(td, '::before').content);
    assert.equal(label, '"Transaction"', 'each value is labelled in its row');
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'rewards-admin-phone', { fullPage: true });
  });
});
