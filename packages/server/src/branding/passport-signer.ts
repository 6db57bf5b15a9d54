import { randomUUID } from 'node:crypto';
import type { Brand } from './brand-repo.js';
import { tnNotAuthorized } from './branding-errors.js';
import { formatIdentityHeader } from './identity-header.js';
import { signJws } from './jws.js';
import type { Attestation, PassportHeader, ShakenClaims } from './passport.js';
import { rcdDigest } from './rcd-integrity.js';
import type { DelegateCertificate } from './sti-certificates.js';

/** The content a brand's rcd points at, as callsight serves it (brand-assets routes). */
export interface BrandAssets {
  logoUrl?: string;
  logoBytes?: Uint8Array;
  jcardUrl: string;
  jcardBytes: Uint8Array;
}

export interface SignInput {
  from: string;
  to: string[];
  attest?: Attestation;
  origId?: string;
  reason?: string;
  now?: number;
}

export interface SignedPassport {
  identityHeader: string;
  passport: { header: PassportHeader; claims: ShakenClaims };
}

/**
 * The STIR/SHAKEN authentication service for one brand and call: a SHAKEN
 * PASSporT (RFC 8588) with the brand's Rich Call Data (RFC 9795) and rcdi
 * digests of the exact logo and jCard bytes callsight serves.
 */
export function signPassport(input: SignInput, brand: Brand, cert: DelegateCertificate, x5u: string, assets: BrandAssets | undefined): SignedPassport {
  if (!brand.numbers.includes(input.from)) throw tnNotAuthorized(input.from);
  const header: PassportHeader = { alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u };
  const claims: ShakenClaims = {
    attest: input.attest ?? 'A',
    dest: { tn: input.to },
    iat: Math.floor((input.now ?? Date.now()) / 1000),
    orig: { tn: input.from },
    origid: input.origId ?? randomUUID(),
  };
  if (assets) {
    claims.rcd = { nam: brand.name, jcl: assets.jcardUrl, ...(assets.logoUrl && { icn: assets.logoUrl }) };
    claims.rcdi = { '/jcl': rcdDigest(assets.jcardBytes), ...(assets.logoBytes && { '/icn': rcdDigest(assets.logoBytes) }) };
    if (input.reason) claims.crn = input.reason;
  }
  const token = signJws(header, claims, cert.signingKey);
  return { identityHeader: formatIdentityHeader({ token, info: x5u }), passport: { header, claims } };
}

/** The jCard (RFC 7095) callsight serves for a brand: no URIs inside, so its single rcdi digest covers all of it. */
export function brandJcard(brand: Brand): Uint8Array {
  const card = ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', brand.name], ['org', {}, 'text', brand.name], ['kind', {}, 'text', 'org']]];
  return Buffer.from(JSON.stringify(card));
}
