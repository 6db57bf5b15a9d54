import { useRef } from 'react';
import '../../shared/cards.css';
import { CardAnswerForm } from './CardAnswerForm';
import { usePendingCards } from './use-pending-cards';

/**
 * The card the agent pushed, as a sheet over the call screen; shows nothing until
 * a card waits for this customer. `hidden` while a call rings: a card never covers
 * the Accept of an incoming call (it comes back once the call is answered or gone).
 * Cards close with their call on the server, which tells this page (confirm.expired).
 */
export function CardSheet({ hidden = false }: { hidden?: boolean }) {
  const { cards, settle } = usePendingCards();
  const seenVersions = useRef(new Map<string, number>());
  const card = cards[0];
  if (!card || hidden) return null;
  const firstSeen = seenVersions.current.get(card.id);
  if (firstSeen === undefined) seenVersions.current.set(card.id, card.version);
  const updated = firstSeen !== undefined && firstSeen < card.version;
  return (
    <div className="sheet-backdrop">
      <section
        className="sheet"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`card-title-${card.id}`}
        data-testid="card-sheet"
        data-card-id={card.id}
        data-version={card.version}
      >
        <CardAnswerForm key={`${card.id}@${card.version}`} card={card} updated={updated} onAnswered={settle} />
      </section>
    </div>
  );
}
