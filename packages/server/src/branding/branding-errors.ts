import { CallsightError } from '../core/errors.js';

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
  | 'rcdi_mismatch';

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
