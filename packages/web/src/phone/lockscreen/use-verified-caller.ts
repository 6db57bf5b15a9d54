import { verifyCallMetadata, type CallMetadata } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { fetchAppKey } from './app-key';

export type VerifiedMeta = CallMetadata & { b: NonNullable<CallMetadata['b']> };

/** What a screen may claim about a caller, decided only after the token's signature checked out. */
export type CallerCheck =
  | { state: 'checking' }
  | { state: 'verified'; meta: VerifiedMeta }
  /**
   * `number`: the calling number as callsight read it (E.164, not the raw SIP URI);
   * `carrierName`: the network's plain caller name (CNAM), passed on by callsight but checked by nobody.
   */
  | { state: 'unverified'; number?: string; carrierName?: string }
  | { state: 'spoofed'; why: string[] };

function decide(meta: CallMetadata | undefined, hadToken: boolean): CallerCheck {
  if (!hadToken) return { state: 'unverified' };
  // A token that does not verify is as suspicious as a failed STIR check.
  if (!meta) return { state: 'spoofed', why: ['metadata_invalid'] };
  if (meta.vs === 'TN-Validation-Failed') return { state: 'spoofed', why: meta.why ?? [] };
  if (meta.vs === 'TN-Validation-Passed' && meta.b) return { state: 'verified', meta: { ...meta, b: meta.b } };
  return { state: 'unverified', number: meta.tn, ...(meta.cn && { carrierName: meta.cn }) };
}

/**
 * Checks a call's signed metadata against the tenant's app key. The lockscreen and
 * the call screen both use it, so the brand shown while ringing stays for the call.
 * Verification results are kept per token: the call screen does not check again.
 */
const checked = new Map<string, CallerCheck>();

export function useVerifiedCaller(token: string | undefined, jwk?: JsonWebKey): CallerCheck {
  const [shown, setShown] = useState<CallerCheck>(() => (!token ? { state: 'unverified' } : (checked.get(token) ?? { state: 'checking' })));
  useEffect(() => {
    let live = true;
    if (!token) {
      setShown({ state: 'unverified' });
      return;
    }
    const known = checked.get(token);
    if (known) {
      setShown(known);
      return;
    }
    setShown({ state: 'checking' });
    (jwk ? Promise.resolve(jwk) : fetchAppKey())
      .then((key) => verifyCallMetadata(token, key))
      .then(
        (meta) => decide(meta, true),
        () => decide(undefined, true),
      )
      .then((result) => {
        if (checked.size > 50) checked.clear();
        checked.set(token, result);
        if (live) setShown(result);
      });
    return () => {
      live = false;
    };
  }, [token, jwk]);
  return shown;
}
