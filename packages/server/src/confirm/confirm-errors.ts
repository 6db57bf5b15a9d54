import type { ErrorSpecs } from '../core/error-spec.js';

/** Codes of confirm cards and their one-time links. */
export const CONFIRM_ERRORS = {
  card_invalid: { status: 400, title: 'The card or its answer breaks the card rules' },
  card_not_open: { status: 409, title: 'The card is no longer waiting for an answer' },
  card_already_answered: { status: 409, title: 'The card has already been answered' },
  card_expired: { status: 409, title: 'The card has expired' },
  card_version_stale: { status: 409, title: 'The card changed since it was shown: reload it' },
  interaction_closed: { status: 409, title: 'The interaction is closed' },
  interaction_without_customer: { status: 409, title: 'The interaction has no customer to show the card to' },
  link_invalid: { status: 404, title: 'This link is not valid', statusVaries: '410 for a branded call link (branding)' },
  link_expired: { status: 410, title: 'This link has expired' },
  link_used: { status: 410, title: 'This link has already been used' },
} as const satisfies ErrorSpecs;
