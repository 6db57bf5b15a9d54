import type { CallsightEvent, EventStream } from '@callsight/sdk';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { client } from './api';
import { formatTime } from './format';
import { useToast } from './Toasts';

type Status = 'connecting' | 'live' | 'reconnecting';

const STATUS_TEXT: Record<Status, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };

/** Prefixes worth one click; any other prefix can be typed. */
const PRESETS = ['user.', 'apikey.', 'webhook.', 'interaction.'];

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
        {PRESETS.map((p) => {
          const on = types.length === 1 && types[0] === p;
          return (
            <button key={p} type="button" className={`chip ${on ? 'chip-on' : ''}`} aria-pressed={on} onClick={() => apply([p])}>
              {p}
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
              <code className="event-data">{JSON.stringify(e.data)}</code>
              {e.interactionId && <span className="pill">{e.interactionId}</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
