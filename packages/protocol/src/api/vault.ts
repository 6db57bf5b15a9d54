import type { CardBrand } from '../vault/card-number.js';

/**
 * Saved payment cards (the vault). Only the token, brand, last four digits, expiry
 * and holder's name ever leave the server; the number itself is sealed at rest and
 * opened only to be spoken into a call.
 */
export interface VaultCard {
  /** `vtk_…`: the token the card is known by. */
  token: string;
  customerId: string;
  brand: CardBrand;
  last4: string;
  expMonth: number;
  expYear: number;
  holderName: string;
  status: 'active' | 'revoked';
  createdAt: number;
  revokedAt: number | null;
}

export interface SpeakCardInput {
  /** The customer's live call (the id their softphone knows it by). */
  callId: string;
  includeExpiry?: boolean;
  /** Read once and forgotten; never stored. */
  cvv?: string;
  /** espeak-ng voice (language), e.g. "en", "de". */
  voice?: string;
  /** Words per minute, 80..300. */
  rate?: number;
}

export interface SpeakResult {
  speakId: string;
  token: string;
  last4: string;
  /** Length of the spoken audio. */
  durationMs: number;
}

/** One time a card was spoken into a call (admin audit). */
export interface VaultSpeakRecord {
  id: string;
  token: string;
  last4: string;
  brand: CardBrand;
  customerId: string;
  callId: string;
  /** The agent's side of the bridge. */
  otherCallId: string | null;
  startedAt: number;
  durationMs: number | null;
  status: 'speaking' | 'completed' | 'stopped' | 'failed';
  /** 'card': the customer read the card; 'repeat': the agent asked for the last group again. */
  kind: 'card' | 'repeat';
  /** `usr_…` who started it. */
  actor: string;
  /** Where the recordings of the call hold comfort noise instead of the speech. */
  markers: RecordingMarker[];
}

export interface RecordingMarker {
  recordingId: string;
  /** From the start of the recording. */
  offsetMs: number;
  durationMs: number;
  token: string;
  last4: string;
}

export interface VaultKeyStatus {
  provider: string;
  currentVersion: number;
  minDecryptionVersion: number;
  versions: number[];
  /** Cards by the key version their data key is wrapped with. */
  cardsByVersion: Record<string, number>;
  /** When the keys were last rotated through the API (ms), null if never. */
  lastRotatedAt: number | null;
}

/** What an audit entry records: a card saved (tokenized) or removed, read into a call, keyed on a keypad, the keys rotated, or a reading refused. */
export type VaultAuditAction = 'saved' | 'removed' | 'spoken' | 'repeated' | 'keyed' | 'rotated' | 'refused';

/**
 * Why a reading (or an agent's repeat) was refused — nothing was read in any case:
 * `not_customer` only the card's owner reads it; `unknown_card` no such card;
 * `not_their_card` another customer's card; `other_tenant` a card of another
 * organisation (the row in the card's organisation names no one); `card_removed`;
 * `not_on_call` not a party to that call; `no_active_call` no connected call;
 * `in_progress` a card is already being read or keyed; `rate_limited` too many readings
 * in an hour; `invalid_code` the security code is malformed; `not_agent` only staff ask
 * for a repeat; `unknown_reading` no such reading; `repeat_expired` asked too late.
 */
export type VaultRefusalReason =
  | 'not_customer'
  | 'unknown_card'
  | 'not_their_card'
  | 'other_tenant'
  | 'card_removed'
  | 'not_on_call'
  | 'no_active_call'
  | 'in_progress'
  | 'rate_limited'
  | 'invalid_code'
  | 'not_agent'
  | 'unknown_reading'
  | 'repeat_expired';

export const VAULT_REFUSAL_REASONS: readonly VaultRefusalReason[] = ['not_customer', 'unknown_card', 'not_their_card', 'other_tenant', 'card_removed', 'not_on_call', 'no_active_call', 'in_progress', 'rate_limited', 'invalid_code', 'not_agent', 'unknown_reading', 'repeat_expired'];

/** One line of the vault audit: names, never ids shown to people; a card only as brand and last 4. */
export interface VaultAuditEntry {
  /** Stable, for list keys and the cursor; not for display. */
  id: string;
  at: number;
  action: VaultAuditAction;
  /** Who did it (null: unknown, e.g. a removal recorded before actors were kept). */
  actor: { id: string; name: string } | null;
  /** Whose card it was. */
  customer: { id: string; name: string } | null;
  card: { brand: CardBrand; last4: string } | null;
  /** The call it happened on: the caller's and the agent's names (or a number / SIP user). */
  call: { caller: string | null; agent: string | null } | null;
  /** How it ended: completed, stopped, failed, or a payment result (success, validation-error…). */
  outcome: string | null;
  /** Rotations: the new version, how many data keys were re-wrapped, the minimum decryption version. */
  rotation: { version: number; rewrapped: number; minDecryptionVersion: number } | null;
  /** Refusals: what was asked (reading the card, or the agent's repeat) and why it was refused. */
  refusal: { attempt: 'speak' | 'repeat'; reason: VaultRefusalReason } | null;
}

export interface VaultAuditQuery {
  from?: number;
  to?: number;
  /** `usr_…`: entries this person did or whose card it was. */
  userId?: string;
  limit?: number;
  cursor?: string;
}

export interface VaultAuditPage {
  items: VaultAuditEntry[];
  /** Pass as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

/** Keypad capture: the customer keys the card on their keypad while the agent hears only flat tones. */
export type CaptureStage = 'number' | 'expiry' | 'cvc';

/** How a keypad capture ended (Twilio <Pay>'s result codes, plus the agent's cancel and a timeout). */
export type CaptureResult =
  | 'success'
  | 'too-many-failed-attempts'
  | 'payment-connector-error'
  | 'caller-interrupted-with-star'
  | 'caller-hung-up'
  | 'validation-error'
  | 'agent-cancelled'
  | 'timeout';

export interface StartCaptureInput {
  /** The agent's call (the one their softphone knows); the customer is whoever it is bridged to. */
  callId: string;
  /** Minor units (cents); omitted: the connector only tokenizes. */
  amount?: number;
  currency?: string;
  description?: string;
  /** A retry with the same key returns the same capture and never charges twice. */
  idempotencyKey?: string;
}

/** What the agent (and the customer's screen) may know while digits go in: counts and checks, never digits. */
export interface CaptureProgress {
  captureId: string;
  /** The agent's call and the customer's. */
  callId: string;
  customerCallId: string;
  stage: CaptureStage;
  /** Keys entered in this stage. */
  digits: number;
  /** Of the number once it has 12 digits or more; null before. */
  luhnValid: boolean | null;
  brand: CardBrand;
  /** 1-based; a rejected stage starts the next attempt. */
  attempt: number;
  /** The stage just rejected (wrong Luhn, length, past expiry), if any. */
  rejected: CaptureStage | null;
  status: 'collecting' | 'processing' | 'done';
}

export interface CaptureRecord {
  id: string;
  callId: string;
  customerCallId: string;
  /** `usr_…` when the customer is an app user; null for a phone caller. */
  customerId: string | null;
  actor: string;
  status: 'collecting' | 'processing' | 'done';
  result: CaptureResult | null;
  brand: CardBrand | null;
  last4: string | null;
  /** The connector's token for the payment (never the number). */
  paymentToken: string | null;
  amount: number | null;
  currency: string | null;
  idempotencyKey: string;
  attempts: number;
  startedAt: number;
  endedAt: number | null;
  markers: Omit<RecordingMarker, 'token' | 'last4'>[];
}
