import type {
  Card,
  CardAnswerInput,
  CardInput,
  CardLink,
  CardStatus,
  CardTemplate,
  ChainCheck,
  ConfirmationExport,
  ConfirmedData,
  PresentCardInput,
} from '@callsight/protocol';
import { enc, type Send } from './request.js';

/** The `client.cards` methods: confirm cards pushed to a customer's screen during a call. */
export function cardMethods(send: Send) {
  return {
    templates: () => send<{ items: CardTemplate[] }>('GET', '/api/card-templates'),
    /** Presents a card in a live interaction; the customer sees it at once. */
    present: (interactionId: string, input: PresentCardInput) => send<{ card: Card; link: CardLink | null }>('POST', `/api/interactions/${enc(interactionId)}/cards`, { body: input }),
    /** A new version; `version` is the one being replaced. */
    revise: (id: string, version: number, input: CardInput) => send<Card>('PUT', `/api/cards/${enc(id)}`, { body: { ...input, version } }),
    get: (id: string) => send<Card>('GET', `/api/cards/${enc(id)}`),
    /** Customers: the cards shown to them (`status: 'presented'` = awaiting an answer). */
    list: (query: { status?: CardStatus; interactionId?: string } = {}) => send<{ items: Card[] }>('GET', '/api/cards', { query }),
    ofInteraction: (interactionId: string) => send<{ items: Card[] }>('GET', `/api/interactions/${enc(interactionId)}/cards`),
    /** Customers: confirm (optionally with corrections) or reject the version they saw. */
    answer: (id: string, input: CardAnswerInput) => send<Card>('POST', `/api/cards/${enc(id)}/answer`, { body: input }),
    /** A one-time link for a caller without the app (texted when an SMS gateway is set up). */
    link: (id: string) => send<CardLink>('POST', `/api/cards/${enc(id)}/link`),
    confirmed: (interactionId: string) => send<{ items: ConfirmedData[] }>('GET', `/api/interactions/${enc(interactionId)}/confirmed`),
    exportRecord: (interactionId: string) => send<ConfirmationExport>('GET', `/api/interactions/${enc(interactionId)}/confirmations/export`),
    verifyRecord: (interactionId: string) => send<ChainCheck>('GET', `/api/interactions/${enc(interactionId)}/confirmations/verify`),
  };
}
