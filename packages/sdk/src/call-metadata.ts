/**
 * Signed call metadata: what callsight tells an app about an incoming call
 * (`call.incoming`'s `metadataToken`: `v1.<base64url JSON>.<base64url ES256 r||s>`),
 * signed with the tenant's app key (`client.branding.appKey()`). Verify it before
 * showing anything of it: a brand name on a lockscreen is exactly what a spoofer
 * wants to fake. WebCrypto only, so it runs in browsers and Node ≥ 20 alike.
 * Short keys: the token rides in push messages and WebSocket frames.
 */

/** STIR/SHAKEN verification status (3GPP TS 24.229 `verstat`). */
export type Verstat = 'TN-Validation-Passed' | 'TN-Validation-Failed' | 'No-TN-Validation';

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
  /** The verified brand: name, logo (URL or data URI), call reason. Present only for verified calls. */
  b?: { n: string; logo?: string; r?: string };
  /** The call link (`GET /b/<token>`): the brand's content for this call. */
  link?: string;
  /** Why verification failed, for a spoof warning. */
  why?: string[];
  iat: number;
  exp: number;
}

/** The payload when the signature verifies with `appKey` and the token is current; otherwise undefined. */
export async function verifyCallMetadata(token: string, appKey: JsonWebKey, now = Date.now()): Promise<CallMetadata | undefined> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1' || !/^[A-Za-z0-9_-]+$/.test(parts[1]!) || !/^[A-Za-z0-9_-]{86}$/.test(parts[2]!)) return undefined;
  try {
    const key = await crypto.subtle.importKey('jwk', { kty: appKey.kty, crv: appKey.crv, x: appKey.x, y: appKey.y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
    if (!(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, fromBase64Url(parts[2]!), signed))) return undefined;
    const meta = JSON.parse(new TextDecoder().decode(fromBase64Url(parts[1]!))) as CallMetadata;
    return meta.v === 1 && meta.typ === 'call' && meta.exp * 1000 > now ? meta : undefined;
  } catch {
    return undefined;
  }
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
