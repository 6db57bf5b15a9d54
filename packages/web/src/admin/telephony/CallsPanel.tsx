import type { Call } from '@callsight/sdk';
import { useEffect, useState, type FormEvent } from 'react';
import { client } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useToast } from '../../shared/Toasts';
import { useResource } from '../../shared/use-resource';
import { TableState } from '../Section';

const STATE_PILL: Record<Call['state'], string> = { ringing: 'pill', answered: 'pill pill-ok', ended: 'pill pill-muted' };

/** Live and recent calls, reloaded on every `call.*` event; live calls take hang up, hold, resume and say. */
export function CallsPanel() {
  const calls = useResource(() => client.calls.list({ limit: 50 }));
  const { reload } = calls;
  const items = calls.data?.items ?? [];

  useEffect(() => {
    const stream = client.realtime({ types: ['call.'] });
    stream.on('event', reload);
    return () => stream.close();
  }, [reload]);

  return (
    <div className="stack">
      <div className="row">
        <h2 className="grow">Calls</h2>
        <button type="button" className="btn btn-small" onClick={reload} disabled={calls.loading}>Refresh</button>
      </div>
      <ProblemBanner error={calls.error} />
      <TableState loading={calls.loading} error={calls.error} empty={items.length === 0} what="calls" />
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="calls-table">
            <thead>
              <tr><th>State</th><th>Direction</th><th>From</th><th>To</th><th>Started</th><th>Ended</th><th className="actions">Actions</th></tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} data-testid="call-row" data-call-id={c.id} data-state={c.state} data-to={c.to} className={c.state === 'ended' ? 'row-muted' : undefined}>
                  <td><span className={STATE_PILL[c.state]} data-testid="call-state">{c.state}</span></td>
                  <td>{c.direction}</td>
                  <td className="mono break">{c.from}</td>
                  <td className="mono break">{c.to}</td>
                  <td>{formatDateTime(c.createdAt)}</td>
                  <td>{c.endedAt ? `${formatDateTime(c.endedAt)} (${c.endCause ?? 'ended'})` : '—'}</td>
                  <td className="actions">{c.live && c.state !== 'ended' ? <CallActions call={c} onDone={reload} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function CallActions({ call, onDone }: { call: Call; onDone: () => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [text, setText] = useState('');

  async function act(name: string, run: () => Promise<unknown>) {
    setBusy(true);
    try {
      await run();
      toast.success(`${name}: ${call.to}`);
      onDone();
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
    }
  }

  function say(e: FormEvent) {
    e.preventDefault();
    const spoken = text.trim();
    if (!spoken) return;
    void act('Speaking', () => client.calls.say(call.id, spoken)).then(() => setText(''));
  }

  return (
    <div className="row wrap">
      {call.state === 'answered' && (
        <>
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act('Held', () => client.calls.hold(call.id))} data-testid="call-hold">Hold</button>
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act('Resumed', () => client.calls.resume(call.id))} data-testid="call-resume">Resume</button>
          <form className="row" onSubmit={say} aria-label="Say into the call">
            <input value={text} onChange={(e) => setText(e.target.value)} placeholder="Text to speak" aria-label="Text to speak" maxLength={2000} data-testid="call-say-text" />
            <button type="submit" className="btn btn-small" disabled={busy || !text.trim()} data-testid="call-say">Say</button>
          </form>
        </>
      )}
      <button type="button" className="btn btn-danger btn-small" disabled={busy} onClick={() => void act('Hung up', () => client.calls.hangup(call.id))} data-testid="call-hangup">Hang up</button>
    </div>
  );
}
