/** Branded calling: brands, STIR/SHAKEN verification results, test calls. */

/** STIR/SHAKEN verification status (3GPP TS 24.229 `verstat`). */
export type Verstat = 'TN-Validation-Passed' | 'TN-Validation-Failed' | 'No-TN-Validation';
/** SHAKEN attestation: A full, B partial, C gateway. */
export type Attestation = 'A' | 'B' | 'C';
/** Which PASSporT an Identity header carried: SHAKEN (RFC 8588) or Rich Call Data (RFC 9795 "rcd"). */
export type PassportType = 'shaken' | 'rcd';
export const PASSPORT_TYPES = ['shaken', 'rcd'] as const satisfies readonly PassportType[];
export type BrandContentKind = 'order' | 'appointment' | 'message';

export interface Brand {
  id: string;
  name: string;
  logoUrl: string | null;
  reasons: string[];
  /** E.164 with +. */
  numbers: string[];
  content: { kind: BrandContentKind; title: string };
  createdAt: number;
  updatedAt: number;
}

export interface BrandInput {
  /** Shown to callees (RFC 9795 recommends ≤ 32 characters). */
  name: string;
  /** A PNG/JPEG/WebP/SVG upload, a URL to copy it from, or null to remove it. */
  logo?: { dataBase64: string; mime: string } | { url: string } | null;
  reasons?: string[];
  numbers: string[];
  content: Brand['content'];
}

/** The brand a verified PASSporT carried (RFC 9795 Rich Call Data). */
export interface VerifiedBrand {
  name: string;
  logoUrl?: string;
  /** The jCard URL (rcd jcl), for SIP Call-Info purpose=jcard. */
  jcardUrl?: string;
  /** The logo inlined, when it is a small image: the callee shows it without another fetch. */
  logoDataUri?: string;
  reason?: string;
  jcard?: unknown;
}

/** How an incoming call verified. */
export interface Verification {
  verstat: Verstat;
  attest?: Attestation;
  origId?: string;
  brand?: VerifiedBrand;
  /** Why it failed, in words. */
  reasons: string[];
  /** Why it failed, as stable codes. */
  codes: string[];
  /** The identity compared with orig: P-Asserted-Identity when it holds a number, else From. */
  caller?: { uri: string; source: 'P-Asserted-Identity' | 'From'; tn?: string; problem?: string; displayName?: string };
  /** Each valid PASSporT of the call. */
  passports?: { ppt: PassportType; attest?: Attestation; origId?: string; brand?: VerifiedBrand }[];
  /** The carrier's display name, unverified; only when no brand is shown and the policy allows it. */
  callerName?: string;
  /** Why the tenant's policy hid a verified brand. */
  brandWithheld?: string;
}

/** Which verified calls show a brand, and whether an unverified caller's carrier name is passed on (marked). */
export interface BrandingPolicy {
  /** SHAKEN attestations whose calls show a brand (programmes brand only A). */
  brandAttestations: Attestation[];
  unverifiedNames: boolean;
}

export interface TestCallInput {
  brandId: string;
  userId: string;
  reason?: string;
  content?: Record<string, string>;
  /** Default verified. */
  mode?: 'verified' | 'unsigned' | 'spoofed';
}

export interface TestCallResult {
  callId: string;
  interactionId: string;
  metadataToken: string;
  verification: Verification;
  /** How many of the user's app sessions were rung. */
  delivered: number;
}
