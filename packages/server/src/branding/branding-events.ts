import type { Attestation } from './passport.js';
import type { Verstat } from './verifier.js';

declare module '../bus/event-map.js' {
  interface EventMap {
    /** An outgoing call was signed (authentication service). */
    'branding.signed': { brandId: string; certificateId: string; from: string; to: string[]; attest: Attestation; origId: string; reason: string | null };
    /** An incoming call was verified (verification service). */
    'branding.verified': { from: string; to: string; verstat: Verstat; attest: Attestation | null; brandName: string | null; reasons: string[] };
    /** A callee opened a call link. */
    'branding.link.opened': { brandId: string; callId: string };
    'branding.brand.created': { brandId: string; name: string };
    'branding.brand.updated': { brandId: string; name: string };
    'branding.brand.deleted': { brandId: string };
  }
}

export {};
