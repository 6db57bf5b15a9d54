import type { SipAccount } from '@callsight/sdk';
import { useMemo } from 'react';
import { client } from '../../shared/api';
import { formatDateTime, formatTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useResource } from '../../shared/use-resource';
import { CallDetail } from '../telephony/CallDetail';
import { foldCalls, partyNamer } from '../telephony/call-parties';
import { channelText, interactionStatus } from './interaction-words';
import { timelineText } from './timeline-text';

/** One interaction: who, where it stands, its calls (the calls screen's detail), and its timeline in words with times. */
export function InteractionDetailView({ id }: { id: string }) {
  const res = useResource(async () => {
    const [detail, calls, accounts] = await Promise.all([
      client.interactions.detail(id),
      client.calls.list({ interactionId: id, limit: 50 }).then((p) => p.items, () => []),
      // Supervisors may not read SIP accounts: parties then show as their numbers.
      client.sipAccounts.list().then((p) => p.items, () => [] as SipAccount[]),
    ]);
    return { detail, calls, accounts };
  });
  const d = res.data;
  const names = useMemo(() => {
    const people = d?.detail.people ?? [];
    const party = partyNamer(people, d?.accounts ?? []);
    const byId = new Map(people.map((p) => [p.id, p.name]));
    return {
      person: (userId: string | null | undefined) => (userId && byId.get(userId)) || 'Someone no longer here',
      party: (p: string) => party(p).name,
      namer: party,
    };
  }, [d]);

  if (!d) return <ProblemBanner error={res.error} />;
  const it = d.detail.interaction;
  const status = interactionStatus(it, d.detail.onCall);
  const folded = foldCalls(d.calls);

  return (
    <div className="stack" data-testid="interaction-detail">
      <dl className="detail-list">
        <dt>Customer</dt>
        <dd data-testid="interaction-customer">{it.customerId ? names.person(it.customerId) : 'Unknown caller'}</dd>
        <dt>Status</dt>
        <dd><span className={status.pill} data-testid="interaction-detail-status">{status.text}</span> <span className="muted small">{status.hint}</span></dd>
        <dt>Channels</dt>
        <dd>{it.channels.map(channelText).join(', ')}</dd>
        {it.subject && (<><dt>Subject</dt><dd>{it.subject}</dd></>)}
        <dt>Started</dt>
        <dd>{formatDateTime(it.createdAt)}</dd>
        {it.closedAt && (<><dt>Closed</dt><dd>{formatDateTime(it.closedAt)}</dd></>)}
      </dl>
      {folded.map((c) => (
        <section key={c.key} className="stack" aria-label="Call">
          <h3>Call</h3>
          <CallDetail call={c} name={names.namer} />
        </section>
      ))}
      <h3>Timeline</h3>
      {d.detail.timeline.length === 0 ? (
        <p className="muted">Nothing has happened in this contact yet.</p>
      ) : (
        <ol className="timeline" data-testid="interaction-timeline">
          {d.detail.timeline.map((e) => (
            <li key={e.id} data-testid="timeline-entry">
              <time dateTime={new Date(e.time).toISOString()} title={formatDateTime(e.time)} className="muted small mono">{formatTime(e.time)}</time>
              <span>{timelineText(e, names)}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
