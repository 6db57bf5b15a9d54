import { CallsightApiError, type VaultCard } from '@callsight/sdk';
import { useEffect, useState, type FormEvent } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { CardFace } from './BrandMark';
import { cardAriaLabel, cardLabel } from './card-display';

type Phase = { kind: 'choose' } | { kind: 'reading'; card: VaultCard; speakId: string; durationMs: number; startedAt: number } | { kind: 'done'; card: VaultCard };

/**
 * "Read card into call": the customer picks a saved card (and whether the expiry and
 * the security code go with it); the server reads it to the agent while this phone's
 * microphone is muted, and the call's recording skips it. The customer hears it too.
 */
export function ReadCardSheet({ cards, callId, onClose }: { cards: VaultCard[]; callId: string; onClose: () => void }) {
  const [chosen, setChosen] = useState(cards[0]?.token ?? '');
  const [withExpiry, setWithExpiry] = useState(true);
  const [cvv, setCvv] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  const [problem, setProblem] = useState<unknown>(null);
  const [cvvError, setCvvError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(Date.now());
  const card = cards.find((c) => c.token === chosen);

  // The server says when the reading ended (vault.card.spoken); the timer only drives the progress bar.
  useEffect(() => {
    if (phase.kind !== 'reading') return;
    const stream = client.realtime({ types: ['vault.card.spoken'] });
    stream.on('event', (e) => {
      if (e.type === 'vault.card.spoken' && e.data.speakId === phase.speakId) setPhase({ kind: 'done', card: phase.card });
    });
    const timer = setInterval(() => setNow(Date.now()), 200);
    return () => {
      stream.close();
      clearInterval(timer);
    };
  }, [phase]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!card) return;
    setProblem(null);
    setCvvError(null);
    const digits = card.brand === 'amex' ? 4 : 3;
    if (cvv && !new RegExp(`^[0-9]{${digits}}$`).test(cvv)) {
      setCvvError(`The security code has ${digits} digits`);
      return;
    }
    setBusy(true);
    try {
      const r = await client.vault.speak(card.token, { callId, includeExpiry: withExpiry, ...(cvv ? { cvv } : {}) });
      setCvv('');
      setPhase({ kind: 'reading', card, speakId: r.speakId, durationMs: r.durationMs, startedAt: Date.now() });
    } catch (err) {
      if (err instanceof CallsightApiError && err.fields.some((f) => f.path === 'body.cvv')) setCvvError(err.fields.find((f) => f.path === 'body.cvv')!.message);
      else setProblem(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="sheet-backdrop">
      <section className="sheet" role="dialog" aria-modal="true" aria-labelledby="read-card-title" data-testid="read-card-sheet" data-phase={phase.kind}>
        <div className="sheet-grip" aria-hidden="true" />
        {phase.kind === 'choose' && (
          <form className="stack" onSubmit={submit} noValidate>
            <div className="stack" style={{ gap: '0.3rem' }}>
              <h2 id="read-card-title">Read a card to the agent</h2>
              <p className="muted">We read the number to the agent for you. Your microphone is muted while it is read, and the call recording leaves it out.</p>
            </div>
            <fieldset className="wallet-choices">
              <legend className="visually-hidden">Card</legend>
              {cards.map((c) => (
                <label key={c.token} className={`wallet-choice${c.token === chosen ? ' wallet-choice-on' : ''}`} data-testid="read-card-choice">
                  <input type="radio" name="card" value={c.token} checked={c.token === chosen} onChange={() => setChosen(c.token)} aria-label={cardAriaLabel(c)} />
                  <CardFace card={c} />
                </label>
              ))}
            </fieldset>
            <label className="field field-inline">
              <input type="checkbox" checked={withExpiry} onChange={(e) => setWithExpiry(e.target.checked)} data-testid="read-card-expiry" />
              Also read the expiry date
            </label>
            <label className="field">
              Security code (optional)
              <input
                type="password"
                inputMode="numeric"
                autoComplete="cc-csc"
                maxLength={4}
                value={cvv}
                onChange={(e) => setCvv(e.target.value.replace(/[^0-9]/g, ''))}
                aria-invalid={cvvError ? true : undefined}
                aria-describedby="cvv-help"
                data-testid="read-card-cvv"
              />
              <span id="cvv-help" className={cvvError ? 'field-error' : 'muted small'}>
                {cvvError ?? 'Read once and never stored.'}
              </span>
            </label>
            <ProblemBanner error={problem} />
            <div className="sheet-actions">
              <button type="button" className="btn" onClick={onClose}>
                Cancel
              </button>
              <button type="submit" className="btn btn-primary" disabled={busy || !card} data-testid="read-card-go">
                {busy ? 'Starting…' : 'Read it now'}
              </button>
            </div>
          </form>
        )}
        {phase.kind === 'reading' && (
          <div className="stack" aria-live="polite">
            <h2 id="read-card-title">Reading your card</h2>
            <p data-testid="read-card-status">
              The agent is hearing <strong>{cardLabel(phase.card)}</strong>. Your microphone is muted until it is done.
            </p>
            <div className="read-progress" role="progressbar" aria-label="Reading" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.min(100, Math.round(((now - phase.startedAt) / phase.durationMs) * 100))}>
              <span style={{ width: `${Math.min(100, ((now - phase.startedAt) / phase.durationMs) * 100)}%` }} />
            </div>
          </div>
        )}
        {phase.kind === 'done' && (
          <div className="stack" aria-live="polite">
            <h2 id="read-card-title">Done</h2>
            <p data-testid="read-card-status">The agent has heard {cardLabel(phase.card)}. Your microphone is on again.</p>
            <div className="sheet-actions">
              <button type="button" className="btn btn-primary" onClick={onClose} data-testid="read-card-close">
                Back to the call
              </button>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
