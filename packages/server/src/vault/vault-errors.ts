import type { ErrorSpecs } from '../core/error-spec.js';

/** Codes of the card vault and of speaking a card into a call. */
export const VAULT_ERRORS = {
  vault_card_invalid: { status: 400, title: 'The card number, expiry or name is not valid' },
  vault_card_exists: { status: 409, title: 'This card is already saved' },
  vault_card_revoked: { status: 410, title: 'This card was removed' },
  vault_no_active_call: { status: 409, title: 'There is no connected call to read the card into' },
  vault_not_on_call: { status: 403, title: 'You are not a party to this call' },
  vault_speak_in_progress: { status: 409, title: 'A card is already being read into this call' },
  vault_speak_rate_limited: { status: 429, title: 'Too many cards read in the last hour' },
  vault_repeat_expired: { status: 409, title: 'The card was read too long ago to repeat' },
  vault_key_retired: { status: 409, title: 'The card is sealed with a retired key version' },
  vault_key_unavailable: { status: 503, title: 'The key provider cannot be reached' },
  vault_rotation_unsupported: { status: 409, title: 'This key provider is rotated by its operator' },
  vault_operator_only: { status: 403, title: "The vault's keys are managed by the server's operator" },
  vault_min_version_invalid: { status: 409, title: 'Cards are still wrapped with an older key version' },
} as const satisfies ErrorSpecs;
