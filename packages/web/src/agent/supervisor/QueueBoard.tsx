import type { WallboardQueue } from '@callsight/sdk';
import { formatDuration } from '../../shared/format';

const PRESENCE_ORDER = ['available', 'wrap-up', 'away', 'offline'] as const;
const PRESENCE_LABEL: Record<string, string> = { available: 'available', 'wrap-up': 'in wrap-up', away: 'away', offline: 'offline' };

/** One tile per queue: what waits now and how the last hour went. */
export function QueueBoard({ queues }: { queues: WallboardQueue[] }) {
  if (queues.length === 0) return <p className="empty">No queues yet. Create one under Routing in the admin console.</p>;
  return (
    <ul className="wb-queues" aria-label="Queues">
      {queues.map((q) => {
        const slaBad = q.slaPercent != null && q.slaPercent < 80;
        const longBad = q.longestWaitMs > q.slaSeconds * 1000;
        return (
          <li key={q.queueId} className="card wb-queue" data-testid="wb-queue" data-queue={q.name}>
            <h3 className="wb-queue-name">{q.name}</h3>
            <div className="wb-figures">
              <div className="wb-figure">
                <span className={`wb-big ${q.waiting > 0 ? 'wb-warn' : ''}`} data-testid="wb-waiting">{q.waiting}</span>
                <span className="wb-label">waiting</span>
              </div>
              <div className="wb-figure">
                <span className={`wb-big ${longBad ? 'wb-bad' : ''}`}>{q.waiting ? formatDuration(q.longestWaitMs) : '—'}</span>
                <span className="wb-label">longest wait</span>
              </div>
              <div className="wb-figure">
                <span className={`wb-big ${slaBad ? 'wb-bad' : ''}`}>{q.slaPercent == null ? '—' : `${q.slaPercent}%`}</span>
                <span className="wb-label">in {q.slaSeconds} s (SLA)</span>
              </div>
            </div>
            <p className="small muted">
              Last hour: {q.answered} answered · {q.abandoned} abandoned
            </p>
            <p className="small wb-agents-line">
              {PRESENCE_ORDER.filter((p) => q.agents[p]).map((p) => (
                <span key={p} className={`pill ${p === 'available' ? 'pill-ok' : p === 'wrap-up' ? 'pill-warn' : 'pill-muted'}`}>
                  {q.agents[p]} {PRESENCE_LABEL[p]}
                </span>
              ))}
              {PRESENCE_ORDER.every((p) => !q.agents[p]) && <span className="muted">No agent has this queue’s skills</span>}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
