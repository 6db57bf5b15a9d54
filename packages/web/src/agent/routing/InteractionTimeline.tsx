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
    case 'routing.cancelled':
      return 'Left the queue';
    case 'routing.overflowed':
      return 'Moved to another queue';
    case 'call.created':
      return 'Call started';
    case 'call.ringing':
      return 'Ringing';
    case 'call.answered':
      return 'Answered';
    case 'call.held':
      return 'Put on hold';
    case 'call.resumed':
      return 'Taken off hold';
    case 'call.dtmf':
      return `Pressed ${String(d.digit)}`;
    case 'call.bridged':
      return 'Connected';
    case 'call.transferred':
      return 'Transferred';
    case 'call.ended':
      return 'Call ended';
    case 'desk.wrapped_up':
      return d.code ? `Wrapped up · ${String(d.code)}` : d.timedOut ? 'Wrap-up timed out' : 'Wrapped up';
    case 'interaction.created':
      return 'Contact opened';
    case 'interaction.closed':
      return 'Contact closed';
    default:
      return e.type.split('.').slice(1).join(' ').replace(/_/g, ' ') || e.type;
  }
}

const NOISE = new Set(['chat.typing', 'routing.accepted', 'call.ringing']);
const KIND: Record<string, string> = { call: 'Call', routing: 'Routing', chat: 'Chat', sms: 'SMS', confirm: 'Card', desk: 'Wrap-up', interaction: 'Contact', deflection: 'Deflection', branding: 'Brand' };

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
      {items.length === 0 && !t.loading && <p className="desk-empty">Nothing has happened in this contact yet.</p>}
      <ol className="timeline-list" tabIndex={0} aria-label="Events of this contact">
        {items.map((e) => (
          <li key={e.id} data-type={e.type}>
            <time dateTime={new Date(e.time).toISOString()}>{formatTime(e.time)}</time>
            <span className="pill">{KIND[e.type.split('.')[0]!] ?? 'Event'}</span>
            <span>{describe(e)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
