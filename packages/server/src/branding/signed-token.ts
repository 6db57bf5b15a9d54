import { createSign, createVerify, type KeyObject } from 'node:crypto';

/**
 * callsight's own compact signed tokens (call metadata for the app, call
 * links): `v1.<base64url JSON>.<base64url ES256 r||s>`, signature over
 * "v1.<payload>". Shaped so a browser verifies it with WebCrypto alone
 * (ECDSA P-256 / SHA-256 produces and expects raw r||s).
 */
export const TOKEN_VERSION = 'v1';

export function signToken(payload: object, key: KeyObject): string {
  const input = `${TOKEN_VERSION}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createSign('sha256').update(input).sign({ key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/** The payload without checking the signature: only to find which key to verify with. */
export function peekToken(token: string): Record<string, unknown> | undefined {
  const [v, p, s, extra] = token.split('.');
  if (v !== TOKEN_VERSION || !p || !s || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(p)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function verifyToken(token: string, key: KeyObject): Record<string, unknown> | undefined {
  const payload = peekToken(token);
  if (!payload) return undefined;
  const dot = token.lastIndexOf('.');
  const sigText = token.slice(dot + 1);
  const sig = Buffer.from(sigText, 'base64url');
  const ok = sig.length === 64 && sig.toString('base64url') === sigText && createVerify('sha256').update(token.slice(0, dot)).verify({ key, dsaEncoding: 'ieee-p1363' }, sig);
  return ok ? payload : undefined;
}
