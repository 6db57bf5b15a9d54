import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GnssFix } from '@callsight/protocol';
import { buildMsd, ecallUrn, isTestService } from '../../src/emergency/ecall.js';
import { decodeMsd, DIRECTION_UNKNOWN, encodeMsd, POSITION_UNKNOWN, type Msd } from '../../src/emergency/ecall-msd.js';

/**
 * A published MSD (version 1) from another implementation: the test MSD of the Legato
 * eCall service (Sierra Wireless, apps/test/modemServices/ecall), VIN WM9VDSVDSYA123456.
 * Its encoder sends every propulsion flag, FALSE ones too (basic PER allows it).
 */
const LEGATO_MSD = Buffer.from('015c0681d54970d65c3597ca0420c41467f103ade68ac52e9bb8413f149c07414fb414f6010180813e821818232300', 'hex');

test('the published MSD decodes field by field', () => {
  const m = decodeMsd(LEGATO_MSD);
  assert.deepEqual(m, {
    version: 1,
    messageIdentifier: 1,
    automaticActivation: true,
    testCall: false,
    positionCanBeTrusted: true,
    vehicleClass: 'M1',
    vin: 'WM9VDSVDSYA123456',
    propulsion: ['gasoline', 'electric'],
    timestamp: 123456789,
    latitude: 173881200,
    longitude: 41822520,
    direction: 14,
    recentN1: { latitudeDelta: 10, longitudeDelta: -10 },
    recentN2: { latitudeDelta: 10, longitudeDelta: -20 },
    numberOfPassengers: 2,
    additionalData: { oid: '1.2.125', data: Buffer.from('00FF', 'ascii') },
  });
  assert.equal((m.latitude / 3_600_000).toFixed(4), '48.3003', 'milliarcseconds: Munich');
});

test('encoding it again gives the same 47 octets; the canonical form drops the FALSE flags and still decodes the same', () => {
  const m = decodeMsd(LEGATO_MSD);
  assert.equal(encodeMsd(m, { explicitDefaults: true }).toString('hex'), LEGATO_MSD.toString('hex'));
  const canonical = encodeMsd(m);
  assert.ok(canonical.length < LEGATO_MSD.length);
  assert.deepEqual(decodeMsd(canonical), m);
});

const fixes = (t: number): GnssFix[] =>
  // Driving north-east at ~20 m/s, then stopped at the crash.
  [0, 1, 2, 3, 4].map((i) => ({ t: t - (4 - i) * 1000, lat: 48.8584 - (4 - i) * 0.00013, lon: 2.2945 - (4 - i) * 0.00018, accuracy: 8, speed: i < 4 ? 20 : 0 }));

test('a car\'s MSD (version 2): position of the last fix, two recent positions, direction of travel, passengers; it round-trips', () => {
  const at = Date.UTC(2026, 11, 4, 19, 30, 0);
  const msd = buildMsd({ vehicle: { vin: 'WCS0DEM0CAR000001', vehicleClass: 'M1', propulsion: ['electric', 'other'] }, detectedAt: at, fixes: fixes(at), automatic: true, testCall: true, passengers: 3 });
  assert.equal(msd.version, 2);
  assert.equal(msd.timestamp, at / 1000);
  assert.equal(msd.latitude, Math.round(48.8584 * 3_600_000));
  assert.equal(msd.longitude, Math.round(2.2945 * 3_600_000));
  assert.equal(msd.positionCanBeTrusted, true);
  // N1 is the fix a second earlier, south-west of the crash: 0.00013° = 468 mas ≈ 5 units of 100 mas.
  assert.deepEqual(msd.recentN1, { latitudeDelta: -5, longitudeDelta: -6 });
  assert.deepEqual(msd.recentN2, { latitudeDelta: -5, longitudeDelta: -6 }, 'relative to N1');
  // 0.00013° N is 14.5 m, 0.00018° E at 48.86° N is 13.2 m: a bearing of 42°, 21 steps of 2°.
  assert.equal(msd.direction, 21);
  const bytes = encodeMsd(msd);
  assert.ok(bytes.length <= 140);
  assert.equal(bytes[0], 2, 'MSD format version 2');
  assert.equal(bytes[1], bytes.length - 2, 'version 2 carries the MSDMessage as an octet string');
  assert.deepEqual(decodeMsd(bytes), msd);
});

test('the GNSS course wins over the bearing; no fix → unknown position, not trusted, no recent positions', () => {
  const at = Date.now();
  const f = fixes(at);
  f[4].heading = 271;
  const vehicle = { vin: '1M8GDM9AXKP042788', vehicleClass: 'N1' as const, propulsion: ['diesel' as const] };
  assert.equal(buildMsd({ vehicle, detectedAt: at, fixes: f, automatic: true, testCall: false }).direction, 136);
  const blind = buildMsd({ vehicle, detectedAt: at, fixes: [], automatic: false, testCall: false });
  assert.equal(blind.latitude, POSITION_UNKNOWN);
  assert.equal(blind.direction, DIRECTION_UNKNOWN);
  assert.equal(blind.positionCanBeTrusted, false);
  assert.equal(blind.recentN1, undefined);
  assert.deepEqual(decodeMsd(encodeMsd(blind)), blind);
  const vague = buildMsd({ vehicle, detectedAt: at, fixes: [{ ...f[4], accuracy: 400 }], automatic: true, testCall: false });
  assert.equal(vague.positionCanBeTrusted, false, 'EN 15722: trusted only within 150 m');
});

test('what cannot be encoded or decoded says why', () => {
  const m: Msd = decodeMsd(LEGATO_MSD);
  assert.throws(() => encodeMsd({ ...m, vin: 'WM9VDSVDSYA12345I' }), /VIN/);
  assert.throws(() => encodeMsd({ ...m, direction: 256 }), /outside 0..255/);
  assert.throws(() => encodeMsd({ ...m, recentN1: { latitudeDelta: 600, longitudeDelta: 0 } }), /outside -512..511/);
  assert.throws(() => encodeMsd({ ...m, propulsion: ['other'] }), /version 2/);
  assert.throws(() => encodeMsd({ ...m, version: 2, additionalData: { oid: '1.2', data: Buffer.alloc(120) } }), /at most 140/);
  assert.throws(() => decodeMsd(LEGATO_MSD.subarray(0, 30)), /ends early/);
  assert.throws(() => decodeMsd(Buffer.from([3, 0])), /version 3/);
  const extended = Buffer.from(LEGATO_MSD);
  extended[1] |= 0x80;
  assert.throws(() => decodeMsd(extended), /extensions/);
});

test('eCall service URNs (RFC 8147): under sos, or test.sos for the test service', () => {
  assert.equal(ecallUrn('urn:service:sos', true), 'urn:service:sos.ecall.automatic');
  assert.equal(ecallUrn('urn:service:sos.police', false), 'urn:service:sos.ecall.manual');
  assert.equal(ecallUrn('urn:service:test.sos', true), 'urn:service:test.sos.ecall.automatic');
  assert.equal(ecallUrn('urn:service:counseling', true), undefined);
  assert.ok(isTestService('urn:service:test.sos'));
  assert.ok(!isTestService('urn:service:sos'));
  assert.ok(!isTestService(undefined));
});
