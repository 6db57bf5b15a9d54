import { PASSPORT_TYPES, type Attestation, type PassportType } from '@callsight/protocol';
import { VerificationError } from './branding-errors.js';
import type { ParsedJws } from './jws.js';

/** SHAKEN attestation (RFC 8588 §4 / ATIS-1000074): A full, B partial, C gateway. */
export type { Attestation };

/**
 * The PASSporT types callsight verifies: SHAKEN (RFC 8588: attestation, optionally
 * with RCD as ATIS-1000094 carries it) and a separate Rich Call Data PASSporT
 * (RFC 9795 §5, ppt "rcd"), which a brand's vetting party may sign beside the
 * carrier's SHAKEN one.
 */
export { PASSPORT_TYPES, type PassportType };

/** Rich Call Data (RFC 9795 §6): what the callee may display. */
export interface RcdClaim {
  nam: string;
  /** URL of the logo image. */
  icn?: string;
  /** URL of a jCard (RFC 7095) describing the caller. */
  jcl?: string;
  /** An inline jCard. */
  jcd?: unknown;
}

/** The JWS header of a PASSporT (RFC 8225 §4, RFC 8588 §3, RFC 9795 §5). */
export interface PassportHeader {
  alg: 'ES256';
  ppt: PassportType;
  typ: 'passport';
  x5u: string;
}

/**
 * Claims of a PASSporT: the base claims (RFC 8225 §5), SHAKEN's `attest` and
 * `origid` (required in ppt "shaken"), and RCD (required in ppt "rcd"; RFC 9795
 * §10 lets `rcd`, `rcdi` and `crn` ride in a SHAKEN PASSporT too).
 */
export interface PassportClaims {
  attest?: Attestation;
  dest: { tn: string[] };
  iat: number;
  orig: { tn: string };
  origid?: string;
  rcd?: RcdClaim;
  /** JSON pointer (into `rcd`) → "sha256-<base64 digest>" of the referenced content (RFC 9795 §7.1). */
  rcdi?: Record<string, string>;
  /** Call reason (RFC 9795 §8). */
  crn?: string;
}

/** What the SHAKEN authentication service signs: attestation and origid always present. */
export interface ShakenClaims extends PassportClaims {
  attest: Attestation;
  origid: string;
}

const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * Structural check of a decoded JWS: the claims its PASSporT type requires, with
 * the right types. Numbers are checked for shape only; the verifier canonicalizes them.
 */
export function readPassport(jws: ParsedJws): { header: PassportHeader; claims: PassportClaims } {
  const h = jws.header;
  if (h.alg !== 'ES256') throw new VerificationError('identity_unsupported', `alg ${String(h.alg)} is not ES256`);
  if (!PASSPORT_TYPES.includes(h.ppt as PassportType)) throw new VerificationError('identity_unsupported', `ppt ${String(h.ppt)} is not shaken or rcd`);
  if (h.typ !== undefined && h.typ !== 'passport') throw new VerificationError('identity_malformed', 'typ must be passport');
  if (!isString(h.x5u) || !/^https?:\/\//.test(h.x5u)) throw new VerificationError('identity_malformed', 'x5u must be an http(s) URL');
  const c = jws.payload;
  const orig = c.orig as { tn?: unknown } | undefined;
  const dest = c.dest as { tn?: unknown } | undefined;
  if (!orig || !isString(orig.tn)) throw new VerificationError('identity_malformed', 'orig.tn is required');
  if (!dest || !Array.isArray(dest.tn) || !dest.tn.every(isString) || dest.tn.length === 0) throw new VerificationError('identity_malformed', 'dest.tn must be a list of numbers');
  if (typeof c.iat !== 'number' || !Number.isInteger(c.iat)) throw new VerificationError('identity_malformed', 'iat must be an integer (NumericDate)');
  if (h.ppt === 'shaken') {
    if (c.attest !== 'A' && c.attest !== 'B' && c.attest !== 'C') throw new VerificationError('identity_malformed', 'attest must be A, B or C');
    if (!isString(c.origid)) throw new VerificationError('identity_malformed', 'origid is required');
  } else {
    // RFC 9795 §5: an "rcd" PASSporT exists to carry rcd. Attestation is SHAKEN's: an attest claim here is
    // an unknown extension (RFC 8225 §8.3 says ignore it), never the call's attestation.
    if (c.rcd === undefined) throw new VerificationError('identity_malformed', 'a ppt "rcd" PASSporT must carry the rcd claim');
  }
  if (c.rcd !== undefined) {
    const rcd = c.rcd as Record<string, unknown>;
    if (!rcd || typeof rcd !== 'object' || !isString(rcd.nam)) throw new VerificationError('identity_malformed', 'rcd.nam is required');
    for (const k of ['icn', 'jcl'] as const) if (rcd[k] !== undefined && !isString(rcd[k])) throw new VerificationError('identity_malformed', `rcd.${k} must be a URL`);
  }
  if (c.rcdi !== undefined && (!c.rcdi || typeof c.rcdi !== 'object' || !Object.values(c.rcdi as object).every(isString))) {
    throw new VerificationError('identity_malformed', 'rcdi must map JSON pointers to digests');
  }
  if (c.crn !== undefined && !isString(c.crn)) throw new VerificationError('identity_malformed', 'crn must be a string');
  const claims = c as unknown as PassportClaims;
  return { header: h as unknown as PassportHeader, claims: h.ppt === 'rcd' ? { ...claims, attest: undefined, origid: undefined } : claims };
}
