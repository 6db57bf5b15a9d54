import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { brandLengths, cardBrand, groupSizes, luhnValid, panGroups, validateCard } from '@callsight/protocol';
import { announceToBridge } from '../../src/media/announce.js';
import { blockEnergy, goertzelPower } from '../../src/media/goertzel.js';
import { generateTone } from '../../src/media/tone.js';
import type { Tts } from '../../src/media/tts.js';
import { CardSpeech, normalize, trim } from '../../src/vault/card-speech.js';
import { cardAad, keyedHash, seal, withOpened, type Sealed } from '../../src/vault/envelope.js';
import { KeyringEnvProvider, LocalKeyFileProvider, type KeyProvider } from '../../src/vault/key-provider.js';
import { fakeBridge } from '../helpers/fake-bridge.js';
import { concatPcm } from '../helpers/pcm.js';

test('Luhn (ISO/IEC 7812): test numbers pass, one changed digit or a swap fails', () => {
  for (const pan of ['4111111111111111', '5555555555554444', '2223003122003222', '378282246310005', '6011111111111117', '3530111333300000', '4000056655665556', '36227206271667'])
    assert.ok(luhnValid(pan), pan);
  assert.equal(luhnValid('4111111111111112'), false);
  assert.equal(luhnValid('4111111111111121'), false, 'an adjacent swap');
  assert.equal(luhnValid('41111111111a1111'), false);
  assert.equal(luhnValid('4111'), false, 'too short');
});

test('brand from IIN ranges: Mastercard 2-series, 8-digit BINs, Amex and Diners lengths', () => {
  assert.equal(cardBrand('4'), 'visa');
  assert.equal(cardBrand('222100'), 'mastercard');
  assert.equal(cardBrand('272099'), 'mastercard');
  assert.equal(cardBrand('272100'), 'unknown', 'past the 2-series');
  assert.equal(cardBrand('222099'), 'unknown', 'before the 2-series');
  assert.equal(cardBrand('51'), 'mastercard');
  assert.equal(cardBrand('34'), 'amex');
  assert.equal(cardBrand('37'), 'amex');
  assert.equal(cardBrand('6011'), 'discover');
  assert.equal(cardBrand('65'), 'discover');
  assert.equal(cardBrand('62212600'), 'discover', '8-digit BIN in the Discover part of 62');
  assert.equal(cardBrand('62000000'), 'unionpay');
  assert.equal(cardBrand('35280000'), 'jcb');
  assert.equal(cardBrand('30500000'), 'diners');
  assert.equal(cardBrand('67590000'), 'maestro');
  assert.deepEqual(brandLengths('amex'), [15]);
  assert.deepEqual(groupSizes('amex', 15), [4, 6, 5]);
  assert.deepEqual(groupSizes('visa', 16), [4, 4, 4, 4]);
  assert.deepEqual(groupSizes('visa', 19), [4, 4, 4, 4, 3]);
  assert.deepEqual(panGroups('378282246310005'), ['3782', '822463', '10005']);
});

test('card validation names each bad field; a 16-digit Amex, a bad check digit and a past expiry are refused', () => {
  const now = new Date(Date.UTC(2026, 11, 2));
  const ok = { pan: '4111 1111 1111 1111', expMonth: 12, expYear: 2026, holderName: 'Ada Lovelace' };
  assert.deepEqual(validateCard(ok, now), []);
  const paths = (i: Parameters<typeof validateCard>[0]) => validateCard(i, now).map((x) => x.path);
  assert.deepEqual(paths({ ...ok, pan: '4111111111111112' }), ['body.pan']);
  assert.deepEqual(paths({ ...ok, pan: '3782822463100051' }), ['body.pan']);
  assert.deepEqual(paths({ ...ok, expMonth: 11 }), ['body.expYear'], 'expired last month');
  assert.deepEqual(paths({ ...ok, expMonth: 13 }), ['body.expMonth']);
  assert.deepEqual(paths({ ...ok, holderName: '4111111111111111' }), ['body.holderName'], 'no number in the plaintext name');
  for (const issue of validateCard({ ...ok, pan: '4111111111111112' }, now)) assert.ok(!issue.message.includes('4111'), 'messages never repeat the number');
});

