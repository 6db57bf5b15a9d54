import { createPrivateKey, type KeyObject } from 'node:crypto';
import { formatIdentityHeader } from './identity-header.js';
import { signJws } from './jws.js';
import type { PassportClaims } from './passport.js';

/**
 * Builds an arbitrary SHAKEN Identity header value — for tests and for sipp
 * scenarios that play a carrier (inject it as `Identity: [field0]`). Unlike the
 * authentication service it checks nothing, so tests can make any kind of bad
 * header on purpose.
 */
export function makeIdentityHeader(opts: {
  signingKey: KeyObject | string;
  x5u: string;
  claims: Partial<PassportClaims> & Pick<PassportClaims, 'orig' | 'dest'>;
}): string {
  const key = typeof opts.signingKey === 'string' ? createPrivateKey(opts.signingKey) : opts.signingKey;
  const claims = { attest: 'A', iat: Math.floor(Date.now() / 1000), origid: '00000000-0000-4000-8000-000000000000', ...opts.claims };
  const token = signJws({ alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u: opts.x5u }, claims, key);
  return formatIdentityHeader({ token, info: opts.x5u });
}
