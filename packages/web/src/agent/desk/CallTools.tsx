import type { AgentRouting } from '@callsight/sdk';
import { useEffect, useState, type FormEvent } from 'react';
import { client } from '../../shared/api';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';

/**
 * Moves the caller on: to another agent (their phones ring) or a number. The caller
 * is connected on answer and the agent's leg is released, so their wrap-up starts.
 */
export function CallTools({ callId, selfId }: { callId: string; selfId: string }) {
  const toast = useToast();
  const [agents, setAgents] = useState<AgentRouting[]>([]);
  const [target, setTarget] = useState('');
  const [number, setNumber] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    // Agents see their team only when they may (supervisors); everyone may type a number.
    client.work.agents().then((r) => setAgents(r.items.filter((a) => a.userId !== selfId)), () => {});
  }, [selfId]);

  async function transfer(e: FormEvent) {
    e.preventDefault();
    const to = number.trim() || (target ? `user:${target}` : '');
    if (!to) return;
    setBusy(true);
    setError(null);
    try {
      await client.calls.transfer(callId, to);
      toast.success('Transferring — the caller is connected when they answer');
      setNumber('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack call-tools" onSubmit={(e) => void transfer(e)} aria-labelledby="transfer-title" data-testid="transfer-form">
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
      <button type="submit" className="btn" disabled={busy || (!number.trim() && !target)} data-testid="transfer-submit">Transfer the caller</button>
    </form>
  );
}
