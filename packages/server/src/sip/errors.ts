import { CallsightError } from '../core/errors.js';
import type { SipHeaders } from './message.js';

/**
 * Stable codes for malformed SIP input. They are part of the public API (see
 * core/errors.ts): never rename one, add new ones instead.
 */
export type SipParseErrorCode =
  | 'sip_bad_start_line'
  | 'sip_bad_version'
  | 'sip_bad_header'
  | 'sip_bad_uri'
  | 'sip_bad_content_length'
  | 'sip_truncated'
  | 'sip_too_large';

/**
 * A message that could not be parsed. `respondable` says whether enough of a
 * request was understood (Via, From, To, Call-ID, CSeq; RFC 3261 8.2.6) to send
 * a 400 back; when false the message must be silently dropped (always the case
 * for responses, RFC 3261 18.1.2). `partial` is the part that was parsed, so a
 * transport can build that 400 with createResponse().
 */
export class SipParseError extends CallsightError {
  declare readonly code: SipParseErrorCode;
  readonly respondable: boolean;
  readonly partial?: { headers: SipHeaders };

  constructor(code: SipParseErrorCode, message: string, opts: { respondable?: boolean; partial?: { headers: SipHeaders } } = {}) {
    super(code, message, { status: 400 });
    this.name = 'SipParseError';
    this.respondable = opts.respondable ?? false;
    this.partial = opts.partial;
  }
}
