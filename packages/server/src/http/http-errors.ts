import type { ErrorSpecs } from '../core/error-spec.js';

/** Codes of the HTTP and WebSocket edge: requests that are not well-formed. */
export const HTTP_ERRORS = {
  validation_failed: { status: 400, title: 'Some fields are invalid' },
  malformed_request: { status: 400, title: 'The request could not be read' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'This content type is not accepted' },
  malformed_message: { status: 400, title: 'The WebSocket message is not valid JSON' },
  unknown_kind: { status: 400, title: 'Unknown WebSocket message kind' },
  origin_not_allowed: { status: 403, title: 'WebSocket connections with a session must come from this server’s pages' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies ErrorSpecs;
