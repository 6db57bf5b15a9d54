/**
 * Confirm cards: information an agent or a business system presents on the
 * customer's screen during a call, for the customer to confirm, correct or reject.
 * Mirrors packages/server/src/confirm/card-schemas.ts.
 */

export type CardKind = 'address' | 'payment' | 'appointment' | 'order' | 'identity' | 'form';
export type CardFieldType = 'string' | 'number' | 'date' | 'enum' | 'boolean';
export type CardFieldValue = string | number | boolean | null;
export type CardValues = Record<string, CardFieldValue>;

export interface CardField {
  name: string;
  label: string;
  type: CardFieldType;
  required?: boolean;
  /** Whole-value regular expression for strings. */
  pattern?: string;
  /** Value bounds for numbers, length bounds for strings. */
  min?: number;
  max?: number;
  options?: string[];
  format?: 'iban';
  readOnly?: boolean;
}

export interface OrderItem {
  name: string;
  qty: number;
  price: number;
}

export interface CardContent {
  kind: CardKind;
  title: string;
  message: string | null;
  fields: CardField[];
  values: CardValues;
  items: OrderItem[] | null;
}

export type CardStatus = 'presented' | 'confirmed' | 'corrected' | 'rejected' | 'expired';

export interface CardChange {
  field: string;
  from: CardFieldValue;
  to: CardFieldValue;
}

export interface CardAnswer {
  version: number;
  decision: 'confirm' | 'reject';
  status: 'confirmed' | 'corrected' | 'rejected';
  values: CardValues | null;
  changes: CardChange[];
  reason: string | null;
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

export interface CardInput {
  kind: CardKind;
  title?: string;
  message?: string;
  values?: CardValues;
  slots?: string[];
  items?: OrderItem[];
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
  values?: CardValues;
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

export interface ConfirmationRecord {
  id: string;
  interactionId: string;
  seq: number;
  cardId: string;
  cardVersion: number;
  type: 'presented' | 'answered' | 'expired';
  actor: string;
  at: number;
  content: unknown;
  contentHash: string;
  prevHash: string;
  hash: string;
}

export interface ChainCheck {
  ok: boolean;
  records: number;
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

/** Payload of the `confirm.answered` event (and webhook). */
export interface CardAnsweredEvent {
  cardId: string;
  version: number;
  kind: CardKind;
  title: string;
  customerId: string;
  status: CardAnswer['status'];
  values: CardValues | null;
  changes: CardChange[];
  reason: string | null;
  via: CardAnswer['via'];
  answeredAt: number;
  contentHash: string;
  recordHash: string;
}

type Request = <T>(method: string, path: string, opts?: { query?: Record<string, string | undefined>; body?: unknown }) => Promise<T>;

const enc = encodeURIComponent;

/** The `client.cards` methods, built on the client's authenticated request. */
export function cardMethods(request: Request) {
  return {
    templates: (): Promise<{ items: CardTemplate[] }> => request('GET', '/api/card-templates'),
    /** Presents a card in a live interaction; the customer sees it at once. */
    present: (interactionId: string, input: PresentCardInput): Promise<{ card: Card; link: CardLink | null }> =>
      request('POST', `/api/interactions/${enc(interactionId)}/cards`, { body: input }),
    /** A new version; `version` is the one being replaced. */
    revise: (id: string, version: number, input: CardInput): Promise<Card> => request('PUT', `/api/cards/${enc(id)}`, { body: { ...input, version } }),
    get: (id: string): Promise<Card> => request('GET', `/api/cards/${enc(id)}`),
    /** Customers: the cards shown to them (`status: 'presented'` = awaiting an answer). */
    list: (query: { status?: CardStatus; interactionId?: string } = {}): Promise<{ items: Card[] }> => request('GET', '/api/cards', { query }),
    ofInteraction: (interactionId: string): Promise<{ items: Card[] }> => request('GET', `/api/interactions/${enc(interactionId)}/cards`),
    /** Customers: confirm (optionally with corrections) or reject the version they saw. */
    answer: (id: string, input: CardAnswerInput): Promise<Card> => request('POST', `/api/cards/${enc(id)}/answer`, { body: input }),
    /** A one-time link for a caller without the app (texted when an SMS gateway is set up). */
    link: (id: string): Promise<CardLink> => request('POST', `/api/cards/${enc(id)}/link`),
    confirmed: (interactionId: string): Promise<{ items: ConfirmedData[] }> => request('GET', `/api/interactions/${enc(interactionId)}/confirmed`),
    exportRecord: (interactionId: string): Promise<ConfirmationExport> => request('GET', `/api/interactions/${enc(interactionId)}/confirmations/export`),
    verifyRecord: (interactionId: string): Promise<ChainCheck> => request('GET', `/api/interactions/${enc(interactionId)}/confirmations/verify`),
  };
}
