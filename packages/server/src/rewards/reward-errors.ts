import type { ErrorSpecs } from '../core/error-spec.js';

/** Codes of reward programs, the points ledger and redemptions. */
export const REWARDS_ERRORS = {
  rewards_program_invalid: { status: 400, title: 'The reward program breaks the program rules' },
  rewards_program_stale: { status: 409, title: 'The program changed meanwhile: reload it' },
  rewards_budget_below_paid: { status: 409, title: 'The new budget is below what the program already paid this period' },
  rewards_insufficient_balance: { status: 409, title: 'Not enough points for this' },
  rewards_request_reused: { status: 409, title: 'This request id was already used for a different request' },
  rewards_address_invalid: { status: 400, title: 'The wallet address is not a valid EIP-55 checksummed address' },
  rewards_recipient_invalid: { status: 400, title: 'The points cannot go to that recipient' },
  rewards_payout_not_configured: { status: 409, title: 'Crypto payouts are not set up for this tenant' },
  rewards_payout_config_invalid: { status: 400, title: 'The payout settings are not usable' },
  rewards_nothing_to_seal: { status: 409, title: 'There are no new ledger entries to seal' },
  rewards_entry_not_sealed: { status: 404, title: 'The entry is not in a sealed period yet' },
  rewards_payment_not_confirmed: { status: 409, title: 'The redemption is not a confirmed crypto payment' },
  rewards_chain_unavailable: { status: 503, title: 'The chain could not be read to prove the payment' },
} as const satisfies ErrorSpecs;
