/**
 * The phone app's side of callsight's signed call metadata
 * (`v1.<base64url JSON>.<base64url ES256 r||s>`, see the server's
 * branding/call-metadata.ts). Verified with WebCrypto before anything of it is
 * shown: a brand name on a lockscreen is exactly what a spoofer wants to fake.
 */
export type Verstat = 'TN-Validation-Passed' | 'TN-Validation-Failed' | 'No-TN-Validation';

export interface CallMetadata {
  v: 1;
  typ: 'call';
  cid: string;
  tn: string;
  vs: Verstat;
  at?: 'A' | 'B' | 'C';
  b?: { n: string; logo?: string; r?: string };
  link?: string;
  why?: string[];
  iat: number;
  exp: number;
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The payload when the signature verifies with `jwk` and the token is current; otherwise undefined. */
export async function decodeAndVerifyCallMetadata(token: string, jwk: JsonWebKey, now = Date.now()): Promise<CallMetadata | undefined> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1' || !/^[A-Za-z0-9_-]+$/.test(parts[1]!) || !/^[A-Za-z0-9_-]{86}$/.test(parts[2]!)) return undefined;
  try {
    const key = await crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
    const ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, fromBase64Url(parts[2]!), signed);
    if (!ok) return undefined;
    const meta = JSON.parse(new TextDecoder().decode(fromBase64Url(parts[1]!))) as CallMetadata;
    return meta.v === 1 && meta.typ === 'call' && meta.exp * 1000 > now ? meta : undefined;
  } catch {
    return undefined;
  }
}

let appKey: Promise<JsonWebKey> | undefined;

/** The tenant's app key, fetched once per page load (the session cookie authenticates). */
export function fetchAppKey(): Promise<JsonWebKey> {
  appKey ??= fetch('/api/branding/app-key', { credentials: 'same-origin' }).then((res) => {
    if (!res.ok) throw new Error(`app key: HTTP ${res.status}`);
    return res.json() as Promise<JsonWebKey>;
  });
  appKey.catch(() => (appKey = undefined));
  return appKey;
}
