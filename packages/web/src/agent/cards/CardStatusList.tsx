import type { Card, CardFieldValue, CardLink } from '@callsight/sdk';
import { useState } from 'react';
import { client } from '../../shared/api';
import { formatTime } from '../../shared/format';
import { useToast } from '../../shared/Toasts';

const PILL: Record<Card['status'], string> = {
  presented: 'pill',
  confirmed: 'pill pill-ok',
  corrected: 'pill pill-warn',
  rejected: 'pill pill-bad',
  expired: 'pill pill-muted',
};

const show = (v: CardFieldValue) => (v === null || v === '' ? '—' : String(v));

/** Every card of the interaction with its live status, what the customer changed, and actions for open ones. */
export function CardStatusList({ cards, onEdit }: { cards: Card[]; onEdit: (card: Card) => void }) {
  const toast = useToast();
  const [links, setLinks] = useState<Record<string, CardLink>>({});
  if (cards.length === 0) return <p className="empty">No cards yet. Push one and its status appears here as the customer answers.</p>;

  async function makeLink(card: Card) {
    try {
      const link = await client.cards.link(card.id);
      setLinks((l) => ({ ...l, [card.id]: link }));
    } catch (err) {
      toast.error(err);
    }
  }

  return (
    <ul className="card-status-list" aria-live="polite" data-testid="card-status-list">
      {[...cards].reverse().map((card) => (
        <li key={card.id} data-testid="card-status" data-card-id={card.id} data-status={card.status} data-version={card.version}>
          <div className="row wrap">
            <strong>{card.content.title}</strong>
            <span className="muted small">v{card.version} · {formatTime(card.updatedAt)}</span>
            <span className={`${PILL[card.status]} push-right`}>{card.status}</span>
          </div>
          {card.answer?.status === 'corrected' && (
            <ul className="diff" data-testid="card-diff" aria-label="Corrections">
              {card.answer.changes.filter((c) => c.from !== null && c.from !== '').map((c) => (
                <li key={c.field}>
                  {c.field}: <del>{show(c.from)}</del> → <ins>{show(c.to)}</ins>
                </li>
              ))}
            </ul>
          )}
          {card.answer?.status === 'rejected' && <p className="small" style={{ margin: 0 }}>Reason: {card.answer.reason}</p>}
          {card.status === 'presented' && (
            <div className="row">
              <button type="button" className="btn btn-small" onClick={() => onEdit(card)} data-testid="card-edit">Edit</button>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => void makeLink(card)}>SMS link</button>
            </div>
          )}
          {links[card.id] && (
            <div className="small">
              {links[card.id].sentTo ? `Texted to ${links[card.id].sentTo}: ` : 'Read out: '}
              <span className="break">{links[card.id].url}</span>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