function providers(): [string, () => KeyProvider][] {
  const key = () => randomBytes(32).toString('base64');
  return [
    ['local key file', () => new LocalKeyFileProvider(path.join(mkdtempSync(path.join(tmpdir(), 'vault-')), 'keys.json'))],
    ['env keyring', () => new KeyringEnvProvider(`1:${key()},2:${key()},hmac:${key()}`)],
  ];
}

for (const [name, make] of providers()) {
  test(`envelope (${name}): sealed numbers open only with their own tenant, customer and card; data keys re-wrap`, async () => {
    const provider = make();
    const pan = Buffer.from('4111111111111111');
    const aad = cardAad('ten_a', 'usr_a', 'vtk_a');
    const sealed = await seal(provider, pan, aad);
    assert.ok(!sealed.box.includes(pan), 'the number is not in the ciphertext');
    let seen: Buffer | null = null;
    const back = await withOpened(provider, sealed, aad, (p) => ((seen = p), p.toString()));
    assert.equal(back, '4111111111111111');
    assert.ok(seen!.every((b: number) => b === 0), 'plaintext zeroed after the scope');
    await assert.rejects(withOpened(provider, sealed, cardAad('ten_b', 'usr_a', 'vtk_a'), () => 0), 'another tenant');
    await assert.rejects(withOpened(provider, sealed, cardAad('ten_a', 'usr_b', 'vtk_a'), () => 0), 'another customer');
    await assert.rejects(withOpened(provider, sealed, cardAad('ten_a', 'usr_a', 'vtk_b'), () => 0), 'another card');
    const h = await provider.hashKey();
    assert.equal(keyedHash(h, 't', pan), keyedHash(h, 't', Buffer.from('4111111111111111')), 'duplicates hash equal');
    assert.notEqual(keyedHash(h, 't', pan), keyedHash(h, 'u', pan), 'per tenant');
  });
}

test('rotation under concurrent load: a new version re-wraps every data key while cards are sealed and opened; none is lost, and retired versions stop decrypting', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vault-'));
  const file = path.join(dir, 'keys.json');
  const provider = new LocalKeyFileProvider(file);
  assert.equal(statSync(file).mode & 0o777, 0o600, 'key file private');
  const cards = new Map<string, { sealed: Sealed; pan: string }>();
  const panOf = (i: number) => {
    const body = `4${String(i).padStart(14, '0')}`;
    for (let d = 0; d < 10; d++) if (luhnValid(body + d)) return body + d;
    throw new Error('no check digit');
  };
  const aadOf = (id: string) => cardAad('ten', 'usr', id);
  let n = 0;
  const add = async () => {
    const id = `vtk_${n++}`;
    const pan = panOf(n);
    cards.set(id, { sealed: await seal(provider, Buffer.from(pan), aadOf(id)), pan });
  };
  for (let i = 0; i < 200; i++) await add();
  const rewrapAll = async () => {
    let moved = 0;
    for (;;) {
      const { currentVersion } = await provider.status();
      const old = [...cards].filter(([, c]) => c.sealed.key.version < currentVersion);
      if (old.length === 0) return moved;
      for (const [id, c] of old) {
        const key = await provider.rewrap(c.sealed.key, aadOf(id));
        // Compare-and-set like the store's update: only if the card was not changed meanwhile.
        if (cards.get(id) === c) {
          cards.set(id, { ...c, sealed: { box: c.sealed.box, key } });
          moved++;
        }
      }
    }
  };
  let opened = 0;
  let stop = false;
  const load = (async () => {
    while (!stop) {
      await add();
      const ids = [...cards.keys()];
      const id = ids[Math.floor(Math.random() * ids.length)];
      const c = cards.get(id)!;
      assert.equal(await withOpened(provider, c.sealed, aadOf(id), (p) => p.toString()), c.pan);
      opened++;
      await new Promise((r) => setImmediate(r));
    }
  })();
  const v2 = await provider.rotate();
  const moved = await rewrapAll();
  stop = true;
  await load;
  await rewrapAll();
  assert.equal(v2, 2);
  assert.ok(moved >= 200, `every card moved (${moved})`);
  assert.ok(opened > 0);
  for (const [id, c] of cards) {
    assert.equal(c.sealed.key.version, 2);
    assert.equal(await withOpened(provider, c.sealed, aadOf(id), (p) => p.toString()), c.pan, 'no card lost');
  }
  const stale = await seal(provider, Buffer.from('x'), aadOf('z'));
  await provider.setMinDecryptionVersion(2);
  const before = { ...stale, key: { ...stale.key, version: 1 } };
  await assert.rejects(withOpened(provider, before, aadOf('z'), () => 0), /below the minimum decryption version/);
  const reread = new LocalKeyFileProvider(file);
  assert.deepEqual(await reread.status(), { currentVersion: 2, minDecryptionVersion: 2, versions: [1, 2] }, 'the key file keeps versions and the minimum');
  assert.ok(!readFileSync(file, 'utf8').includes('4111'));
});

