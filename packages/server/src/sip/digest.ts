/**
 * HTTP Digest authentication for SIP (RFC 3261 22.4, RFC 2617, RFC 7616;
 * SHA-256 for SIP per RFC 8760). The server side is stateless: nonces carry
 * their creation time and an HMAC under a server secret, so expiry and forgery
 * are detected without storing nonces; replay protection via nc is a hook.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CallsightError } from '../core/errors.js';
import { parseAuthHeader, serializeAuthHeader, type AuthHeader } from './auth-header.js';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

const HASH: Record<DigestAlgorithm, string> = { MD5: 'md5', 'MD5-sess': 'md5', 'SHA-256': 'sha256', 'SHA-256-sess': 'sha256' };

function algorithmOf(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined) return 'MD5'; // RFC 2617 3.2.1: absent means MD5
  return (Object.keys(HASH) as DigestAlgorithm[]).find((a) => a.toLowerCase() === value.toLowerCase());
}

const h = (algorithm: DigestAlgorithm, text: string) => createHash(HASH[algorithm]).update(text, 'utf8').digest('hex');

/** Parameters written as tokens rather than quoted strings (RFC 2617 3.2.1, 3.2.2). */
const TOKEN_PARAMS: ReadonlySet<string> = new Set(['algorithm', 'stale', 'nc']);
const TOKEN_PARAMS_CREDENTIALS: ReadonlySet<string> = new Set(['algorithm', 'stale', 'nc', 'qop']);

export interface DigestInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  /** The password, or HA1 = H(username:realm:password) as a registrar should store it. */
  secret: { password: string } | { ha1: string };
  method: string;
  uri: string;
  nonce: string;
  qop?: 'auth' | 'auth-int';
  /** 8 hex digits, e.g. "00000001". */
  nc?: string;
  cnonce?: string;
  /** Message body, for qop=auth-int. */
  body?: Buffer;
}

/** H(username:realm:password) for storing instead of the password. */
export function computeHa1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return h(algorithm, `${username}:${realm}:${password}`);
}

/** The request-digest of RFC 7616 3.4.1 (RFC 2617 3.2.2.1). */
export function digestResponse(input: DigestInput): string {
  const { algorithm: alg } = input;
  let ha1 = 'ha1' in input.secret ? input.secret.ha1 : computeHa1(alg, input.username, input.realm, input.secret.password);
  if (alg.endsWith('-sess')) ha1 = h(alg, `${ha1}:${input.nonce}:${input.cnonce ?? ''}`);
  const ha2 =
    input.qop === 'auth-int'
      ? h(alg, `${input.method}:${input.uri}:${createHash(HASH[alg]).update(input.body ?? Buffer.alloc(0)).digest('hex')}`)
      : h(alg, `${input.method}:${input.uri}`);
  return input.qop
    ? h(alg, `${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`)
    : h(alg, `${ha1}:${input.nonce}:${ha2}`);
}

// ---- stateless nonces ---------------------------------------------------------

export interface NonceContext {
  /** Server secret for the nonce HMAC; rotate it to invalidate all outstanding nonces. */
  secret: string | Buffer;
  realm: string;
  /** Current time in ms (injectable for tests). */
  now?: number;
}

const NONCE_PAYLOAD = 16; // 8-byte timestamp + 8 random bytes
const NONCE_MAC = 16;

function nonceMac(ctx: NonceContext, payload: Buffer): Buffer {
  return createHmac('sha256', ctx.secret).update(ctx.realm).update(payload).digest().subarray(0, NONCE_MAC);
}

/** A nonce = base64url(creation time ms | random | HMAC(secret, realm | time | random)). */
export function createNonce(ctx: NonceContext): string {
  const payload = Buffer.allocUnsafe(NONCE_PAYLOAD);
  payload.writeBigUInt64BE(BigInt(ctx.now ?? Date.now()), 0);
  randomBytes(8).copy(payload, 8);
  return Buffer.concat([payload, nonceMac(ctx, payload)]).toString('base64url');
}

