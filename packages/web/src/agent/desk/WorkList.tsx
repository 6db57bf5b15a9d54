import type { Queue } from '@callsight/sdk';
import { OfferCard } from '../routing/OfferCard';
import { PresenceSwitcher } from '../routing/PresenceSwitcher';
import { CHANNEL_LABEL } from '../routing/work-labels';
import { Elapsed } from './Elapsed';
import type { Desk, DeskRow } from './use-desk';

function RowButton({ row, selected, unread, onSelect, queues }: { row: DeskRow; selected: boolean; unread: number; onSelect: () => void; queues: Map<string, Queue> }) {
  const channels = row.items.length ? [...new Set(row.items.map((i) => CHANNEL_LABEL[i.channel]))] : row.onCall || row.wrapUp ? ['Call'] : (row.interaction?.channels ?? []).map((c) => c[0]!.toUpperCase() + c.slice(1));
  const queue = row.items[0] ? queues.get(row.items[0].queueId)?.name : row.wrapUp ? queues.get(row.wrapUp.queueId)?.name : undefined;
  const status = row.onCall ? 'On your call' : row.wrapUp && row.items.length === 0 ? 'Wrap-up' : row.items.length ? 'Active' : 'Open';
  return (
    <li>
      <button
        type="button"
        className={`desk-row${selected ? ' desk-row-selected' : ''}`}
        aria-pressed={selected}
        onClick={onSelect}
        data-testid="work-item"
        data-interaction-id={row.interactionId}
        data-on-call={row.onCall}
        data-wrap-up={Boolean(row.wrapUp)}
      >
        <span className="desk-row-top">
          <strong className="grow desk-row-name">{row.name}</strong>
          {unread > 0 && <span className="badge" data-testid="unread" aria-label={`${unread} unread`}>{unread}</span>}
          {row.mine && <Elapsed since={row.since} label="Time on this work" />}
        </span>
        <span className="desk-row-sub">
          <span className={`dot dot-${status === 'On your call' ? 'live' : status === 'Wrap-up' ? 'warn' : 'idle'}`} aria-hidden="true" />
          {status} · {channels.join(', ') || 'No channel yet'}{queue ? ` · ${queue}` : ''}
        </span>
      </button>
    </li>
  );
}

/** The left pane: presence, offers with their countdown, the agent's active work and wrap-ups, other open interactions. */
export function WorkList({ desk, selected, onSelect, unread }: { desk: Desk; selected: string | null; onSelect: (interactionId: string) => void; unread: Map<string, number> }) {
  const agent = desk.agent;
  const mine = desk.rows.filter((r) => r.mine && !(r.wrapUp && r.items.length === 0 && !r.onCall));
  const wrapping = desk.rows.filter((r) => r.wrapUp && r.items.length === 0 && !r.onCall);
  const others = desk.rows.filter((r) => !r.mine);
  const list = (rows: DeskRow[]) => (
    <ul className="desk-rows">
      {rows.map((r) => (
        <RowButton key={r.interactionId} row={r} selected={r.interactionId === selected} unread={unread.get(r.interactionId) ?? 0} onSelect={() => onSelect(r.interactionId)} queues={desk.queues} />
      ))}
    </ul>
  );
  return (
    <div className="desk-worklist" data-testid="agent-desktop">
      <div className="desk-presence">
        {agent ? <PresenceSwitcher agent={agent} onChanged={desk.reload} /> : <span className="muted small">Loading your status…</span>}
        <span className={`status ${desk.live ? 'status-live' : 'status-reconnecting'}`}>{desk.live ? 'Live' : 'Connecting…'}</span>
      </div>
      {agent && (
        <p className="desk-load muted small" data-testid="agent-load" data-text-load={agent.textLoad} data-limit={agent.limit}>
          Text work <strong>{agent.textLoad}</strong> of {agent.limit} · {desk.live && desk.rows.some((r) => r.onCall) ? <strong>On a call</strong> : 'No call'}
        </p>
      )}
      <section aria-labelledby="offers-title" className="desk-group">
        <h2 id="offers-title" className="desk-group-title">Offers</h2>
        {desk.offers.length === 0 ? (
          <p className="desk-empty" data-testid="no-offers">
            {agent?.presence === 'available' ? 'New work appears here with a countdown to accept it.' : agent?.presence === 'wrap-up' ? 'Finish your wrap-up (or choose Available) to get the next offer.' : 'Choose Available to receive calls, chats and messages.'}
          </p>
        ) : (
          <div className="offers" data-testid="offers">
            {desk.offers.map((o) => (
              <OfferCard key={o.id} item={o} queue={desk.queues.get(o.queueId)} onDone={desk.reload} onAccepted={() => onSelect(o.interactionId)} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="active-title" className="desk-group">
        <h2 id="active-title" className="desk-group-title">Active <span className="muted">{mine.length || ''}</span></h2>
        {mine.length === 0 ? <p className="desk-empty" data-testid="no-work">Nothing in progress. Accepted offers and your calls show here.</p> : list(mine)}
      </section>
      {wrapping.length > 0 && (
        <section aria-labelledby="wrapup-title" className="desk-group">
          <h2 id="wrapup-title" className="desk-group-title">Wrap-up</h2>
          {list(wrapping)}
        </section>
      )}
      <section aria-labelledby="open-title" className="desk-group">
        <h2 id="open-title" className="desk-group-title">Open interactions</h2>
        {others.length === 0 ? <p className="desk-empty">No other open interactions in your team.</p> : list(others)}
      </section>
      <p className="desk-shortcuts muted small">
        Keys: <kbd>Alt</kbd>+<kbd>A</kbd> accept · <kbd>Alt</kbd>+<kbd>H</kbd> hang up · <kbd>Alt</kbd>+<kbd>M</kbd> mute · <kbd>Alt</kbd>+<kbd>O</kbd> hold · <kbd>Alt</kbd>+<kbd>W</kbd> wrap-up
      </p>
    </div>
  );
}
