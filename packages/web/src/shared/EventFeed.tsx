import type { CallsightEvent, EventStream } from '@callsight/sdk';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { client } from './api';
import { formatTime } from './format';
import { useToast } from './Toasts';

type Status = 'connecting' | 'live' | 'reconnecting';

const STATUS_TEXT: Record<Status, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };

/** One chip per event family, in words; any other prefix can be typed. */
const FAMILIES: { prefix: string; label: string }[] = [
  { prefix: 'call.', label: 'Calls' },
  { prefix: 'routing.', label: 'Routing' },
  { prefix: 'chat.', label: 'Chat' },
  { prefix: 'sms.', label: 'SMS' },
  { prefix: 'deflect.', label: 'Deflection' },
  { prefix: 'callback.', label: 'Callbacks' },
  { prefix: 'confirm.', label: 'Cards' },
  { prefix: 'branding.', label: 'Branding' },
  { prefix: 'room.', label: 'Rooms' },
  { prefix: 'conference.', label: 'Conferences' },
  { prefix: 'interaction.', label: 'Interactions' },
  { prefix: 'user.', label: 'Users' },
  { prefix: 'login.', label: 'Sign-ins' },
  { prefix: 'session.', label: 'Sessions' },
  { prefix: 'apikey.', label: 'API keys' },
  { prefix: 'webhook.', label: 'Webhooks' },
  { prefix: 'outbound.', label: 'Outbound rules' },
  { prefix: 'egress.', label: 'Egress' },
  { prefix: 'sip.', label: 'SIP' },
  { prefix: 'tenant.', label: 'Tenant' },
];

const parseTypes = (text: string) => text.split(',').map((t) => t.trim()).filter(Boolean);

/** The tenant's events as they happen, newest first, over the SDK's realtime stream. */
export function EventFeed({ max = 200 }: { max?: number }) {
  const toast = useToast();
  const [events, setEvents] = useState<CallsightEvent[]>([]);
  const [status, setStatus] = useState<Status>('connecting');
  const [draft, setDraft] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const stream = useRef<EventStream | null>(null);

  useEffect(() => {
    const s = client.realtime();
    stream.current = s;
    s.on('open', () => setStatus('live'));
    s.on('close', ({ willReconnect }) => willReconnect && setStatus('reconnecting'));
    s.on('event', (e) => setEvents((list) => [e, ...list].slice(0, max)));
    return () => {
      stream.current = null;
      s.close();
    };
  }, [max]);

  function apply(next: string[]) {
    setTypes(next);
    setDraft(next.join(', '));
    setEvents([]);
    stream.current?.subscribe({ types: next }).catch(toast.error);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    apply(parseTypes(draft));
  }

  return (
    <div className="stack">
      <div className="feed-toolbar">
        <form className="row grow" onSubmit={submit} role="search" aria-label="Filter events by type">
          <input
            className="grow"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="Type prefixes, e.g. user., call.answered"
            aria-label="Event type prefixes"
            data-testid="feed-filter"
          />
          <button className="btn" type="submit">Filter</button>
        </form>
        <span className={`status status-${status}`} data-testid="feed-status" data-state={status}>
          {STATUS_TEXT[status]}
        </span>
      </div>
      <div className="row wrap" aria-label="Quick filters">
        <button type="button" className={`chip ${types.length === 0 ? 'chip-on' : ''}`} aria-pressed={types.length === 0} onClick={() => apply([])}>
          All
        </button>
        {FAMILIES.map(({ prefix, label }) => {
          const on = types.includes(prefix);
          // Chips combine: each toggles its family in or out of the filter.
          const next = on ? types.filter((t) => t !== prefix) : [...types, prefix];
          return (
            <button key={prefix} type="button" className={`chip ${on ? 'chip-on' : ''}`} aria-pressed={on} onClick={() => apply(next)} data-testid={`feed-chip-${prefix.slice(0, -1)}`}>
              {label}
            </button>
          );
        })}
        {events.length > 0 && (
          <button type="button" className="btn btn-ghost btn-small push-right" onClick={() => setEvents([])}>
            Clear
          </button>
        )}
      </div>
      {events.length === 0 ? (
        <p className="empty" data-testid="feed-empty">
          Waiting for {types.length ? types.join(', ') : 'any'} events… Actions in this tenant appear here as they happen.
        </p>
      ) : (
        <ol className="feed" data-testid="feed" aria-live="polite">
          {events.map((e) => (
            <li key={e.id} className="feed-item" data-testid="feed-event" data-type={e.type}>
              <time dateTime={new Date(e.time).toISOString()}>{formatTime(e.time)}</time>
              <span className="event-type">{e.type}</span>
              <details className="event-data">
                <summary>Details</summary>
                <code>{JSON.stringify(e.data, null, 1)}</code>
                {e.interactionId && <p className="muted small">Interaction {e.interactionId}</p>}
              </details>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
