import type { CallsightEvent } from '@callsight/sdk';
import { client } from '../../shared/api';
import { formatTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useResource } from '../../shared/use-resource';

/** One line per event a person cares about: routing, chat, calls and cards. */
function describe(e: CallsightEvent): string {
  const d = e.data as Record<string, unknown>;
  switch (e.type) {
    case 'chat.message':
      return `${String(d.authorName)}: ${String(d.text)}`;
    case 'routing.queued':
      return `Queued (${String(d.channel)})`;
    case 'routing.offered':
      return 'Offered to an agent';
    case 'routing.assigned':
      return 'Agent assigned';
    case 'routing.rejected':
      return d.reason === 'timeout' ? 'Offer unanswered' : 'Offer declined';
    case 'routing.completed':
      return `Completed${d.wrapUpCode ? ` · ${String(d.wrapUpCode)}` : ''}`;
    default:
      return e.type;
  }
}

const NOISE = new Set(['chat.typing', 'routing.accepted']);

/** The customer's interaction timeline across channels (GET /api/interactions/:id/timeline). */
export function InteractionTimeline({ interactionId }: { interactionId: string }) {
  const t = useResource(() => client.interactions.timeline(interactionId, { limit: 500 }));
  const items = (t.data?.items ?? []).filter((e) => !NOISE.has(e.type));
  return (
    <div className="timeline stack" data-testid="timeline">
      <div className="row">
        <strong className="grow">Timeline</strong>
        <button type="button" className="btn btn-small btn-ghost" onClick={t.reload}>Refresh</button>
      </div>
      <ProblemBanner error={t.error} />
      <ol className="timeline-list">
        {items.map((e) => (
          <li key={e.id} data-type={e.type}>
            <time dateTime={new Date(e.time).toISOString()}>{formatTime(e.time)}</time>
            <span className="pill">{e.type.split('.')[0]}</span>
            <span>{describe(e)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
