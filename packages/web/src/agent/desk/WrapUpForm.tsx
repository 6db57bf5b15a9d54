import type { PendingWrapUp } from '@callsight/sdk';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import { Elapsed } from './Elapsed';

/** After a call: the queue's wrap-up codes, notes, and the time left before it closes by itself. */
export function WrapUpForm({ wrapUp, queueName, onDone }: { wrapUp: PendingWrapUp; queueName?: string; onDone: () => void }) {
  const toast = useToast();
  const [code, setCode] = useState('');
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), [wrapUp.itemId]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await client.desk.wrapUp(wrapUp.itemId, { code: code || null, notes: notes.trim() || null });
      toast.success('Wrapped up — you are available for the next call');
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack wrap-up-form" onSubmit={(e) => void submit(e)} aria-labelledby="wrap-title" data-testid="wrap-up-form" data-item-id={wrapUp.itemId} id="desk-wrap-up">
      <div className="row">
        <h2 id="wrap-title" className="grow">Wrap up this call</h2>
        <span className="pill pill-warn">
          Closes in <Elapsed until={wrapUp.dueAt} testId="wrap-up-countdown" />
        </span>
      </div>
      <p className="muted small">Pick what the call was about{queueName ? ` (${queueName} codes)` : ''} and note anything the next person should know.</p>
      <ProblemBanner error={error} />
      <div className="field">
        <label htmlFor="wrap-code">Outcome</label>
        <select id="wrap-code" ref={first} value={code} onChange={(e) => setCode(e.target.value)} data-testid="wrap-up-code">
          <option value="">{wrapUp.codes.length ? 'Choose an outcome…' : 'This queue has no wrap-up codes'}</option>
          {wrapUp.codes.map((c) => (
            <option key={c} value={c}>{c}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="wrap-notes">Notes</label>
        <textarea id="wrap-notes" rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={4000} data-testid="wrap-up-notes" />
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="wrap-up-submit">Finish wrap-up</button>
    </form>
  );
}