test('the env keyring cannot rotate by itself and refuses malformed keys', async () => {
  const k = randomBytes(32).toString('base64');
  await assert.rejects(new KeyringEnvProvider(`1:${k},hmac:${k}`).rotate(), (e: { code?: string }) => e.code === 'vault_rotation_unsupported');
  assert.throws(() => new KeyringEnvProvider(`1:abc,hmac:${k}`), /not a base64 32-byte key/);
  assert.throws(() => new KeyringEnvProvider(`1:${k}`), /hmac/);
});

/** A TTS that renders each digit as its own tone, so the test can tell digits apart. */
const toneTts: Tts & { texts: string[] } = {
  texts: [],
  async synthesize(text) {
    toneTts.texts.push(text);
    const d = /^[0-9]$/.test(text) ? Number(text) : -1;
    return concatPcm([new Int16Array(400), generateTone([d < 0 ? 300 : 600 + d * 100], 120), new Int16Array(400)]);
  },
};

test('card speech: digit clips in groups (4-4-4-4, 4-6-5), level-normalized, and no number reaches the TTS', async () => {
  const speech = new CardSpeech(toneTts);
  const pcm = await speech.render([{ label: 'Card number', groups: [Buffer.from('3782'), Buffer.from('822463'), Buffer.from('10005')] }]);
  assert.ok(toneTts.texts.every((t) => t.length === 1 || /^[A-Za-z ]+$/.test(t)), `only single digits and labels: ${toneTts.texts.join(',')}`);
  // Find the digits back: 120 ms tones separated by silence.
  const found: number[] = [];
  for (let at = 0; at + 160 <= pcm.length; ) {
    const block = pcm.subarray(at, at + 160);
    if (blockEnergy(block) / 160 > 1e5) {
      const tone = pcm.subarray(at, at + 640);
      let best = -1;
      let bestP = 0;
      for (let d = -1; d < 10; d++) {
        const p = goertzelPower(tone, d < 0 ? 300 : 600 + d * 100, 8000);
        if (p > bestP) [best, bestP] = [d, p];
      }
      // A tone's tail caught by the window is no digit: only a clear tone counts.
      if (bestP / blockEnergy(tone) > 0.3) found.push(best);
      at += 1100;
    } else at += 80;
  }
  assert.deepEqual(found.filter((d) => d >= 0).join(''), '378282246310005');
  const lv = (d: number) => {
    const c = trim(normalize(generateTone([1000], 100, { levelDbfs: d })));
    return Math.sqrt(blockEnergy(c) / c.length);
  };
  assert.ok(Math.abs(lv(-40) - lv(-6)) < 50, 'quiet and loud clips come out at one level');
});

test("a gated announcement: the far end hears the prompt and nothing from the gated side's microphone; the gated side hears both", async () => {
  const { a, b, tick } = fakeBridge();
  const playback = announceToBridge(a, b, generateTone([2000], 200), { gate: 'a' });
  for (let i = 0; i < 12; i++) tick();
  assert.equal(await playback.done, 'completed');
  const share = (pcm: Int16Array, hz: number) => goertzelPower(pcm, hz, 8000) / blockEnergy(pcm);
  const toA = concatPcm(a.got.slice(1));
  const toB = concatPcm(b.got.slice(1));
  assert.ok(share(toB, 2000) > 0.5 && share(toB, 500) < 0.001, 'B hears the prompt, not A');
  assert.ok(share(toA, 1000) > 0.3 && share(toA, 2000) > 0.3, 'A hears B and the prompt');
});
