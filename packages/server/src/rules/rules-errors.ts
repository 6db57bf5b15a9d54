import type { ErrorSpecs } from '../core/error-spec.js';

/** Codes of cross-channel rules and event ingestion. */
export const RULES_ERRORS = {
  rule_invalid: { status: 400, title: 'The rule definition is invalid' },
  rule_loop: { status: 400, title: 'The rule set would trigger itself in a loop' },
  event_invalid: { status: 400, title: 'The event does not match its envelope or its type’s schema' },
  event_schema_invalid: { status: 400, title: 'The event type schema is invalid' },
  event_hook_invalid: { status: 400, title: 'The incoming webhook’s settings are invalid' },
  hook_signature_invalid: { status: 401, title: 'The delivery’s signature, timestamp or headers do not check out' },
} as const satisfies ErrorSpecs;
