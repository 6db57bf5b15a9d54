import { createSign, createVerify, type KeyObject } from 'node:crypto';
import { SIGNED_TOKEN_VERSION, splitSignedToken } from '@callsight/protocol';

/**
 * callsight's own compact signed tokens (call metadata for the app, call links):
 * the protocol's layout `v1.<base64url JSON>.<base64url ES256 r||s>`, signature over
 * "v1.<payload>". Shaped so a browser verifies it with WebCrypto alone (ECDSA P-256 /
 * SHA-256 produces and expects raw r||s); the SDK's `verifyCallMetadata` does.
 */
export function signToken(payload: object, key: KeyObject): string {
  const input = `${SIGNED_TOKEN_VERSION}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createSign('sha256').update(input).sign({ key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/** The payload without checking the signature: only to find which key to verify with. */
export function peekToken(token: string): Record<string, unknown> | undefined {
  const parts = splitSignedToken(token);
  if (!parts) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(parts.payload, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function verifyToken(token: string, key: KeyObject): Record<string, unknown> | undefined {
  const payload = peekToken(token);
  const parts = splitSignedToken(token);
  if (!payload || !parts) return undefined;
  const sig = Buffer.from(parts.signature, 'base64url');
  // Canonical base64url only: one token, one spelling.
  const ok = sig.length === 64 && sig.toString('base64url') === parts.signature && createVerify('sha256').update(parts.signed).verify({ key, dsaEncoding: 'ieee-p1363' }, sig);
  return ok ? payload : undefined;
}
