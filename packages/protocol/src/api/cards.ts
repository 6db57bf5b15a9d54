import type { CardChange, CardField, CardKind, CardValues, OrderItem } from '../cards/card-rules.js';

/**
 * Confirm cards: information an agent or a business system presents on the
 * customer's screen during a call, for the customer to confirm, correct or reject.
 */

/** Exactly what the customer is shown; its canonical JSON is what the content hash covers. */
export interface CardContent {
  kind: CardKind;
  title: string;
  /** A sentence from the agent above the fields ("Please confirm your address"). */
  message: string | null;
  fields: CardField[];
  values: CardValues;
  /** Order cards: the lines the total is computed from. */
  items: OrderItem[] | null;
}

export type CardStatus = 'presented' | 'confirmed' | 'corrected' | 'rejected' | 'expired';

export interface CardAnswer {
  version: number;
  decision: 'confirm' | 'reject';
  status: Extract<CardStatus, 'confirmed' | 'corrected' | 'rejected'>;
  /** The values as the customer confirmed them (null when rejected). */
  values: CardValues | null;
  changes: CardChange[];
  reason: string | null;
  /** `usr_…` for the logged-in customer, `link:<id>` for the one-time SMS page. */
  answeredBy: string;
  via: 'app' | 'link';
  at: number;
}

export interface Card {
  id: string;
  interactionId: string;
  customerId: string;
  version: number;
  kind: CardKind;
  content: CardContent;
  /** SHA-256 of the canonical JSON of `content`. */
  contentHash: string;
  status: CardStatus;
  presentedBy: string;
  expiresAt: number;
  answer: CardAnswer | null;
  createdAt: number;
  updatedAt: number;
}

/** What the agent (or a business system) sends to present or revise a card. */
export interface CardInput {
  kind: CardKind;
  title?: string;
  message?: string;
  values?: CardValues;
  /** Appointment cards: the slots to choose from. */
  slots?: string[];
  /** Order cards. */
  items?: OrderItem[];
  /** Form cards: their own typed fields. */
  fields?: CardField[];
  /** 1–86400; default 300. */
  ttlSeconds?: number;
}

export interface PresentCardInput extends Partial<CardInput> {
  /** Start from a saved template; fields given here override it. */
  templateId?: string;
  /** Also make a one-time link for a caller without the app. */
  sms?: boolean;
}

export interface CardLink {
  url: string;
  expiresAt: number;
  /** The number the link was texted to; null when the agent must read it out. */
  sentTo: string | null;
}

export interface CardAnswerInput {
  /** The version the customer saw; a stale one is refused with 409 card_version_stale. */
  version: number;
  decision: 'confirm' | 'reject';
  /** Edited values; fields left out keep what was shown. */
  values?: CardValues;
  /** Required when rejecting. */
  reason?: string;
}

export interface CardTemplate {
  id: string;
  name: string;
  kind: CardKind;
  title: string;
  preset: Partial<CardInput>;
}

export interface ConfirmedData {
  cardId: string;
  version: number;
  kind: CardKind;
  title: string;
  status: 'confirmed' | 'corrected';
  values: CardValues;
  changes: CardChange[];
  confirmedAt: number;
}

export type ConfirmationRecordType = 'presented' | 'answered' | 'expired';

/** One link of an interaction's hash chain of what was shown and answered. */
export interface ConfirmationRecord {
  id: string;
  interactionId: string;
  seq: number;
  cardId: string;
  cardVersion: number;
  type: ConfirmationRecordType;
  /** `usr_…`, `key_…`, `link:<id>` or `system`. */
  actor: string;
  at: number;
  /** Exactly what was shown (presented) or answered. */
  content: unknown;
  contentHash: string;
  prevHash: string;
  hash: string;
}

export interface ChainCheck {
  ok: boolean;
  records: number;
  /** The first record that does not verify, and why. */
  brokenAt?: { seq: number; reason: string };
  headHash: string;
}

export interface ConfirmationExport {
  interactionId: string;
  exportedAt: number;
  algorithm: string;
  records: ConfirmationRecord[];
  verification: ChainCheck;
}
