import { createHash } from 'node:crypto';
import { splitTopLevel } from '../sip/grammar.js';
import { BoundedFetcher, FetchError } from './bounded-fetcher.js';
import { VerificationError, type VerificationFailure } from './branding-errors.js';
import { callerIdentity, privacyWithholds, type CallerIdentity } from './caller-identity.js';
import { checkValidity, validateChain, type ValidatedCertificate } from './certificate-chain.js';
import { parseIdentityHeader } from './identity-header.js';
import { parseJws, verifyJwsSignature } from './jws.js';
import { checkClaimConstraints } from './jwt-claim-constraints.js';
import { readPassport, type Attestation, type PassportClaims, type PassportType } from './passport.js';
import { fetchAndCheckRcd, type RcdContent } from './rcd-integrity.js';
import { ReplayCache } from './replay-cache.js';
import { canonicalizeTn, canonicalTn } from './telephone-number.js';
import { tnAuthListCovers } from './tn-auth-list.js';
import type { TrustStore } from './trust-store.js';

const MAX_CACHED_CHAINS = 1000;

/** ATIS-1000074 §5.3.1 verstat values. */
import type { VerifiedBrand, Verstat } from '@callsight/protocol';
export type { VerifiedBrand, Verstat };

/** One Identity header that passed every check. */
export interface VerifiedPassport {
  ppt: PassportType;
  attest?: Attestation;
  origId?: string;
  brand?: VerifiedBrand;
}

export interface VerificationResult {
  /** Passed when at least one Identity header passed every check. */
  verstat: Verstat;
  /** The strongest attestation among the valid SHAKEN PASSporTs. */
  attest?: Attestation;
  origId?: string;
  /** From a valid rcd-bearing PASSporT, when the valid ones agree (see `combine`). */
  brand?: VerifiedBrand;
  /** `code: message` per failed header (or disagreement), e.g. "tn_not_authorized: …". */
  reasons: string[];
  /** Stable codes of `reasons`, for programs. */
  codes: VerificationFailure[];
  /** The identity whose TN was compared with `orig` (PAI when present, else From). */
  caller?: CallerIdentity;
  /** The valid PASSporTs, in header order. */
  passports?: VerifiedPassport[];
}

export interface VerifyInput {
  identityHeaders: string[];
  /** The From header value (name-addr), a URI, or a number. */
  from: string;
  /** P-Asserted-Identity header values: when one holds a TN it is the calling identity (ATIS-1000074). */
  pai?: string[];
  /** Privacy header values: `id` (or `header`, `user`) verifies the caller as usual but withholds them from the callee. */
  privacy?: string[];
  /** The called number (Request-URI user part or To). */
  to: string;
  /** Epoch ms; defaults to the clock. */
  now?: number;
}

export interface VerifierOptions {
  trust: TrustStore;
  fetcher?: BoundedFetcher;
  /** RFC 8224 §6.2.3 recommends 60 s. */
  freshnessSeconds?: number;
  /** How long a validated certificate chain is reused without re-checking signatures. */
  chainTtlMs?: number;
  /** Largest logo inlined as a data URI. */
  maxInlineLogoBytes?: number;
}

const ATTEST_RANK: Record<Attestation, number> = { A: 3, B: 2, C: 1 };

/**
 * The STIR/SHAKEN verification service (RFC 8224 §6.2, ATIS-1000074 §5.3,
 * RFC 9795): every Identity header is checked on its own — signature, its own
 * certificate chain and TNAuthList, orig against the calling identity, dest,
 * freshness, replay, RCD integrity — and the valid ones are combined (`combine`).
 * Checks run cheapest first, and the network (x5u, icn, jcl) is reached only
 * through the bounded, caching fetcher.
 */
export class PassportVerifier {
  readonly fetcher: BoundedFetcher;
  private readonly trust: TrustStore;
  private readonly freshnessMs: number;
  private readonly chainTtlMs: number;
  private readonly maxInlineLogoBytes: number;
  private readonly replays: ReplayCache;
  private readonly chains = new Map<string, { expires: number; value: Promise<ValidatedCertificate> }>();

