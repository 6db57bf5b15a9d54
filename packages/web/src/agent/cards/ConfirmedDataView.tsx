import type { Card, ConfirmedData } from '@callsight/sdk';
import { formatTime } from '../../shared/format';

/** What the customer has confirmed in this interaction: the values to act on, labelled and ordered as on the card. */
export function ConfirmedDataView({ items, cards }: { items: ConfirmedData[]; cards: Card[] }) {
  const fieldsOf = (cardId: string) => cards.find((c) => c.id === cardId)?.content.fields;
  if (items.length === 0) return <p className="empty">Nothing confirmed yet.</p>;
  return (
    <div className="stack" data-testid="confirmed-data">
      {items.map((c) => (
        <section key={c.cardId} data-testid="confirmed-card" data-card-id={c.cardId}>
          <h3 className="small">
            {c.title} <span className="muted">· {c.status} at {formatTime(c.confirmedAt)}</span>
          </h3>
          <dl className="kv">
            {(fieldsOf(c.cardId) ?? Object.keys(c.values).map((name) => ({ name, label: name }))).map(({ name, label }) => (
              <div key={name} style={{ display: 'contents' }}>
                <dt>{label}</dt>
                <dd data-testid={`confirmed-${name}`}>{c.values[name] === null || c.values[name] === undefined || c.values[name] === '' ? '—' : String(c.values[name])}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