export type NonceStatus = 'valid' | 'stale' | 'forged';

/** Checks a nonce we issued: forged (bad MAC, other realm or secret, future time) or stale (older than maxAgeSeconds). */
export function checkNonce(nonce: string, ctx: NonceContext & { maxAgeSeconds: number }): NonceStatus {
  const raw = Buffer.from(nonce, 'base64url');
  if (raw.length !== NONCE_PAYLOAD + NONCE_MAC || raw.toString('base64url') !== nonce) return 'forged';
  const payload = raw.subarray(0, NONCE_PAYLOAD);
  if (!timingSafeEqual(raw.subarray(NONCE_PAYLOAD), nonceMac(ctx, payload))) return 'forged';
  const age = (ctx.now ?? Date.now()) - Number(payload.readBigUInt64BE(0));
  if (age < -5_000) return 'forged'; // allow a little clock skew between cluster nodes
  return age > ctx.maxAgeSeconds * 1000 ? 'stale' : 'valid';
}

// ---- server side ------------------------------------------------------------------

export interface ChallengeOptions extends NonceContext {
  algorithm?: 'MD5' | 'SHA-256';
  /** Set when the credentials were right but the nonce had expired (RFC 2617 3.2.1): clients retry silently. */
  stale?: boolean;
  opaque?: string;
}

/**
 * A WWW-Authenticate / Proxy-Authenticate value with qop="auth". Per RFC 8760
 * a server may send one challenge per algorithm, SHA-256 first.
 */
export function createChallenge(opts: ChallengeOptions): string {
  const params = new Map<string, string>([
    ['realm', opts.realm],
    ['nonce', createNonce(opts)],
    ['algorithm', opts.algorithm ?? 'SHA-256'],
    ['qop', 'auth'],
  ]);
  if (opts.opaque !== undefined) params.set('opaque', opts.opaque);
  if (opts.stale) params.set('stale', 'true');
  return serializeAuthHeader({ scheme: 'Digest', params }, TOKEN_PARAMS);
}

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop?: 'auth' | 'auth-int';
  nc?: string;
  cnonce?: string;
  opaque?: string;
}

/** Reads Digest credentials from a parsed Authorization header; undefined for other schemes or incomplete ones. */
export function parseDigestCredentials(auth: AuthHeader): DigestCredentials | undefined {
  if (auth.scheme.toLowerCase() !== 'digest') return undefined;
  const p = auth.params;
  const [username, realm, nonce, uri, response] = ['username', 'realm', 'nonce', 'uri', 'response'].map((n) => p.get(n));
  const algorithm = algorithmOf(p.get('algorithm'));
  if (username === undefined || realm === undefined || !nonce || uri === undefined || !response || !algorithm) return undefined;
  const qop = p.get('qop');
  if (qop !== undefined && qop !== 'auth' && qop !== 'auth-int') return undefined;
  const nc = p.get('nc');
  const cnonce = p.get('cnonce');
  // With qop, nc (8 hex digits) and cnonce are mandatory (RFC 2617 3.2.2).
  if (qop && (nc === undefined || !/^[0-9a-fA-F]{8}$/.test(nc) || !cnonce)) return undefined;
  return { username, realm, nonce, uri, response: response.toLowerCase(), algorithm, qop, nc, cnonce, opaque: p.get('opaque') };
}

export interface VerifyOptions extends NonceContext {
  method: string;
  /** The user's password or stored HA1, found by the caller from credentials.username. */
  secretFor: { password: string } | { ha1: string };
  /** Nonce lifetime; older nonces answer 'stale' so the client retries with a fresh one. */
  maxNonceAgeSeconds?: number;
  /** Request-URI as a string; when given, the credentials' uri must equal it (RFC 2617 3.2.2.5). */
  requestUri?: string;
  body?: Buffer;
  /**
   * Replay hook: return false when this nc was already seen for this nonce
   * (RFC 7616 3.4.5). Called only after the response checks out.
   */
  acceptNonceCount?: (nonce: string, nc: number) => boolean;
}

