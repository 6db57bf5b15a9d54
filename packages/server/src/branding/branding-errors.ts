import type { ErrorSpecs } from '../core/error-spec.js';
import { CallsightError } from '../core/errors.js';

/** Codes of branding's API errors. */
export const BRANDING_ERRORS = {
  invalid_tn: { status: 400, title: 'Not an E.164 telephone number' },
  tn_not_authorized: { status: 403, title: 'No brand of this tenant may call from this number' },
  unknown_reason: { status: 400, title: "Not one of the brand's call reasons" },
  no_phone_number: { status: 400, title: 'The user has no phone number to call' },
  logo_invalid: { status: 400, title: 'The logo is not an image of an accepted size' },
  logo_unreachable: { status: 400, title: 'The logo URL could not be fetched' },
} as const satisfies ErrorSpecs;

/**
 * Why a PASSporT or Identity header was rejected. Stable codes: they appear in
 * `VerificationResult.reasons`, in `branding.verified` events and in logs.
 */
export type VerificationFailure =
  | 'identity_malformed'
  | 'identity_unsupported'
  | 'signature_invalid'
  | 'certificate_fetch_failed'
  | 'certificate_invalid'
  | 'certificate_untrusted'
  | 'certificate_expired'
  | 'tn_not_authorized'
  | 'iat_stale'
  | 'orig_mismatch'
  | 'dest_mismatch'
  | 'replayed'
  | 'rcd_fetch_failed'
  | 'rcdi_mismatch'
  /** The PASSporT asserts claims its certificate's JWT claim constraints do not allow (RFC 8226 §8, RFC 9118). */
  | 'claims_not_permitted'
  /** Valid PASSporTs of one call carry different Rich Call Data. */
  | 'rcd_conflict';

export class VerificationError extends Error {
  override name = 'VerificationError';
  constructor(
    readonly code: VerificationFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Signing refused: the tenant may not sign for this number or brand. */
export const tnNotAuthorized = (tn: string) =>
  new CallsightError('tn_not_authorized', `no brand of this tenant is authorized to call from +${tn}`, { status: 403 });
