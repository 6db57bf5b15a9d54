import type { Interaction, User } from '@callsight/sdk';
import { useEffect, useState, type FormEvent } from 'react';
import { client } from '../../shared/api';
import { formatTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useResource } from '../../shared/use-resource';
import { useLiveCall } from '../calls/live-call';
import { ConfirmPanel } from './ConfirmPanel';

/**
 * Open interactions on the left, the card panel of the selected one on the
 * right. The interaction of the call on the agent's softphone is selected as the
 * call connects, so cards go to the customer on the line; "Start" covers the rest.
 */
export function ConfirmWorkspace() {
  const open = useResource(() => client.interactions.list({ state: 'open', limit: 50 }));
  const customers = useResource(() => client.users.list({ role: 'customer' }));
  const [selected, setSelected] = useState<string | null>(null);
  const [customerId, setCustomerId] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const live = useLiveCall();
  const onCall = live && live.state !== 'ended' ? live.interactionId : null;
  const items = open.data?.items ?? [];

  useEffect(() => {
    if (!onCall) return;
    setSelected(onCall);
    // Calls open their interaction without an interaction event: fetch it into the list.
    open.reload();
  }, [onCall, open.reload]);
  const names = new Map((customers.data?.items ?? []).map((u: User) => [u.id, u.name]));

  useEffect(() => {
    const stream = client.realtime({ types: ['interaction.'] });
    stream.on('event', open.reload);
    return () => stream.close();
  }, [open.reload]);

  async function start(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    try {
      const it = await client.interactions.create({ channel: 'voice', customerId: customerId || undefined });
      open.reload();
      setSelected(it.id);
    } catch (err) {
      setProblem(err);
    }
  }

  return (
    <div className="confirm-layout">
      <aside className="card stack" aria-labelledby="work-title">
        <h2 id="work-title">Open interactions</h2>
        <ProblemBanner error={open.error} />
        {items.length === 0 && !open.loading && <p className="empty">No open interactions.</p>}
        <ul className="work-list" data-testid="work-list">
          {items.map((it: Interaction) => (
            <li key={it.id}>
              <button type="button" className="btn" aria-pressed={it.id === selected} onClick={() => setSelected(it.id)} data-testid="work-item" data-interaction-id={it.id} data-on-call={it.id === onCall}>
                <span className="stack" style={{ gap: 0 }}>
                  <strong>{(it.customerId && names.get(it.customerId)) ?? 'Unknown caller'}</strong>
                  <span className="muted small">{it.id === onCall ? 'On your call · ' : ''}{it.channels.join(', ')} · {formatTime(it.createdAt)}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
        <form className="stack" onSubmit={start} aria-label="Start an interaction">
          <div className="field">
            <label htmlFor="start-customer">Start one with</label>
            <select id="start-customer" value={customerId} onChange={(e) => setCustomerId(e.target.value)}>
              <option value="">Choose a customer…</option>
              {(customers.data?.items ?? []).map((u: User) => (
                <option key={u.id} value={u.id}>{u.name} ({u.phoneNumber ?? u.email})</option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn btn-small" disabled={!customerId}>Start</button>
          <ProblemBanner error={problem} />
        </form>
      </aside>
      <main>
        {selected ? <ConfirmPanel key={selected} interactionId={selected} /> : <p className="empty card">Select an interaction to push cards to its customer.</p>}
      </main>
    </div>
  );
}
