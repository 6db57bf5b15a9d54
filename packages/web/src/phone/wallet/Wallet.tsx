import type { VaultCard } from '@callsight/sdk';
import type { Resource } from '../../shared/use-resource';
import { useState } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import { AddCardForm } from './AddCardForm';
import { CardFace } from './BrandMark';
import { cardAriaLabel, cardLabel } from './card-display';
import './wallet.css';

/**
 * The customer's saved cards: brand and last four only. During a connected call the
 * call screen offers to read one into the call (ReadCardSheet), so nobody nearby hears it.
 */
export function Wallet({ cards }: { cards: Resource<{ items: VaultCard[] }> }) {
  const toast = useToast();
  const [adding, setAdding] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const items = cards.data?.items ?? [];

  async function remove(c: VaultCard) {
    setProblem(null);
    try {
      await client.vault.revoke(c.token);
      toast.success(`${cardLabel(c)} removed`);
      cards.reload();
    } catch (err) {
      setProblem(err);
    }
  }

  return (
    <section className="card wallet" aria-labelledby="wallet-title" data-testid="wallet">
      <div className="row">
        <h2 id="wallet-title" className="grow">
          Saved cards
        </h2>
        {!adding && (
          <button type="button" className="btn btn-small" onClick={() => setAdding(true)} data-testid="add-card">
            Add a card
          </button>
        )}
      </div>
      <ProblemBanner error={problem ?? cards.error} />
      {items.length === 0 && !cards.loading && !adding && <p className="muted">No saved cards yet. Save one to give it to an agent during a call without saying it aloud.</p>}
      {items.length > 0 && <p className="muted small">During a call, choose <strong>Read a card into the call</strong> and we read it to the agent for you.</p>}
      {items.length > 0 && (
        <ul className="wallet-list">
          {items.map((c) => (
            <li key={c.token} className="wallet-item" data-testid="wallet-card" aria-label={cardAriaLabel(c)}>
              <CardFace card={c} />
              <button type="button" className="btn btn-small btn-ghost btn-danger" onClick={() => void remove(c)} aria-label={`Remove ${cardAriaLabel(c)}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {adding && (
        <AddCardForm
          onCancel={() => setAdding(false)}
          onSaved={(c) => {
            setAdding(false);
            toast.success(`${cardLabel(c)} saved`);
            cards.reload();
          }}
        />
      )}
    </section>
  );
}
