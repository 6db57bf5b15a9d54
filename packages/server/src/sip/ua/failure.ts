import { CallsightError } from '../../core/errors.js';
import type { SipResponse } from '../message.js';

/**
 * A SIP request that ended without success: a final non-2xx response, or a
 * local failure mapped to the status RFC 3261 prescribes (408 on timer B/F,
 * 503 on transport errors, 8.1.3.1). Code `sip_failure` is stable.
 */
export class SipFailure extends CallsightError {
  readonly reason: string;
  readonly response?: SipResponse;
  constructor(status: number, reason: string, response?: SipResponse) {
    super('sip_failure', `SIP ${status} ${reason}`, { status });
    this.name = 'SipFailure';
    this.reason = reason;
    this.response = response;
  }
}
