/**
 * Digest authentication of a request other than REGISTER (RFC 3261 22.3), as a
 * proxy-style challenge: 407 with Proxy-Authenticate, answered by Proxy-Authorization
 * (Authorization is accepted too, for UAs that answer a UAS challenge). Stateless
 * nonces from the same secret as the registrar, so every process agrees; repeated
 * failures from one source are braked (403). Transport-free, like the registrar.
 */
import { randomBytes } from 'node:crypto';
import { createChallenge, parseDigestCredentials, verifyDigest, type DigestCredentials } from '../digest.js';
import { getAuthorization, getProxyAuthorization, type SipRequest } from '../message.js';
import type { FlowSource } from '../transport/flow.js';
import { AuthBrake, type AuthBrakeOptions } from './auth-brake.js';

const NOBODY = randomBytes(24).toString('base64');

export interface RequestAuthOptions {
  realm: string;
  secret: string | Buffer;
  credentials: (username: string) => Promise<{ password: string } | null>;
  algorithms?: Array<'SHA-256' | 'MD5'>;
  nonceMaxAgeSeconds?: number;
  brake?: AuthBrakeOptions;
}

export type RequestAuthVerdict =
  | { ok: true; username: string }
  | { ok: false; status: 407 | 403; reason: string; headers?: Record<string, string[]> };

export class RequestAuthenticator {
  private readonly brake: AuthBrake;

  constructor(private readonly opts: RequestAuthOptions) {
    this.brake = new AuthBrake(opts.brake);
  }

  private challenge(stale = false): RequestAuthVerdict {
    const now = Date.now();
    const challenges = (this.opts.algorithms ?? ['SHA-256', 'MD5']).map((algorithm) => createChallenge({ secret: this.opts.secret, realm: this.opts.realm, algorithm, stale, now }));
    return { ok: false, status: 407, reason: 'Proxy Authentication Required', headers: { 'Proxy-Authenticate': challenges } };
  }

  /**
   * The verdict depends only on the credentials, never on what the request asks for,
   * so it cannot tell a caller which users exist.
   */
  async check(req: SipRequest, source: FlowSource): Promise<RequestAuthVerdict> {
    if (this.brake.isBlocked(source.address)) return { ok: false, status: 403, reason: 'Forbidden' };
    let creds: DigestCredentials | undefined;
    try {
      creds = [...getProxyAuthorization(req), ...getAuthorization(req)].map(parseDigestCredentials).find((c) => c?.realm === this.opts.realm);
    } catch {
      creds = undefined;
    }
    if (!creds) return this.challenge();
    const user = await this.opts.credentials(creds.username);
    // An unknown user is checked against a password nobody has: the same work and the same answer as a wrong one.
    const verdict = verifyDigest(creds, {
      secret: this.opts.secret,
      realm: this.opts.realm,
      method: req.method,
      secretFor: { password: user?.password ?? NOBODY },
      maxNonceAgeSeconds: this.opts.nonceMaxAgeSeconds ?? 300,
      now: Date.now(),
    });
    if (verdict.ok && user) {
      this.brake.succeed(source.address);
      return { ok: true, username: creds.username };
    }
    const reason = verdict.ok ? 'bad-response' : verdict.reason;
    if (reason === 'stale-nonce') return this.challenge(true);
    if (reason === 'forged-nonce' || reason === 'realm') return this.challenge();
    this.brake.fail(source.address);
    return { ok: false, status: 403, reason: 'Forbidden' };
  }
}
