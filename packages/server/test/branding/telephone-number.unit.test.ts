import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callerIdentity } from '../../src/branding/caller-identity.js';
import { canonicalizeTn, canonicalTn, requireTn } from '../../src/branding/telephone-number.js';

describe('telephone number canonicalization (RFC 8224 §8.3, ATIS-1000074)', () => {
  const cases: [string, string][] = [
    // global numbers: digits after "+", separators dropped
    ['+12025550123', '12025550123'],
    ['+1 (202) 555-0123', '12025550123'],
    ['+1.202.555.0123', '12025550123'],
    ['+44 20 7946 0958', '442079460958'],
    // NANP national: a 10-digit NXXNXXXXXX gets country code 1
    ['2025550123', '12025550123'],
    ['(202) 555-0123', '12025550123'],
    ['12025550123', '12025550123'],
    // NANP international prefix
    ['011442079460958', '442079460958'],
    // tel URIs: global, with separators, local with a global phone-context
    ['tel:+1-202-555-0123', '12025550123'],
    ['tel:+1-202-555-0123;verstat=TN-Validation-Passed', '12025550123'],
    ['tel:202-555-0123;phone-context=+1', '12025550123'],
    ['tel:7946-0958;phone-context=+44-20', '442079460958'],
    // sip/sips URI user parts, with user=phone or not, escaped or not
    ['sip:+12025550123@carrier.example;user=phone', '12025550123'],
    ['<sip:+1-202-555-0123@carrier.example;user=phone>', '12025550123'],
    ['sips:2025550123@carrier.example', '12025550123'],
    ['sip:202.555.0123;phone-context=+1@carrier.example;user=phone', '12025550123'],
    ['sip:%2B12025550123@carrier.example', '12025550123'],
    // already canonical PASSporT form (country code first, no +): taken as is
    ['15550101', '15550101'],
    ['442079460958', '442079460958'],
  ];
  for (const [input, expected] of cases) {
    test(`${input} → ${expected}`, () => assert.deepEqual(canonicalizeTn(input), { tn: expected }));
  }

  const refused: [string, RegExp][] = [
    ['sip:alice@example.com', /"alice" is not a telephone number/],
    ['sip:example.com', /no user part/],
    ['tel:5550123;phone-context=example.com', /phone-context \(example\.com\) gives no country code/],
    ['+1202555012345678', /16 digits; E\.164 allows at most 15/],
    ['+1-800-FLOWERS', /only digits may follow the country code/],
    ['', /holds no telephone number/],
    ['sip:%ZZ@x', /not well-formed/],
  ];
  for (const [input, reason] of refused) {
    test(`${JSON.stringify(input)} is refused with a reason`, () => {
      const c = canonicalizeTn(input);
      assert.ok('problem' in c, JSON.stringify(c));
      assert.match(c.problem, reason);
    });
  }

  test('canonicalTn / requireTn: the API forms of the same rules', () => {
    assert.equal(canonicalTn('+1 (555) 010-0'), '15550100');
    assert.equal(canonicalTn('sip:bob@x'), undefined);
    assert.equal(requireTn('202-555-0123', 'from'), '12025550123');
    assert.throws(() => requireTn('tel:5550123;phone-context=example.com', 'from'), (err: Error & { code?: string }) => err.code === 'invalid_tn' && /^from: .*gives no country code/.test(err.message));
  });
});

describe('calling identity (ATIS-1000074 §5.3.1)', () => {
  test('P-Asserted-Identity wins over From when it holds a number; its display name is the carrier name', () => {
    const id = callerIdentity('"Spoofy" <sip:+15550999@gw.example>;tag=1', ['"Globex" <sip:+1-202-555-0123@carrier.example;user=phone>']);
    assert.deepEqual(id, { uri: 'sip:+1-202-555-0123@carrier.example;user=phone', source: 'P-Asserted-Identity', tn: '12025550123', displayName: 'Globex' });
  });

  test('of a sip and a tel PAI (RFC 3325 §9.1), the first with a number counts, in one header or two', () => {
    assert.equal(callerIdentity('<sip:x@y>', ['<sip:pbx@carrier.example>, <tel:+12025550123>']).tn, '12025550123');
    assert.equal(callerIdentity('<sip:x@y>', ['<sip:pbx@carrier.example>', '<tel:+12025550124>']).tn, '12025550124');
  });

  test('without a PAI, or with one that holds no number, From is the identity', () => {
    assert.deepEqual(callerIdentity('"Globex Insurance" <sip:2025550123@gw.example>;tag=9'), { uri: 'sip:2025550123@gw.example', source: 'From', tn: '12025550123', displayName: 'Globex Insurance' });
    assert.equal(callerIdentity('<sip:+12025550123@gw.example>', ['<sip:pbx@carrier.example>']).source, 'From');
    assert.equal(callerIdentity('<sip:+12025550123@gw.example>', ['garbage <<']).source, 'From');
  });

  test('a From that is not a number says why; a bare number works too', () => {
    const id = callerIdentity('<sip:alice@example.com>;tag=1');
    assert.equal(id.tn, undefined);
    assert.match(id.problem!, /"alice" is not a telephone number/);
    assert.deepEqual(callerIdentity('+15550101'), { uri: '+15550101', source: 'From', tn: '15550101' });
  });
});
