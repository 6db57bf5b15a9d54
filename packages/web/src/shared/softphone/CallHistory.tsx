import type { MyCall } from '@callsight/sdk';
import { useEffect, type ReactNode } from 'react';
import { client } from '../api';
import { formatDateTime } from '../format';
import { ProblemBanner } from '../ProblemBanner';
import { useResource } from '../use-resource';

const duration = (s: number) => (s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`);

function outcome(c: MyCall): string {
  if (c.state !== 'ended') return c.state === 'answered' ? 'in progress' : 'ringing';
  if (c.missed) return 'missed';
  if (c.durationSeconds !== null) return duration(c.durationSeconds);
  return c.direction === 'outgoing' ? 'not answered' : 'declined';
}

/**
 * The softphone's "Recent" list: your calls, newest first, with a call-back button.
 * It reloads whenever `version` changes (the softphone bumps it when a call ends).
 */
export function CallHistory({ version, onCall, peerView }: { version: number; onCall: (target: string) => void; peerView?: (call: MyCall) => ReactNode }) {
  const calls = useResource(() => client.calls.mine({ limit: 20 }));
  useEffect(() => calls.reload(), [version, calls.reload]);
  const items = calls.data?.items ?? [];
  return (
    <section className="call-history stack" aria-label="Recent calls" data-testid="call-history">
      <h3 className="small muted">Recent</h3>
      <ProblemBanner error={calls.error} />
      {!calls.loading && items.length === 0 && <p className="muted small">No calls yet.</p>}
      <ul className="call-history-list">
        {items.map((c) => (
          <li key={c.id} className={c.missed ? 'missed' : undefined} data-testid="history-row" data-direction={c.direction} data-missed={c.missed} data-peer={c.peer}>
            <span aria-hidden="true">{c.direction === 'outgoing' ? '↗' : c.missed ? '↙✕' : '↙'}</span>
            <span className="grow call-history-main">
              {peerView?.(c) ?? <strong>{c.peer}</strong>}
              <span className="muted small">{formatDateTime(c.startedAt)} · {outcome(c)}</span>
            </span>
            {c.callBack && (
              <button type="button" className="btn btn-small" onClick={() => onCall(c.callBack!)} aria-label={`Call ${c.peer}`} data-testid="call-back">
                Call
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
