import type { Card, CardAnswerInput } from '../api/cards.js';

/** Confirm cards on the customer's socket: pushed when presented, answered in place. */
export type CardClientMessage = { kind: 'card.answer'; ref?: string; cardId: string } & CardAnswerInput;

export type CardServerMessage = { kind: 'card.presented'; card: Card } | { kind: 'card.answered'; ref?: string; card: Card };
