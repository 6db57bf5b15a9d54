import type { Attestation, PassportType, Verstat } from '../api/branding.js';

/** Branded calling: signing (STIR/SHAKEN authentication), verification, brands. */
export interface BrandingEvents {
  /** An outgoing call was signed (authentication service). */
  'branding.signed': { brandId: string; certificateId: string; from: string; to: string[]; attest: Attestation; origId: string; reason: string | null };
  /**
   * An incoming call's Identity headers were verified (verification service). `from` is the
   * identity compared with orig (`identity`: which header it came from); `passports` the types
   * of the valid PASSporTs; `brandWithheld` why the tenant's policy hid a verified brand.
   */
  'branding.verified': {
    from: string;
    identity: 'P-Asserted-Identity' | 'From';
    to: string;
    verstat: Verstat;
    attest: Attestation | null;
    passports: PassportType[];
    brandName: string | null;
    brandWithheld: string | null;
    reasons: string[];
  };
  /** An admin changed the tenant's branded-calling policy. */
  'branding.policy.updated': { brandAttestations: Attestation[]; unverifiedNames: boolean };
  /** A callee opened a call link. */
  'branding.link.opened': { brandId: string; callId: string };
  'branding.brand.created': { brandId: string; name: string };
  'branding.brand.updated': { brandId: string; name: string };
  'branding.brand.deleted': { brandId: string };
}
