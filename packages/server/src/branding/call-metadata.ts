import type { KeyObject } from 'node:crypto';
import { signToken, verifyToken } from './signed-token.js';
import type { VerificationResult, Verstat } from './verifier.js';

/**
 * What the phone app is told about an incoming call, signed by callsight's
 * tenant app key so the app can trust it before drawing a verified badge.
 * Short keys: it rides in push messages and WebSocket frames.
 */
export interface CallMetadata {
  v: 1;
  typ: 'call';
  /** Call id. */
  cid: string;
  /** Calling number as presented (E.164 with +). */
  tn: string;
  vs: Verstat;
  /** SHAKEN attestation when verified. */
  at?: 'A' | 'B' | 'C';
  /** Present only for verified calls. */
  b?: { n: string; logo?: string; r?: string };
  /** The call link (`GET /b/<token>`): the brand's content for this call. */
  link?: string;
  /** Why verification failed, for the spoof warning. */
  why?: string[];
  iat: number;
  exp: number;
}

export interface CallMetadataInput {
  callId: string;
  callerNumber: string;
  verification: VerificationResult;
  link?: string;
  /** Seconds the token stays valid (a ringing call rarely lasts longer). */
  ttlSeconds?: number;
  now?: number;
}

export function encodeCallMetadata(input: CallMetadataInput, key: KeyObject): string {
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  const { verification: v } = input;
  const brand = v.verstat === 'TN-Validation-Passed' ? v.brand : undefined;
  const meta: CallMetadata = {
    v: 1,
    typ: 'call',
    cid: input.callId,
    tn: input.callerNumber,
    vs: v.verstat,
    ...(v.attest && { at: v.attest }),
    ...(brand && { b: { n: brand.name, logo: brand.logoDataUri ?? brand.logoUrl, r: brand.reason } }),
    ...(brand && input.link && { link: input.link }),
    ...(v.codes.length > 0 && { why: [...new Set(v.codes)] }),
    iat: now,
    exp: now + (input.ttlSeconds ?? 120),
  };
  return signToken(meta, key);
}

/** Server-side twin of the web app's decodeAndVerifyCallMetadata (for tests and Node clients). */
export function decodeCallMetadata(token: string, key: KeyObject, now = Date.now()): CallMetadata | undefined {
  const p = verifyToken(token, key) as CallMetadata | undefined;
  return p && p.v === 1 && p.typ === 'call' && p.exp * 1000 > now ? p : undefined;
}
