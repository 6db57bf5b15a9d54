import { CallsightError } from '../../core/errors.js';

/** Stable codes for transport failures (see core/errors.ts: never rename). */
export type SipTransportErrorCode = 'sip_unroutable' | 'sip_unsupported_transport' | 'sip_transport_unavailable' | 'sip_bind_failed';

export class SipTransportError extends CallsightError {
  declare readonly code: SipTransportErrorCode;
  constructor(code: SipTransportErrorCode, message: string, cause?: unknown) {
    super(code, message, { status: 503, cause });
    this.name = 'SipTransportError';
  }
}
