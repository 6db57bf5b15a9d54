import { VerificationError } from './branding-errors.js';
import { concat, contextTag, decodeIa5, decodeUtf8, DerError, encodeIa5, encodeTlv, encodeUtf8, readOne, readTlvs, TAG, type DerNode } from './der.js';
import { canonicalJson } from './jws.js';

/**
 * JWT claim constraints in STIR certificates: what a certificate's holder may
 * assert in the PASSporTs it signs. RFC 9795 relies on them for Rich Call Data
 * signed by someone other than the number's holder: the vetting party's CA
 * issues a delegate certificate whose constraints fix the `rcd` it may sign.
 *
 *   JWTClaimConstraints ::= SEQUENCE {                  -- RFC 8226 §8 (id-pe 27)
 *     mustInclude [0] JWTClaimNames OPTIONAL,
 *     permittedValues [1] SEQUENCE OF SEQUENCE { claim IA5String, permitted SEQUENCE OF UTF8String } OPTIONAL }
 *   EnhancedJWTClaimConstraints ::= SEQUENCE {          -- RFC 9118 §3 (id-pe 33)
 *     mustInclude [0] JWTClaimNames OPTIONAL,
 *     mustExclude [1] JWTClaimNames OPTIONAL,
 *     permittedValues [2] SEQUENCE OF SEQUENCE { claim IA5String, values SEQUENCE OF UTF8String } OPTIONAL }
 *
 * Tags are EXPLICIT as in the RFCs' modules; the decoder also reads IMPLICIT
 * encodings (the two differ in whether a SEQUENCE header follows the tag), since
 * both are seen from CAs.
 */
export const JWT_CLAIM_CONSTRAINTS_OID = '1.3.6.1.5.5.7.1.27';
export const ENHANCED_JWT_CLAIM_CONSTRAINTS_OID = '1.3.6.1.5.5.7.1.33';

export interface ClaimConstraints {
  mustInclude: string[];
  mustExclude: string[];
  /** Claim name → the values it may take: strings as is, anything else as JSON. */
  permittedValues: Record<string, string[]>;
}

export function encodeClaimConstraints(c: Partial<ClaimConstraints>, enhanced = true): Uint8Array {
  const names = (list: string[]) => encodeTlv(TAG.sequence, concat(list.map(encodeIa5)));
  const values = (map: Record<string, string[]>) =>
    encodeTlv(TAG.sequence, concat(Object.entries(map).map(([claim, vs]) => encodeTlv(TAG.sequence, concat([encodeIa5(claim), encodeTlv(TAG.sequence, concat(vs.map(encodeUtf8)))])))));
  const parts: Uint8Array[] = [];
  if (c.mustInclude?.length) parts.push(encodeTlv(contextTag(0), names(c.mustInclude)));
  if (enhanced && c.mustExclude?.length) parts.push(encodeTlv(contextTag(1), names(c.mustExclude)));
  if (c.permittedValues && Object.keys(c.permittedValues).length) parts.push(encodeTlv(contextTag(enhanced ? 2 : 1), values(c.permittedValues)));
  if (parts.length === 0) throw new DerError('claim constraints need at least one component');
  return encodeTlv(TAG.sequence, concat(parts));
}

/** The SEQUENCE OF inside a context tag, whether the tag is EXPLICIT (wraps a SEQUENCE) or IMPLICIT (replaces its tag). */
function sequenceIn(node: DerNode): DerNode[] {
  const inner = readTlvs(node.value);
  return inner.length === 1 && inner[0]!.tag === TAG.sequence ? readTlvs(inner[0]!.value) : inner;
}

/** Like `sequenceIn`, for the entry list: one IMPLICIT entry also looks like a SEQUENCE, so look one level deeper. */
function permittedEntries(node: DerNode): DerNode[] {
  const inner = readTlvs(node.value);
  if (inner.length === 1 && inner[0]!.tag === TAG.sequence) {
    const children = readTlvs(inner[0]!.value);
    if (children[0]?.tag === TAG.sequence) return children;
  }
  return inner;
}

export function decodeClaimConstraints(der: Uint8Array, enhanced: boolean): ClaimConstraints {
  const out: ClaimConstraints = { mustInclude: [], mustExclude: [], permittedValues: {} };
  const [mustIncludeTag, mustExcludeTag, permittedTag] = enhanced ? [contextTag(0), contextTag(1), contextTag(2)] : [contextTag(0), -1, contextTag(1)];
  for (const node of readTlvs(readOne(der, TAG.sequence).value)) {
    if (node.tag === mustIncludeTag) out.mustInclude = sequenceIn(node).map(decodeIa5);
    else if (node.tag === mustExcludeTag) out.mustExclude = sequenceIn(node).map(decodeIa5);
    else if (node.tag === permittedTag) {
      for (const entry of permittedEntries(node)) {
        if (entry.tag !== TAG.sequence) throw new DerError('a permitted-values entry is a SEQUENCE');
        const [claim, list, ...rest] = readTlvs(entry.value);
        if (!claim || !list || rest.length || list.tag !== TAG.sequence) throw new DerError('a permitted-values entry is SEQUENCE { claim, SEQUENCE OF UTF8String }');
        const values = readTlvs(list.value).map(decodeUtf8);
        if (values.length === 0) throw new DerError('a claim needs at least one permitted value');
        out.permittedValues[decodeIa5(claim)] = values;
      }
    } else throw new DerError(`unknown claim-constraints component 0x${node.tag.toString(16)}`);
  }
  return out;
}

const sameValue = (claim: unknown, permitted: string): boolean => {
  if (typeof claim === 'string') return claim === permitted;
  try {
    return canonicalJson(JSON.parse(permitted)) === canonicalJson(claim);
  } catch {
    return false;
  }
};

/**
 * Checks a PASSporT's claims against every constraint on its certificate path
 * (RFC 8226 §8: a PASSporT outside them is rejected as a whole).
 */
export function checkClaimConstraints(all: ClaimConstraints[], claims: Record<string, unknown>): void {
  for (const c of all) {
    const missing = c.mustInclude.filter((name) => claims[name] === undefined);
    if (missing.length) throw new VerificationError('claims_not_permitted', `the certificate requires the claim${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    const excluded = c.mustExclude.filter((name) => claims[name] !== undefined);
    if (excluded.length) throw new VerificationError('claims_not_permitted', `the certificate does not allow the claim${excluded.length > 1 ? 's' : ''} ${excluded.join(', ')}`);
    for (const [name, values] of Object.entries(c.permittedValues)) {
      if (claims[name] !== undefined && !values.some((v) => sameValue(claims[name], v))) {
        throw new VerificationError('claims_not_permitted', `the certificate does not permit this value of ${name}`);
      }
    }
  }
}
