import { isCurrentCallMetadata, splitSignedToken, type CallMetadata } from '@callsight/protocol';
import { fromBase64Url } from './base64url.js';

/**
 * Verifies signed call metadata (`call.incoming`'s `metadataToken`) with the tenant's
 * app key (`client.branding.appKey()`). Verify it before showing anything of it: a
 * brand name on a lockscreen is exactly what a spoofer wants to fake. WebCrypto
 * only, so it runs in browsers and Node ≥ 20 alike.
 *
 * The payload when the signature verifies and the token is current; otherwise undefined.
 */
export async function verifyCallMetadata(token: string, appKey: JsonWebKey, now = Date.now()): Promise<CallMetadata | undefined> {
  const parts = splitSignedToken(token);
  if (!parts) return undefined;
  try {
    const key = await crypto.subtle.importKey('jwk', { kty: appKey.kty, crv: appKey.crv, x: appKey.x, y: appKey.y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    if (!(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, fromBase64Url(parts.signature), new TextEncoder().encode(parts.signed)))) return undefined;
    const meta: unknown = JSON.parse(new TextDecoder().decode(fromBase64Url(parts.payload)));
    return isCurrentCallMetadata(meta, now) ? meta : undefined;
  } catch {
    return undefined;
  }
}
