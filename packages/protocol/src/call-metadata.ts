import type { Attestation, Verstat } from './api/branding.js';

/**
 * Signed call metadata: what callsight tells an app about an incoming call
 * (`call.incoming`'s `metadataToken`), signed with the tenant's app key. The server
 * signs it (Node crypto), the SDK verifies it (WebCrypto); this is the layout both
 * agree on. Short keys: the token rides in push messages and WebSocket frames.
 *
 * Token: `v1.<base64url JSON>.<base64url ES256 r||s>`, the signature over `v1.<payload>`
 * (raw r||s is what WebCrypto's ECDSA produces and expects).
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
  at?: Attestation;
  /** The verified brand: name, logo (URL or data URI), call reason. Present only for verified calls. */
  b?: { n: string; logo?: string; r?: string };
  /**
   * The carrier's plain display name (CNAM), which nothing verified: present only
   * without `b`, when the tenant's policy passes names through. Show it marked as
   * unverified, never like a brand.
   */
  cn?: string;
  /** The call link (`GET /b/<token>`): the brand's content for this call. */
  link?: string;
  /** Why verification failed, for a spoof warning. */
  why?: string[];
  /** Issued and expiry, epoch seconds. */
  iat: number;
  exp: number;
}

export const SIGNED_TOKEN_VERSION = 'v1';

/** The parts of a well-formed signed token (payload and signature still base64url), or undefined. */
export function splitSignedToken(token: string): { signed: string; payload: string; signature: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== SIGNED_TOKEN_VERSION) return undefined;
  const [, payload, signature] = parts as [string, string, string];
  // 64 bytes of r||s are exactly 86 base64url characters.
  if (!/^[A-Za-z0-9_-]+$/.test(payload) || !/^[A-Za-z0-9_-]{86}$/.test(signature)) return undefined;
  return { signed: `${SIGNED_TOKEN_VERSION}.${payload}`, payload, signature };
}

/** Whether a decoded payload is call metadata still valid at `nowMs`. */
export function isCurrentCallMetadata(value: unknown, nowMs: number): value is CallMetadata {
  const meta = value as Partial<CallMetadata> | null;
  return !!meta && typeof meta === 'object' && meta.v === 1 && meta.typ === 'call' && typeof meta.exp === 'number' && meta.exp * 1000 > nowMs;
}
