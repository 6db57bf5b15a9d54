import type { CallsightEvent, User } from '@callsight/sdk';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
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
  const calls = useResource(() => client.calls.list({ limit: 100 }));
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
  const rows = useMemo(() => foldCalls(calls.data?.items ?? []), [calls.data]);

  return (
    <div className="stack">
      <div className="row">
        <h2 className="grow">Calls</h2>
        <span className="muted small live-dot" aria-live="off">Live</span>
      </div>
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
                    <td className="actions">{c.lead.live && c.state !== 'ended' ? <CallActions call={c} held={isHeld} onDone={reload} /> : null}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
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
