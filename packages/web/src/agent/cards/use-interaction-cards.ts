import type { Card, ConfirmedData } from '@callsight/sdk';
import { useCallback, useEffect, useState } from 'react';
import { client } from '../../shared/api';

export interface InteractionCards {
  cards: Card[];
  confirmed: ConfirmedData[];
  error: unknown;
  reload: () => void;
}

/**
 * The cards of one interaction and its confirmed data, refreshed on every
 * `confirm.*` event of that interaction, so answers appear the moment they land.
 */
export function useInteractionCards(interactionId: string): InteractionCards {
  const [state, setState] = useState<{ cards: Card[]; confirmed: ConfirmedData[]; error: unknown }>({ cards: [], confirmed: [], error: null });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    let live = true;
    Promise.all([client.cards.ofInteraction(interactionId), client.cards.confirmed(interactionId)]).then(
      ([cards, confirmed]) => live && setState({ cards: cards.items, confirmed: confirmed.items, error: null }),
      (error: unknown) => live && setState((s) => ({ ...s, error })),
    );
    return () => {
      live = false;
    };
  }, [interactionId, tick]);

  useEffect(() => {
    const stream = client.realtime({ types: ['confirm.'], interactionId });
    stream.on('event', reload);
    stream.on('open', reload);
    return () => stream.close();
  }, [interactionId, reload]);

  return { ...state, reload };
}
