import type { CardField, CardKind, CardValues, FieldChange, OrderItem } from './card-rules.js';

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
  changes: FieldChange[];
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
  ttlSeconds?: number;
}

export interface AnswerInput {
  version: number;
  decision: 'confirm' | 'reject';
  /** Edited values; fields left out keep what was shown. */
  values?: CardValues;
  reason?: string;
}
