import type { BrandingPolicy as PolicyWire } from '@callsight/protocol';
import type { Attestation } from './passport.js';
import type { VerificationResult } from './verifier.js';

/**
 * A tenant's branded-calling policy: what a verified call must have for its
 * brand to reach the callee, and what an unverified call may still show.
 */
export interface BrandingPolicy extends PolicyWire {
  /**
   * SHAKEN attestations whose calls show a brand. Branded-calling programmes brand
   * only fully attested (A) calls; B and C mean the originating carrier does not
   * vouch that the caller may use the number.
   */
  brandAttestations: Attestation[];
  /**
   * Whether the plain carrier display name (CNAM: the PAI or From display name) of a
   * call without a verified brand reaches phones, marked as unverified — unsigned
   * calls, and verified calls without (or with a withheld) brand; never a call that
   * failed verification. Off: phones get the number only.
   */
  unverifiedNames: boolean;
}

export const DEFAULT_BRANDING_POLICY: Readonly<BrandingPolicy> = Object.freeze({ brandAttestations: ['A'] as Attestation[], unverifiedNames: true });

/** Longest carrier name passed through: CNAM is 15 characters; RCD's nam is recommended ≤ 32. */
const MAX_CALLER_NAME = 32;

/** What a verification result becomes for this tenant, with `callerName` and `brandWithheld` set by the policy. */
export interface PolicyResult extends VerificationResult {
  /** The carrier's display name, unverified: set only when no brand is shown and the policy allows it. */
  callerName?: string;
  /** Why a verified brand is not shown (the policy), for events and operators. */
  brandWithheld?: string;
}

/**
 * Applies the policy to a verification result. The attestation that gates the
 * brand is the call's SHAKEN attestation; a call whose only valid PASSporT is a
 * ppt "rcd" one has none, but that PASSporT's own certificate covers the calling
 * number — what full attestation asserts — so it counts as A.
 */
export function applyBrandingPolicy(result: VerificationResult, policy: BrandingPolicy): PolicyResult {
  const out: PolicyResult = { ...result };
  // A caller who asked for privacy is verified (and audited) like any other, but the callee learns nothing of who it is.
  if (out.caller?.withheld) {
    if (out.brand) out.brandWithheld = 'the caller asked for privacy (Privacy header)';
    delete out.brand;
    return out;
  }
  if (out.brand) {
    const attest = out.attest ?? 'A';
    if (!policy.brandAttestations.includes(attest)) {
      out.brandWithheld = `attestation ${attest}: this tenant shows brands on ${policy.brandAttestations.join('/') || 'no'}-attested calls only`;
      delete out.brand;
    }
  }
  // CNAM belongs to telephone numbers: a SIP-URI caller (a colleague's phone) keeps showing its address only.
  // A failed verification is evidence that someone misstates the caller: their name is not passed on either.
  const name = out.caller?.tn && out.caller.displayName ? sanitizeCallerName(out.caller.displayName) : undefined;
  if (!out.brand && policy.unverifiedNames && name && out.verstat !== 'TN-Validation-Failed') out.callerName = name;
  return out;
}

/** A display name from the network, made safe to show: no control characters, bounded, trimmed. */
function sanitizeCallerName(name: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim();
  return clean ? [...clean].slice(0, MAX_CALLER_NAME).join('').trim() : undefined;
}
