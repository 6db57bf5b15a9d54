import type { ErrorSpecs } from '../core/error-spec.js';

/** Codes of users, sessions and API keys. */
export const AUTH_ERRORS = {
  email_taken: { status: 409, title: 'A user with this email exists' },
  user_remove_self: { status: 409, title: 'You cannot remove your own account' },
  reset_link_invalid: { status: 400, title: 'The password-reset link has expired or was already used' },
  user_last_admin: { status: 409, title: 'The last active admin cannot be removed' },
} as const satisfies ErrorSpecs;