  constructor(opts: VerifierOptions) {
    this.trust = opts.trust;
    this.fetcher = opts.fetcher ?? new BoundedFetcher();
    this.freshnessMs = (opts.freshnessSeconds ?? 60) * 1000;
    this.chainTtlMs = opts.chainTtlMs ?? 10 * 60_000;
    this.maxInlineLogoBytes = opts.maxInlineLogoBytes ?? 16 * 1024;
    this.replays = new ReplayCache(this.freshnessMs);
  }

  async verifyIncoming(input: VerifyInput): Promise<VerificationResult> {
    const caller = callerIdentity(input.from, input.pai);
    if (privacyWithholds(input.privacy)) caller.withheld = true;
    // Identity is not a list header, but a value folded with commas still splits cleanly: a JWS has none, info is in <>.
    const headers = input.identityHeaders.flatMap((v) => splitTopLevel(v));
    if (headers.length === 0) return { verstat: 'No-TN-Validation', reasons: [], codes: [], caller };
    const now = input.now ?? Date.now();
    const reasons: string[] = [];
    const codes: VerificationFailure[] = [];
    const valid: VerifiedPassport[] = [];
    // One after another, in header order: the same PASSporT twice is a replay the second time, deterministically.
    for (const header of headers) {
      try {
        valid.push(await this.verifyOne(header, caller, input.to, now));
      } catch (err) {
        if (!(err instanceof VerificationError)) throw err;
        reasons.push(`${err.code}: ${err.message}`);
        codes.push(err.code);
      }
    }
    if (valid.length === 0) return { verstat: 'TN-Validation-Failed', reasons, codes, caller };
    return { ...combine(valid, reasons, codes), caller, passports: valid };
  }

  private async verifyOne(value: string, caller: CallerIdentity, calledNumber: string, now: number): Promise<VerifiedPassport> {
    const header = parseIdentityHeader(value);
    const jws = parseJws(header.token);
    const { header: ph, claims } = readPassport(jws);
    if (header.info !== ph.x5u) throw new VerificationError('identity_malformed', 'info parameter and x5u differ');
    // RFC 8224 §4.1: a ppt parameter, when present, names the PASSporT's type.
    if (header.ppt !== undefined && header.ppt !== ph.ppt) throw new VerificationError('identity_malformed', `the header's ppt="${header.ppt}" differs from the PASSporT's ppt "${ph.ppt}"`);

    const orig = canonicalizeTn(claims.orig.tn);
    if ('problem' in orig) throw new VerificationError('identity_malformed', `orig.tn: ${orig.problem}`);
    if (!caller.tn) throw new VerificationError('orig_mismatch', `the calling identity (${caller.source} ${caller.uri}) is not a telephone number: ${caller.problem}`);
    if (orig.tn !== caller.tn) throw new VerificationError('orig_mismatch', `orig.tn ${orig.tn} is not the calling number ${caller.tn} (${caller.source} ${caller.uri})`);
    const called = canonicalizeTn(calledNumber);
    if ('problem' in called) throw new VerificationError('dest_mismatch', `the called number: ${called.problem}`);
    if (!claims.dest.tn.some((tn) => canonicalTn(tn) === called.tn)) throw new VerificationError('dest_mismatch', `dest.tn does not include the called number ${called.tn}`);
    if (Math.abs(now - claims.iat * 1000) > this.freshnessMs) throw new VerificationError('iat_stale', `iat is ${Math.round((now - claims.iat * 1000) / 1000)} s from now (limit ${this.freshnessMs / 1000} s)`);

    const cert = await this.certificate(ph.x5u, now);
    checkValidity(cert, now);
    if (!verifyJwsSignature(jws, cert.publicKey)) throw new VerificationError('signature_invalid', 'ES256 signature does not verify with the x5u certificate');
    // Each PASSporT's own certificate must cover the number: an rcd signer vouches for a brand only on numbers it holds.
    if (!tnAuthListCovers(cert.tnAuthList, orig.tn)) throw new VerificationError('tn_not_authorized', `the ${ph.ppt} PASSporT's certificate (TNAuthList) does not cover ${orig.tn}`);
    // RFC 9795: a vetting party's delegate certificate may fix the rcd its holder signs (RFC 8226 §8 / RFC 9118).
    checkClaimConstraints(cert.claimConstraints, jws.payload);

    const content = claims.rcd ? await fetchAndCheckRcd(claims.rcd, claims.rcdi, this.fetcher) : undefined;
    // Keyed by the signed bytes, not the signature: ECDSA signatures are malleable ((r, s) and (r, n-s)
    // both verify), so a replayer could re-spell the signature. Last, so only valid tokens occupy the cache.
    if (this.replays.checkAndRemember(createHash('sha256').update(jws.signingInput).digest('base64'), now)) throw new VerificationError('replayed', 'this PASSporT was already presented');

    return { ppt: ph.ppt, attest: claims.attest, origId: claims.origid, brand: content && this.brand(claims, content) };
  }

