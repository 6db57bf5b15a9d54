import type { Call, CallQuery, CallsightEvent, User } from '@callsight/sdk';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { mergeById } from '../../shared/merge-by-id';
import { Sheet } from '../../shared/Sheet';
import { CallDetail } from './CallDetail';
import { client } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { callEndedText } from '../../shared/messages';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { formatTalkTime } from '../../shared/softphone/CallTimer';
import { useToast } from '../../shared/Toasts';
import { useResource } from '../../shared/use-resource';
import { useNow } from '../../shared/use-now';
import { TableState } from '../Section';
import { foldCalls, partyNamer, type FoldedCall } from './call-parties';

const STATE_TEXT = { ringing: 'Ringing', answered: 'In call', held: 'On hold', ended: 'Ended' } as const;
const STATE_PILL = { ringing: 'pill', answered: 'pill pill-ok', held: 'pill pill-warn', ended: 'pill pill-muted' } as const;

/**
 * Live and recent calls, one row per call (its legs folded), with names instead
 * of ids, kept live from the `call.*` events (no Refresh), and only the actions
 * the call's state allows: Hold or Resume, Say, Hang up.
 */
export function CallsPanel({ users }: { users: User[] }) {
  const query = useRef<CallQuery>({});
  const calls = useResource(() => client.calls.list({ ...query.current, limit: PAGE }));
  // Older pages loaded with "Show more"; live updates only refresh the first page.
  const [older, setOlder] = useState<{ items: Call[]; nextCursor: string | null } | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const accounts = useResource(() => client.sipAccounts.list());
  const { reload } = calls;
  const [held, setHeld] = useState<Set<string>>(new Set());
  const now = useNow(1000);

  useEffect(() => {
    const stream = client.realtime({ types: ['call.'] });
    stream.on('event', (e: CallsightEvent) => {
      const callId = (e.data as { callId?: string }).callId;
      if (callId && (e.type === 'call.held' || e.type === 'call.resumed' || e.type === 'call.ended')) {
        setHeld((h) => {
          const next = new Set(h);
          if (e.type === 'call.held') next.add(callId);
          else next.delete(callId);
          return next;
        });
      }
      reload();
    });
    return () => stream.close();
  }, [reload]);

  const name = useMemo(() => partyNamer(users, accounts.data?.items ?? []), [users, accounts.data]);
  const rows = useMemo(() => foldCalls(mergeById(calls.data?.items ?? [], older?.items ?? [])), [calls.data, older]);
  const nextCursor = older ? older.nextCursor : (calls.data?.nextCursor ?? null);
  const openedCall = rows.find((c) => c.key === opened);

  const search = (q: CallQuery) => {
    query.current = q;
    setOlder(null);
    reload();
  };
  const more = async () => {
    if (!nextCursor) return;
    const page = await client.calls.list({ ...query.current, limit: PAGE, cursor: nextCursor });
    setOlder((o) => ({ items: [...(o?.items ?? []), ...page.items], nextCursor: page.nextCursor }));
  };

  return (
    <div className="stack">
      <div className="row">
        <h2 className="grow">Calls</h2>
        <span className="muted small live-dot" aria-live="off">Live</span>
      </div>
      <CallSearch onSearch={search} />
      <ProblemBanner error={calls.error} />
      <TableState loading={calls.loading} error={calls.error} empty={rows.length === 0} what="calls" />
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table calls-table" data-testid="calls-table">
            <thead>
              <tr><th>State</th><th>From</th><th>To</th><th>Started</th><th>Duration</th><th className="actions">Actions</th></tr>
            </thead>
            <tbody>
              {rows.map((c) => {
                const isHeld = c.state === 'answered' && c.legs.some((l) => held.has(l.id));
                const shownState = isHeld ? 'held' : c.state;
                return (
                  <tr key={c.key} data-testid="call-row" data-call-id={c.lead.id} data-state={c.state} data-legs={c.legs.length} className={c.state === 'ended' ? 'row-muted' : undefined}>
                    <td><span className={STATE_PILL[shownState]} data-testid="call-state">{STATE_TEXT[shownState]}</span></td>
                    <td><Party {...name(c.from)} /></td>
                    <td><Party {...name(c.to)} /></td>
                    <td className="nowrap">{formatDateTime(c.startedAt)}</td>
                    <td className="nowrap" data-testid="call-duration">
                      {c.answeredAt ? formatTalkTime((c.endedAt ?? now) - c.answeredAt) : '—'}
                      {c.state === 'ended' && <span className="muted small"> · {callEndedText(c.endCause)}</span>}
                    </td>
                    <td className="actions">
                      <div className="row wrap">
                        <button type="button" className="btn btn-small" onClick={() => setOpened(c.key)} data-testid="call-open">Details</button>
                        {c.lead.live && c.state !== 'ended' ? <CallActions call={c} held={isHeld} onDone={reload} /> : null}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && (
        <button type="button" className="btn" onClick={() => void more()} data-testid="calls-more">Show older calls</button>
      )}
      {openedCall && (
        <Sheet title={`Call from ${name(openedCall.from).name}`} onClose={() => setOpened(null)} testId="call-sheet">
          <CallDetail call={openedCall} name={name} />
        </Sheet>
      )}
    </div>
  );
}

const PAGE = 50;
const DAY_MS = 86_400_000;

/** Search by number or name, direction, outcome and the days the call started (local dates, the end day included). */
function CallSearch({ onSearch }: { onSearch: (q: CallQuery) => void }) {
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const day = (k: string) => (text(k) ? new Date(`${text(k)}T00:00`).getTime() : undefined);
    const until = day('until');
    onSearch({
      ...(text('q') ? { q: text('q') } : {}),
      ...(text('direction') ? { direction: text('direction') as CallQuery['direction'] } : {}),
      ...(text('outcome') ? { outcome: text('outcome') as CallQuery['outcome'] } : {}),
      ...(day('since') !== undefined ? { since: day('since') } : {}),
      ...(until !== undefined ? { until: until + DAY_MS } : {}),
    });
  };
  return (
    <form className="card calls-search" role="search" aria-label="Search calls" onSubmit={submit} onReset={() => onSearch({})} data-testid="calls-search">
      <label className="field">
        <span>Number or name</span>
        <input name="q" type="search" maxLength={100} placeholder="+1555… or Ada" data-testid="calls-search-q" />
      </label>
      <label className="field">
        <span>Direction</span>
        <select name="direction" defaultValue="" data-testid="calls-search-direction">
          <option value="">Any</option>
          <option value="inbound">Incoming</option>
          <option value="outbound">Outgoing</option>
        </select>
      </label>
      <label className="field">
        <span>Outcome</span>
        <select name="outcome" defaultValue="" data-testid="calls-search-outcome">
          <option value="">Any</option>
          <option value="answered">Answered</option>
          <option value="unanswered">Not answered</option>
          <option value="in_progress">In progress</option>
        </select>
      </label>
      <label className="field">
        <span>From day</span>
        <input name="since" type="date" data-testid="calls-search-since" />
      </label>
      <label className="field">
        <span>To day</span>
        <input name="until" type="date" data-testid="calls-search-until" />
      </label>
      <div className="row">
        <button type="submit" className="btn btn-primary" data-testid="calls-search-submit">Search</button>
        <button type="reset" className="btn">Clear</button>
      </div>
    </form>
  );
}

function Party({ name, detail }: { name: string; detail: string | null }) {
  return (
    <span className="party">
      <span className="nowrap">{name}</span>
      {detail && detail !== name && <span className="muted small mono nowrap">{detail}</span>}
    </span>
  );
}

function CallActions({ call, held, onDone }: { call: FoldedCall; held: boolean; onDone: () => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [text, setText] = useState('');
  const id = call.lead.id;

  async function act(done: string, run: () => Promise<unknown>) {
    setBusy(true);
    try {
      await run();
      toast.success(done);
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
    void act('Speaking into the call', () => client.calls.say(id, spoken)).then(() => setText(''));
  }

  return (
    <div className="row wrap call-actions">
      {call.state === 'answered' && (
        <>
          {held ? (
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act('Call resumed', () => client.calls.resume(id))} data-testid="call-resume">Resume</button>
          ) : (
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act('Call on hold', () => client.calls.hold(id))} data-testid="call-hold">Hold</button>
          )}
          <form className="row" onSubmit={say} aria-label="Say into the call">
            <input value={text} onChange={(e) => setText(e.target.value)} placeholder="Text to speak" aria-label="Text to speak" maxLength={2000} data-testid="call-say-text" />
            <button type="submit" className="btn btn-small" disabled={busy || !text.trim()} data-testid="call-say">Say</button>
          </form>
        </>
      )}
      <button type="button" className="btn btn-danger btn-small" disabled={busy} onClick={() => void act('Call ended', () => client.calls.hangup(id))} data-testid="call-hangup">Hang up</button>
    </div>
  );
}
