import type { Card, CardAnswer } from '../api/cards.js';
import type { CardChange, CardValues } from '../cards/card-rules.js';

/**
 * The customer answered. Carries what a business system acts on without a
 * second request: the final values, what changed, and the hashes that tie the
 * answer to the exact content shown and to the interaction's record chain.
 */
export interface CardAnsweredEvent {
  cardId: string;
  version: number;
  kind: Card['kind'];
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

/** Confirm cards presented to a customer during a call. */
export interface ConfirmEvents {
  /** A card (or a new version of it) is on the customer's screen; `card` is exactly what they see. */
  'confirm.presented': { cardId: string; version: number; customerId: string; presentedBy: string; contentHash: string; expiresAt: number; card: Card };
  'confirm.answered': CardAnsweredEvent;
  /** `reason`: its time ran out, or the call it was shown on ended (cards close with their call). */
  'confirm.expired': { cardId: string; version: number; customerId: string; reason: 'timeout' | 'call_ended' };
}