  private brand(claims: PassportClaims, content: RcdContent): VerifiedBrand {
    const rcd = claims.rcd!;
    // URLs are shown only when rcdi vouches for what they serve (fetchAndCheckRcd fetched them).
    const brand: VerifiedBrand = { name: rcd.nam, logoUrl: content.icn && rcd.icn, jcardUrl: content.jcl && rcd.jcl, reason: claims.crn };
    const logo = content.icn;
    if (logo && /^image\/(png|jpeg|gif|webp|svg\+xml)$/.test(logo.contentType.split(';')[0]!.trim()) && logo.body.length <= this.maxInlineLogoBytes) {
      brand.logoDataUri = `data:${logo.contentType.split(';')[0]};base64,${logo.body.toString('base64')}`;
    }
    if (content.jcl) {
      try {
        brand.jcard = JSON.parse(content.jcl.body.toString('utf8'));
      } catch {
        throw new VerificationError('rcd_fetch_failed', 'jcl content is not JSON');
      }
    } else if (rcd.jcd !== undefined) brand.jcard = rcd.jcd;
    return brand;
  }

  /** Fetch + validate once per x5u and TTL; a failed fetch or validation is not cached. */
  private certificate(x5u: string, now: number): Promise<ValidatedCertificate> {
    const hit = this.chains.get(x5u);
    if (hit && hit.expires > now) return hit.value;
    const value = this.fetcher.fetch(x5u).then(
      (res) => validateChain(res.body.toString('utf8'), this.trust, now),
      (err) => {
        throw err instanceof FetchError ? new VerificationError('certificate_fetch_failed', `x5u: ${err.message}`) : err;
      },
    );
    this.chains.set(x5u, { expires: now + this.chainTtlMs, value });
    if (this.chains.size > MAX_CACHED_CHAINS) this.chains.delete(this.chains.keys().next().value!);
    value.catch(() => this.chains.delete(x5u));
    return value;
  }
}

/**
 * How valid PASSporTs of one call combine (RFC 8224 §6.2: each Identity header
 * is verified on its own; RFC 8588 attestation, RFC 9795 RCD):
 * - the call passed TN validation when any one passed (they all matched the same calling TN);
 * - the attestation is the strongest among the valid SHAKEN PASSporTs (an rcd one has none);
 * - the brand comes from a valid rcd-bearing PASSporT (SHAKEN with rcd, or ppt "rcd"),
 *   the first in header order; when valid ones name different brands or reasons, no brand
 *   is shown (`rcd_conflict`): a display nobody agrees on is not a verified one.
 */
function combine(valid: VerifiedPassport[], reasons: string[], codes: VerificationFailure[]): Omit<VerificationResult, 'caller' | 'passports'> {
  const shaken = valid.filter((p) => p.ppt === 'shaken').sort((a, b) => ATTEST_RANK[b.attest!] - ATTEST_RANK[a.attest!])[0];
  const branded = valid.filter((p) => p.brand);
  const claimed = new Set(branded.map((p) => JSON.stringify([p.brand!.name.trim().toLowerCase(), p.brand!.reason ?? null])));
  let brand = branded[0]?.brand;
  if (claimed.size > 1) {
    brand = undefined;
    reasons = [...reasons, `rcd_conflict: valid PASSporTs disagree on the brand or reason (${[...new Set(branded.map((p) => p.brand!.name))].join(' / ')}); none is shown`];
    codes = [...codes, 'rcd_conflict'];
  }
  return { verstat: 'TN-Validation-Passed', attest: shaken?.attest, origId: shaken?.origId, brand, reasons, codes };
}
