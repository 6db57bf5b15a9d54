import type { KeyObject } from 'node:crypto';
import type { CallMetadata } from '@callsight/protocol';
import { signToken } from './signed-token.js';
import type { PolicyResult } from './branding-policy.js';

export interface CallMetadataInput {
  callId: string;
  callerNumber: string;
  verification: PolicyResult;
  link?: string;
  /** Seconds the token stays valid (a ringing call rarely lasts longer). */
  ttlSeconds?: number;
  now?: number;
}

/**
 * What the phone app is told about an incoming call, signed by callsight's
 * tenant app key so the app can trust it before drawing a verified badge. The
 * layout is the protocol's (`CallMetadata`): apps verify it with the SDK's `verifyCallMetadata`.
 */
export function encodeCallMetadata(input: CallMetadataInput, key: KeyObject): string {
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  const { verification: v } = input;
  const brand = v.verstat === 'TN-Validation-Passed' ? v.brand : undefined;
  const meta: CallMetadata = {
    v: 1,
    typ: 'call',
    cid: input.callId,
    tn: v.caller?.withheld ? 'anonymous' : input.callerNumber,
    vs: v.verstat,
    ...(v.attest && { at: v.attest }),
    ...(brand && { b: { n: brand.name, logo: brand.logoDataUri ?? brand.logoUrl, r: brand.reason } }),
    ...(brand && input.link && { link: input.link }),
    ...(!brand && v.callerName !== undefined && { cn: v.callerName }),
    // Only a failed call gets a spoof warning; a passed one may still list a bad extra header.
    ...(v.verstat === 'TN-Validation-Failed' && v.codes.length > 0 && { why: [...new Set(v.codes)] }),
    iat: now,
    exp: now + (input.ttlSeconds ?? 120),
  };
  return signToken(meta, key);
}
