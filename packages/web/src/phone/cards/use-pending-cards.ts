import type { Card, CallsightEvent } from '@callsight/sdk';
import { useCallback, useEffect, useState } from 'react';
import { client } from '../../shared/api';

type Pending = Map<string, Card>;

/** Keeps the newer version: pushes and events for one card may arrive in either order. */
function upsert(cards: Pending, card: Card): Pending {
  const known = cards.get(card.id);
  if (known && known.version > card.version) return cards;
  const next = new Map(cards);
  if (card.status === 'presented') next.set(card.id, card);
  else next.delete(card.id);
  return next;
}

function without(cards: Pending, cardId: string, version: number): Pending {
  const known = cards.get(cardId);
  if (!known || known.version > version) return cards;
  const next = new Map(cards);
  next.delete(cardId);
  return next;
}

/**
 * The cards waiting for this customer's answer: loaded once, then kept live from
 * the direct `card.presented` push (fastest) and the `confirm.*` events (which
 * also reach this socket when the card was pushed from another server process).
 */
export function usePendingCards(): { cards: Card[]; settle: (card: Card) => void } {
  const [cards, setCards] = useState<Pending>(new Map());
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    let live = true;
    const stream = client.realtime({ types: ['confirm.'] });
    const load = () =>
      client.cards.list({ status: 'presented' }).then(
        (page) => live && setCards((current) => page.items.reduce(upsert, current)),
        () => undefined,
      );
    // (Re)load on every connect: pushes made while disconnected are not replayed.
    stream.on('open', () => void load());
    stream.on('message', (msg) => {
      if (msg.kind === 'card.presented') setCards((c) => upsert(c, msg.card as Card));
    });
    stream.on('event', (event: CallsightEvent) => {
      const data = event.data as { cardId: string; version: number; card?: Card };
      if (event.type === 'confirm.presented' && data.card) setCards((c) => upsert(c, data.card!));
      if (event.type === 'confirm.answered' || event.type === 'confirm.expired') setCards((c) => without(c, data.cardId, data.version));
    });
    return () => {
      live = false;
      stream.close();
    };
  }, []);

  // Expiry is also enforced by the server; this only hides a card the moment it lapses.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const settle = useCallback((card: Card) => setCards((c) => without(c, card.id, card.version)), []);
  const list = [...cards.values()].filter((c) => c.expiresAt > now).sort((a, b) => a.createdAt - b.createdAt);
  return { cards: list, settle };
}