export type DigestVerdict =
  | { ok: true }
  | { ok: false; reason: 'realm' | 'uri' | 'forged-nonce' | 'stale-nonce' | 'bad-response' | 'replay' };

/** Verifies Digest credentials against a request. */
export function verifyDigest(creds: DigestCredentials, opts: VerifyOptions): DigestVerdict {
  if (creds.realm !== opts.realm) return { ok: false, reason: 'realm' };
  if (opts.requestUri !== undefined && creds.uri !== opts.requestUri) return { ok: false, reason: 'uri' };
  const nonce = checkNonce(creds.nonce, { ...opts, maxAgeSeconds: opts.maxNonceAgeSeconds ?? 300 });
  if (nonce === 'forged') return { ok: false, reason: 'forged-nonce' };
  const expected = digestResponse({ ...creds, method: opts.method, secret: opts.secretFor, body: opts.body });
  const ok = expected.length === creds.response.length && timingSafeEqual(Buffer.from(expected), Buffer.from(creds.response));
  if (!ok) return { ok: false, reason: 'bad-response' };
  // Only a correct response earns a stale=true retry (RFC 2617 3.2.1).
  if (nonce === 'stale') return { ok: false, reason: 'stale-nonce' };
  if (creds.nc !== undefined && opts.acceptNonceCount && !opts.acceptNonceCount(creds.nonce, parseInt(creds.nc, 16))) {
    return { ok: false, reason: 'replay' };
  }
  return { ok: true };
}

// ---- client side -----------------------------------------------------------------

export interface ClientCredentials {
  method: string;
  /** Request-URI of the request being authorized. */
  uri: string;
  username: string;
  password: string;
  /** Nonce count for this nonce, starting at 1. */
  nc?: number;
  cnonce?: string;
  body?: Buffer;
}

/**
 * Answers a WWW-Authenticate / Proxy-Authenticate challenge (e.g. a trunk's
 * 401 to our REGISTER) with an Authorization / Proxy-Authorization value.
 * Prefers qop=auth, falls back to auth-int, or RFC 2069 style without qop.
 */
export function createAuthorization(challenge: AuthHeader | string, creds: ClientCredentials): string {
  const ch = typeof challenge === 'string' ? parseAuthHeader(challenge) : challenge;
  if (ch.scheme.toLowerCase() !== 'digest') throw new CallsightError('sip_auth_unsupported', `unsupported authentication scheme ${ch.scheme}`);
  const realm = ch.params.get('realm');
  const nonce = ch.params.get('nonce');
  if (realm === undefined || !nonce) throw new CallsightError('sip_bad_challenge', 'Digest challenge without realm or nonce');
  const algorithm = algorithmOf(ch.params.get('algorithm'));
  if (!algorithm) throw new CallsightError('sip_auth_unsupported', `unsupported digest algorithm ${ch.params.get('algorithm')}`);
  const offered = (ch.params.get('qop') ?? '').split(',').map((q) => q.trim());
  const qop = offered.includes('auth') ? 'auth' : offered.includes('auth-int') ? 'auth-int' : undefined;
  const nc = (creds.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = creds.cnonce ?? randomBytes(12).toString('base64url');
  const response = digestResponse({
    algorithm, username: creds.username, realm, secret: { password: creds.password }, method: creds.method,
    uri: creds.uri, nonce, qop, nc, cnonce, body: creds.body,
  });
  const params = new Map<string, string>([
    ['username', creds.username],
    ['realm', realm],
    ['nonce', nonce],
    ['uri', creds.uri],
    ['response', response],
    ['algorithm', algorithm],
  ]);
  if (qop) {
    params.set('qop', qop);
    params.set('nc', nc);
    params.set('cnonce', cnonce);
  }
  const opaque = ch.params.get('opaque');
  if (opaque !== undefined) params.set('opaque', opaque);
  return serializeAuthHeader({ scheme: 'Digest', params }, TOKEN_PARAMS_CREDENTIALS);
}
