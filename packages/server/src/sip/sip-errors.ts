import type { ErrorSpecs } from '../core/error-spec.js';

/** Codes of the SIP stack: malformed messages (sip/errors.ts), transports, SDP, digest, failed requests. */
export const SIP_ERRORS = {
  sip_bad_start_line: { status: 400, title: 'Malformed SIP start line' },
  sip_bad_version: { status: 400, title: 'Unsupported SIP version' },
  sip_bad_header: { status: 400, title: 'Malformed SIP header' },
  sip_bad_uri: { status: 400, title: 'Malformed SIP URI' },
  sip_bad_content_length: { status: 400, title: 'Content-Length does not match the body' },
  sip_truncated: { status: 400, title: 'The SIP message is truncated' },
  sip_too_large: { status: 400, title: 'The SIP message is too large' },
  sip_header_injection: { status: 500, title: 'A SIP header value contains a line break' },
  sip_unroutable: { status: 503, title: 'No route to the SIP destination' },
  sip_unsupported_transport: { status: 503, title: 'Unsupported SIP transport' },
  sip_transport_unavailable: { status: 503, title: 'The SIP transport is not available' },
  sip_bind_failed: { status: 503, title: 'A SIP port could not be opened' },
  sip_auth_unsupported: { status: 500, title: 'Unsupported digest authentication scheme' },
  sip_bad_challenge: { status: 500, title: 'Malformed digest challenge' },
  sip_failure: {
    status: 500,
    title: 'The SIP request failed',
    statusVaries: "the SIP final response's status (4xx-6xx), 408 on timeout, 503 on a transport failure",
  },
  sdp_invalid: { status: 400, title: 'Malformed SDP' },
  sdp_not_acceptable: { status: 488, title: 'No acceptable media in the SDP offer' },
} as const satisfies ErrorSpecs;
