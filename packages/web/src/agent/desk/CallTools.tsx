import type { AgentRouting, ConsultMode, Queue } from '@callsight/sdk';
import { useEffect, useState, type FormEvent } from 'react';
import { client } from '../../shared/api';
import { presenceText } from '../../shared/messages';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import { ConsultPanel, useConsult } from './ConsultPanel';

type Action = ConsultMode | 'transfer';

/**
 * Moves the caller on: to another agent (their phones ring), a queue (its next agent) or
 * a number. Transfer now: blind; to a queue the agent's leg is released at once, else on
 * answer, so their wrap-up starts. Consult first: the caller waits on hold while the
 * agent talks to the target, then completes the transfer, conferences or goes back. Add
 * to the call: a conference at once, the caller and agent talking while the target rings.
 */
export function CallTools({ callId, selfId }: { callId: string; selfId: string }) {
  const toast = useToast();
  const [agents, setAgents] = useState<AgentRouting[]>([]);
  const [queues, setQueues] = useState<Queue[]>([]);
  const [target, setTarget] = useState('');
  const [number, setNumber] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [consult, setConsult] = useConsult(callId);
  useEffect(() => {
    // Agents see their team only when they may (supervisors); everyone may pick a queue or type a number.
    client.work.agents().then((r) => setAgents(r.items.filter((a) => a.userId !== selfId)), () => {});
    client.queues.list().then((r) => setQueues(r.items.filter((q) => q.channels.includes('voice'))), () => {});
  }, [selfId]);

  async function act(e: FormEvent, action: Action) {
    e.preventDefault();
    const to = number.trim() || target;
    if (!to) return;
    setBusy(true);
    setError(null);
    try {
      if (action !== 'transfer') setConsult(await client.desk.consult(callId, to, action));
      else {
        await client.desk.transfer(callId, to);
        toast.success(to.startsWith('queue:') ? 'Transferred — the caller waits for the next agent of that queue' : 'Transferring — the caller is connected when they answer');
      }
      setNumber('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (consult) return <ConsultPanel consult={consult} onChange={setConsult} />;
  const ready = !busy && (number.trim() !== '' || target !== '');
  return (
    <form className="card stack call-tools" onSubmit={(e) => void act(e, 'consult')} aria-labelledby="transfer-title" data-testid="transfer-form">
      <h2 id="transfer-title">Transfer or add someone</h2>
      <ProblemBanner error={error} />
      <div className="field">
        <label htmlFor="transfer-target">To a colleague or queue</label>
        <select id="transfer-target" value={target} onChange={(e) => setTarget(e.target.value)} data-testid="transfer-agent">
          <option value="">Choose…</option>
          {agents.length > 0 && (
            <optgroup label="Agents">
              {agents.map((a) => (
                <option key={a.userId} value={`user:${a.userId}`}>{a.name} · {presenceText(a.presence)}</option>
              ))}
            </optgroup>
          )}
          {queues.length > 0 && (
            <optgroup label="Queues (their next agent)">
              {queues.map((q) => (
                <option key={q.id} value={`queue:${q.id}`}>{q.name}</option>
              ))}
            </optgroup>
          )}
        </select>
      </div>
      <div className="field">
        <label htmlFor="transfer-number">Or a number or extension</label>
        <input id="transfer-number" value={number} onChange={(e) => setNumber(e.target.value)} inputMode="tel" autoComplete="off" data-testid="transfer-number" />
      </div>
      <div className="consult-actions">
        <button type="submit" className="btn btn-primary" disabled={!ready} data-testid="consult-start">Consult first</button>
        <button type="button" className="btn" disabled={!ready} onClick={(e) => void act(e, 'conference')} data-testid="conference-add">Add to the call</button>
        <button type="button" className="btn" disabled={!ready} onClick={(e) => void act(e, 'transfer')} data-testid="transfer-submit">Transfer now</button>
      </div>
      <p className="muted small">Consult first puts the caller on hold while you talk; Add to the call brings them in with you both; Transfer now hands the caller over at once.</p>
    </form>
  );
}
