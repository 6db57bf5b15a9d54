import { sign, verify, type KeyObject } from 'node:crypto';
import { VerificationError } from './branding-errors.js';

/**
 * ES256 JWS in the form PASSporT requires (RFC 8225 §9): header and payload
 * serialized deterministically — keys in lexicographic order, no whitespace —
 * so every signer produces the same bytes for the same claims. node:crypto
 * signs synchronously with IEEE P1363 (r||s) signatures, exactly JWS's format,
 * at several times the rate of an async WebCrypto round trip per call.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

export function signJws(header: object, payload: object, key: KeyObject): string {
  const input = `${b64url(canonicalJson(header))}.${b64url(canonicalJson(payload))}`;
  const sig = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

export interface ParsedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function decodeJsonPart(part: string, what: string): Record<string, unknown> {
  if (!B64URL.test(part)) throw new VerificationError('identity_malformed', `${what} is not base64url`);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new VerificationError('identity_malformed', `${what} is not JSON`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new VerificationError('identity_malformed', `${what} is not a JSON object`);
  return json as Record<string, unknown>;
}

/** Full-form compact serialization only; an empty payload (RFC 8224 compact form) is refused by the caller. */
export function parseJws(token: string): ParsedJws {
  const parts = token.split('.');
  if (parts.length !== 3) throw new VerificationError('identity_malformed', 'a JWS has three dot-separated parts');
  const [h, p, s] = parts as [string, string, string];
  if (p === '') throw new VerificationError('identity_unsupported', 'compact-form PASSporT (empty payload) cannot carry SHAKEN claims');
  const signature = Buffer.from(s, 'base64url');
  // Canonical encoding only: the last character has spare bits, and tolerating them would let one signature be spelled four ways.
  if (!B64URL.test(s) || signature.length !== 64 || signature.toString('base64url') !== s) {
    throw new VerificationError('identity_malformed', 'ES256 signature must be 64 bytes of canonical base64url');
  }
  return { header: decodeJsonPart(h, 'JWS header'), payload: decodeJsonPart(p, 'JWS payload'), signingInput: `${h}.${p}`, signature };
}

export function verifyJwsSignature(jws: ParsedJws, key: KeyObject): boolean {
  return verify('sha256', Buffer.from(jws.signingInput), { key, dsaEncoding: 'ieee-p1363' }, jws.signature);
}
