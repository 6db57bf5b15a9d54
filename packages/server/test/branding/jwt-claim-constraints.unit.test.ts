import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { concat, contextTag, encodeIa5, encodeTlv, encodeUtf8, TAG } from '../../src/branding/der.js';
import { checkClaimConstraints, decodeClaimConstraints, encodeClaimConstraints } from '../../src/branding/jwt-claim-constraints.js';

describe('JWT claim constraints (RFC 8226 §8, RFC 9118)', () => {
  const rcd = { nam: 'Globex Insurance', icn: 'https://vetter.example/globex.png' };

  test('EnhancedJWTClaimConstraints round trip: mustInclude, mustExclude, permittedValues', () => {
    const c = { mustInclude: ['rcd'], mustExclude: ['div'], permittedValues: { rcd: [JSON.stringify(rcd)], crn: ['Claim update', 'Renewal'] } };
    assert.deepEqual(decodeClaimConstraints(encodeClaimConstraints(c), true), c);
  });

  test('RFC 8226 JWTClaimConstraints ([0] mustInclude, [1] permittedValues) decodes', () => {
    const der = encodeClaimConstraints({ mustInclude: ['rcd'], permittedValues: { crn: ['Renewal'] } }, false);
    assert.deepEqual(decodeClaimConstraints(der, false), { mustInclude: ['rcd'], mustExclude: [], permittedValues: { crn: ['Renewal'] } });
  });

  test('IMPLICIT tagging is read too, including a single permitted-values entry', () => {
    const implicit = encodeTlv(
      TAG.sequence,
      concat([
        encodeTlv(contextTag(0), encodeIa5('rcd')),
        encodeTlv(contextTag(2), encodeTlv(TAG.sequence, concat([encodeIa5('crn'), encodeTlv(TAG.sequence, encodeUtf8('Renewal'))]))),
      ]),
    );
    assert.deepEqual(decodeClaimConstraints(implicit, true), { mustInclude: ['rcd'], mustExclude: [], permittedValues: { crn: ['Renewal'] } });
  });

  test('malformed encodings throw DerError, never anything else', () => {
    for (const bad of [Uint8Array.of(), Uint8Array.of(0x30, 0x05, 0xa0), Uint8Array.of(0x30, 0x02, 0xa7, 0x00), encodeTlv(TAG.sequence, encodeTlv(contextTag(2), encodeTlv(TAG.sequence, encodeTlv(TAG.sequence, encodeIa5('x')))))]) {
      assert.throws(() => decodeClaimConstraints(bad, true), (err: Error) => err.name === 'DerError', Buffer.from(bad).toString('hex'));
    }
  });

  test('claims are checked: JSON values compare by content, not key order or spacing', () => {
    const c = [{ mustInclude: ['rcd'], mustExclude: ['div'], permittedValues: { rcd: [JSON.stringify(rcd)], crn: ['Claim update'] } }];
    checkClaimConstraints(c, { rcd: { icn: rcd.icn, nam: rcd.nam }, crn: 'Claim update' });
    checkClaimConstraints(c, { rcd }); // crn absent: nothing to check
    const refused = (claims: Record<string, unknown>, why: RegExp) =>
      assert.throws(() => checkClaimConstraints(c, claims), (err: Error & { code?: string }) => err.code === 'claims_not_permitted' && why.test(err.message));
    refused({ rcd: { ...rcd, nam: 'Evil Corp' } }, /does not permit this value of rcd/);
    refused({ crn: 'Claim update' }, /requires the claim rcd/);
    refused({ rcd, div: {} }, /does not allow the claim div/);
    refused({ rcd, crn: 'Act now' }, /does not permit this value of crn/);
  });
});
