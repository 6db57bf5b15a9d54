import { CallsightApiError, type Card, type CardValues } from '@callsight/sdk';
import { useState, type FormEvent } from 'react';
import { client } from '../../shared/api';
import { CardFieldInput } from '../../shared/CardFieldInput';
import { mergeAnswer, validateValues } from '@callsight/protocol';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';

const money = (n: number) => n.toFixed(2);

/** Field errors keyed by field name, from the shared rules or the server's problem. */
function fieldErrors(issues: { path: string; message: string }[]): Record<string, string> {
  return Object.fromEntries(issues.map((i) => [i.path.split('.').pop()!, i.message]));
}

/** One card: its values to check and correct, then confirm or reject with a reason. */
export function CardAnswerForm({ card, updated, onAnswered }: { card: Card; updated: boolean; onAnswered: (card: Card) => void }) {
  const toast = useToast();
  const { content } = card;
  const [draft, setDraft] = useState<CardValues>(content.values);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  async function send(decision: 'confirm' | 'reject') {
    setProblem(null);
    const edits = Object.fromEntries(content.fields.filter((f) => !f.readOnly).map((f) => [f.name, draft[f.name] ?? null]));
    if (decision === 'confirm') {
      const issues = validateValues(content.fields, mergeAnswer(content.fields, content.values, edits), { complete: true });
      setErrors(fieldErrors(issues));
      if (issues.length) return;
    } else if (!reason.trim()) {
      setErrors({ reason: 'Tell the agent what is wrong' });
      return;
    }
    setBusy(true);
    try {
      const answered = await client.cards.answer(card.id, decision === 'confirm' ? { version: card.version, decision, values: edits } : { version: card.version, decision, reason });
      toast.success(answered.status === 'rejected' ? 'Sent: the agent will follow up' : 'Confirmed and sent to the agent');
      onAnswered(answered);
    } catch (err) {
      if (err instanceof CallsightApiError && err.code === 'card_invalid') setErrors(fieldErrors(err.fields));
      else setProblem(err);
    } finally {
      setBusy(false);
    }
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(rejecting ? 'reject' : 'confirm');
  };

  return (
    <form className="stack" onSubmit={submit} noValidate data-testid="card-form">
      <div className="sheet-grip" aria-hidden="true" />
      <div className="stack" style={{ gap: '0.3rem' }}>
        <h2 id={`card-title-${card.id}`}>{content.title}</h2>
        {content.message && <p className="muted" style={{ margin: 0 }}>{content.message}</p>}
      </div>
      {updated && <div className="banner banner-warn" role="status" data-testid="card-updated">The agent updated this card. Please check it again.</div>}
      {content.items && (
        <table className="order-lines">
          <tbody>
            {content.items.map((item, i) => (
              <tr key={i}>
                <td>{item.qty} × {item.name}</td>
                <td>{money(item.qty * item.price)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {content.fields.map((f) => (
        <CardFieldInput key={f.name} idPrefix="card" field={f} value={draft[f.name]} error={errors[f.name]} onChange={(v) => setDraft((d) => ({ ...d, [f.name]: v }))} />
      ))}
      {rejecting && (
        <div className="field">
          <label htmlFor="card-reason">What is wrong?</label>
          <textarea className="textarea" id="card-reason" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="card-reason" autoFocus />
          {errors.reason && <span className="field-error">{errors.reason}</span>}
        </div>
      )}
      <ProblemBanner error={problem} />
      <div className="sheet-actions">
        {rejecting ? (
          <>
            <button type="button" className="btn" onClick={() => setRejecting(false)} disabled={busy}>Back</button>
            <button type="submit" className="btn btn-danger" disabled={busy} data-testid="card-send-reject">Send rejection</button>
          </>
        ) : (
          <>
            <button type="button" className="btn" onClick={() => setRejecting(true)} disabled={busy} data-testid="card-reject">Something's wrong</button>
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="card-confirm">Confirm</button>
          </>
        )}
      </div>
      <p className="muted small" style={{ margin: 0 }}>Version {card.version}</p>
    </form>
  );
}
