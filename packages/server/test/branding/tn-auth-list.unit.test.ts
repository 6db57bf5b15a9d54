import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { x509 } from '../../src/branding/x509.js';
import { decodeTnAuthList, encodeTnAuthList, tnAuthListCovers, tnEntriesFor, TN_AUTH_LIST_OID } from '../../src/branding/tn-auth-list.js';
import { makePki } from './sti-fixtures.js';

describe('TNAuthList (RFC 8226 §9, EXPLICIT tags)', () => {
  const entries = [{ spc: '1234' }, { range: { start: '15550100', count: 10 } }, { one: '15550199' }];

  test('encodes to the exact DER the ASN.1 module prescribes', () => {
    const hex = Buffer.from(encodeTnAuthList(entries)).toString('hex');
    const ia5 = (s: string) => `16${s.length.toString(16).padStart(2, '0')}${Buffer.from(s).toString('hex')}`;
    const expected =
      '3025' +
      `a006${ia5('1234')}` + // spc [0] EXPLICIT IA5String
      `a10f300d${ia5('15550100')}02010a` + // range [1] EXPLICIT SEQUENCE { start, count 10 }
      `a20a${ia5('15550199')}`; // one [2] EXPLICIT IA5String
    assert.equal(hex, expected);
  });

  test('decodes what it encodes and rejects malformed DER', () => {
    assert.deepEqual(decodeTnAuthList(encodeTnAuthList(entries)), entries);
    const der = encodeTnAuthList(entries);
    assert.throws(() => decodeTnAuthList(der.subarray(0, der.length - 1)), /runs past the end/);
    assert.throws(() => decodeTnAuthList(Uint8Array.from([0x30, 0x00])), /empty/);
    assert.throws(() => decodeTnAuthList(Uint8Array.from([0x30, 0x05, 0xa3, 0x03, 0x16, 0x01, 0x31])), /unknown TNEntry/);
    assert.throws(() => encodeTnAuthList([{ one: '+15550100' }]), /not a TelephoneNumber/);
    assert.throws(() => encodeTnAuthList([{ range: { start: '1555', count: 1 } }]), /at least 2/);
  });

  test('coverage: single numbers, ranges of equal length, SPC covers all', () => {
    const list = [{ range: { start: '15550100', count: 10 } }, { one: '15550300' }];
    assert.equal(tnAuthListCovers(list, '15550100'), true);
    assert.equal(tnAuthListCovers(list, '15550109'), true);
    assert.equal(tnAuthListCovers(list, '15550110'), false);
    assert.equal(tnAuthListCovers(list, '155501000'), false);
    assert.equal(tnAuthListCovers(list, '15550300'), true);
    assert.equal(tnAuthListCovers([{ spc: '1234' }], '4930123'), true);
  });

  test('number lists compress to ranges', () => {
    assert.deepEqual(tnEntriesFor(['15550102', '15550100', '15550101', '15550300']), [{ range: { start: '15550100', count: 3 } }, { one: '15550300' }]);
  });

  test('a delegate certificate carries the extension under OID 1.3.6.1.5.5.7.1.26 and it decodes back', async () => {
    const { leaf } = await makePki(entries);
    const pem = leaf.cert.toString('pem');
    const ext = new x509.X509Certificate(pem).getExtension(TN_AUTH_LIST_OID);
    assert.ok(ext);
    assert.deepEqual(decodeTnAuthList(new Uint8Array(ext.value)), entries);
  });
});
