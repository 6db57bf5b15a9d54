import type { ErrorSpecs } from '../core/error-spec.js';

/** Codes of deflection: links texted to callers, their pages, callbacks. */
export const DEFLECTION_ERRORS = {
  no_caller_number: { status: 409, title: 'The caller has no number to text a link to' },
  sms_failed: { status: 502, title: 'The link could not be texted' },
  invalid_action: { status: 400, title: 'This link does not offer that action' },
  invalid_choice: { status: 400, title: 'Not one of the menu choices' },
  invalid_message: { status: 400, title: 'Write a message' },
  invalid_slot: { status: 400, title: 'Not one of the offered callback times' },
  callback_not_cancellable: { status: 409, title: 'The callback can no longer be cancelled' },
} as const satisfies ErrorSpecs;
