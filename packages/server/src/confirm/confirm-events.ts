import type { CardValues, FieldChange } from './card-rules.js';
import type { Card, CardAnswer } from './card-types.js';

declare module '../bus/event-map.js' {
  interface EventMap {
    /** A card (or a new version of it) is on the customer's screen; `card` is exactly what they see. */
    'confirm.presented': { cardId: string; version: number; customerId: string; presentedBy: string; contentHash: string; expiresAt: number; card: Card };
    /**
     * The customer answered. Carries what a business system acts on without a
     * second request: the final values, what changed, and the hashes that tie the
     * answer to the exact content shown and to the interaction's record chain.
     */
    'confirm.answered': {
      cardId: string;
      version: number;
      kind: Card['kind'];
      title: string;
      customerId: string;
      status: CardAnswer['status'];
      values: CardValues | null;
      changes: FieldChange[];
      reason: string | null;
      via: CardAnswer['via'];
      answeredAt: number;
      contentHash: string;
      recordHash: string;
    };
    'confirm.expired': { cardId: string; version: number; customerId: string };
  }
}
