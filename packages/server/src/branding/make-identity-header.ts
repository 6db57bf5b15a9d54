import { createPrivateKey, type KeyObject } from 'node:crypto';
import { formatIdentityHeader } from './identity-header.js';
import { signJws } from './jws.js';
import type { PassportClaims, PassportType } from './passport.js';

/**
 * Builds an arbitrary Identity header value — SHAKEN by default, or a separate
 * RFC 9795 `ppt: "rcd"` PASSporT (no attest/origid unless given) — for tests and
 * for sipp scenarios that play a carrier (inject it as `Identity: [field0]`).
 * Unlike the authentication service it checks nothing, so tests can make any
 * kind of bad header on purpose.
 */
export function makeIdentityHeader(opts: {
  signingKey: KeyObject | string;
  x5u: string;
  claims: Partial<PassportClaims> & Pick<PassportClaims, 'orig' | 'dest'>;
  ppt?: PassportType;
}): string {
  const key = typeof opts.signingKey === 'string' ? createPrivateKey(opts.signingKey) : opts.signingKey;
  const ppt = opts.ppt ?? 'shaken';
  const shaken = ppt === 'shaken' ? { attest: 'A', origid: '00000000-0000-4000-8000-000000000000' } : {};
  const claims = { ...shaken, iat: Math.floor(Date.now() / 1000), ...opts.claims };
  const token = signJws({ alg: 'ES256', ppt, typ: 'passport', x5u: opts.x5u }, claims, key);
  return formatIdentityHeader({ token, info: opts.x5u, ppt });
}
