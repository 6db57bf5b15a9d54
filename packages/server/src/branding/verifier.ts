import { createHash } from 'node:crypto';
import { BoundedFetcher, FetchError } from './bounded-fetcher.js';
import { VerificationError, type VerificationFailure } from './branding-errors.js';
import { checkValidity, validateChain, type ValidatedCertificate } from './certificate-chain.js';
import { parseIdentityHeader } from './identity-header.js';
import { parseJws, verifyJwsSignature } from './jws.js';
import { readShakenPassport, type Attestation, type PassportClaims } from './passport.js';
import { fetchAndCheckRcd, type RcdContent } from './rcd-integrity.js';
import { ReplayCache } from './replay-cache.js';
import { canonicalTn } from './telephone-number.js';
import { tnAuthListCovers } from './tn-auth-list.js';
import type { TrustStore } from './trust-store.js';

const MAX_CACHED_CHAINS = 1000;

/** ATIS-1000074 §5.3.1 verstat values. */
import type { Verstat } from '@callsight/sdk';
export type { Verstat };

export interface VerifiedBrand {
  name: string;
  logoUrl?: string;
  /** The jCard URL (rcd jcl), for SIP Call-Info purpose=jcard. */
  jcardUrl?: string;
  /** The logo inlined, when it is a small image: the callee shows it without another fetch. */
  logoDataUri?: string;
  reason?: string;
  jcard?: unknown;
}

export interface VerificationResult {
  verstat: Verstat;
  attest?: Attestation;
  origId?: string;
  /** Only when every check passed. */
  brand?: VerifiedBrand;
  /** `code: message` per failed header, e.g. "tn_not_authorized: …". Empty when passed. */
  reasons: string[];
  /** Stable codes of `reasons`, for programs. */
  codes: VerificationFailure[];
}

export interface VerifyInput {
  identityHeaders: string[];
  from: string;
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

/**
 * The STIR/SHAKEN verification service (RFC 8224 §6.2, ATIS-1000074 §5.3):
 * checks each Identity header, and the first that passes every check decides
 * the call. Checks run cheapest first, and the network (x5u, icn, jcl) is
 * reached only through the bounded, caching fetcher.
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
    if (input.identityHeaders.length === 0) return { verstat: 'No-TN-Validation', reasons: [], codes: [] };
    const now = input.now ?? Date.now();
    const reasons: string[] = [];
    const codes: VerificationFailure[] = [];
    for (const header of input.identityHeaders) {
      try {
        return await this.verifyOne(header, input, now);
      } catch (err) {
        if (!(err instanceof VerificationError)) throw err;
        reasons.push(`${err.code}: ${err.message}`);
        codes.push(err.code);
      }
    }
    return { verstat: 'TN-Validation-Failed', reasons, codes };
  }

  private async verifyOne(value: string, input: VerifyInput, now: number): Promise<VerificationResult> {
    const header = parseIdentityHeader(value);
    const jws = parseJws(header.token);
    const { header: ph, claims } = readShakenPassport(jws);
    if (header.info !== ph.x5u) throw new VerificationError('identity_malformed', 'info parameter and x5u differ');

    const from = canonicalTn(input.from);
    const to = canonicalTn(input.to);
    if (!from || claims.orig.tn !== from) throw new VerificationError('orig_mismatch', `orig.tn ${claims.orig.tn} is not the calling number ${input.from}`);
    if (!to || !claims.dest.tn.includes(to)) throw new VerificationError('dest_mismatch', `dest.tn does not include the called number ${input.to}`);
    if (Math.abs(now - claims.iat * 1000) > this.freshnessMs) throw new VerificationError('iat_stale', `iat is ${Math.round((now - claims.iat * 1000) / 1000)} s from now (limit ${this.freshnessMs / 1000} s)`);

    const cert = await this.certificate(ph.x5u, now);
    checkValidity(cert, now);
    if (!verifyJwsSignature(jws, cert.publicKey)) throw new VerificationError('signature_invalid', 'ES256 signature does not verify with the x5u certificate');
    if (!tnAuthListCovers(cert.tnAuthList, claims.orig.tn)) throw new VerificationError('tn_not_authorized', `the certificate's TNAuthList does not cover ${claims.orig.tn}`);

    const content = claims.rcd ? await fetchAndCheckRcd(claims.rcd, claims.rcdi, this.fetcher) : undefined;
    // Keyed by the signed bytes, not the signature: ECDSA signatures are malleable ((r, s) and (r, n-s)
    // both verify), so a replayer could re-spell the signature. Last, so only valid tokens occupy the cache.
    if (this.replays.checkAndRemember(createHash('sha256').update(jws.signingInput).digest('base64'), now)) throw new VerificationError('replayed', 'this PASSporT was already presented');

    return { verstat: 'TN-Validation-Passed', attest: claims.attest, origId: claims.origid, brand: content && this.brand(claims, content), reasons: [], codes: [] };
  }

  private brand(claims: PassportClaims, content: RcdContent): VerifiedBrand {
    const rcd = claims.rcd!;
    const brand: VerifiedBrand = { name: rcd.nam, logoUrl: rcd.icn, jcardUrl: rcd.jcl, reason: claims.crn };
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
