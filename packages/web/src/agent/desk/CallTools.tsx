import type { AgentRouting } from '@callsight/sdk';
import { useEffect, useState, type FormEvent } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import { ConsultPanel, useConsult } from './ConsultPanel';

/**
 * Moves the caller on: to another agent (their phones ring) or a number. Blind: the
 * caller is connected on answer and the agent's leg is released, so their wrap-up
 * starts. Consult first: the caller waits on hold while the agent talks to the target,
 * then the agent completes the transfer, conferences all three or goes back.
 */
export function CallTools({ callId, selfId }: { callId: string; selfId: string }) {
  const toast = useToast();
  const [agents, setAgents] = useState<AgentRouting[]>([]);
  const [target, setTarget] = useState('');
  const [number, setNumber] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [consult, setConsult] = useConsult(callId);
  useEffect(() => {
    // Agents see their team only when they may (supervisors); everyone may type a number.
    client.work.agents().then((r) => setAgents(r.items.filter((a) => a.userId !== selfId)), () => {});
  }, [selfId]);

  async function transfer(e: FormEvent, warm: boolean) {
    e.preventDefault();
    const to = number.trim() || (target ? `user:${target}` : '');
    if (!to) return;
    setBusy(true);
    setError(null);
    try {
      if (warm) setConsult(await client.desk.consult(callId, to));
      else {
        await client.calls.transfer(callId, to);
        toast.success('Transferring — the caller is connected when they answer');
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
    <form className="card stack call-tools" onSubmit={(e) => void transfer(e, true)} aria-labelledby="transfer-title" data-testid="transfer-form">
      <h2 id="transfer-title">Transfer</h2>
      <ProblemBanner error={error} />
      {agents.length > 0 && (
        <div className="field">
          <label htmlFor="transfer-agent">To an agent</label>
          <select id="transfer-agent" value={target} onChange={(e) => setTarget(e.target.value)} data-testid="transfer-agent">
            <option value="">Choose an agent…</option>
            {agents.map((a) => (
              <option key={a.userId} value={a.userId}>{a.name} · {a.presence}</option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor="transfer-number">{agents.length ? 'Or a number or extension' : 'To a number or extension'}</label>
        <input id="transfer-number" value={number} onChange={(e) => setNumber(e.target.value)} inputMode="tel" autoComplete="off" data-testid="transfer-number" />
      </div>
      <div className="consult-actions">
        <button type="submit" className="btn btn-primary" disabled={!ready} data-testid="consult-start">Consult first</button>
        <button type="button" className="btn" disabled={!ready} onClick={(e) => void transfer(e, false)} data-testid="transfer-submit">Transfer now</button>
      </div>
      <p className="muted small">Consult first puts the caller on hold while you talk; Transfer now hands them over at once.</p>
    </form>
  );
}
