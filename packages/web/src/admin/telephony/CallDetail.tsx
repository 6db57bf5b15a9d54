import type { Attestation, Call, Recording, Verstat } from '@callsight/sdk';
import { client } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { callEndedText, verificationText } from '../../shared/messages';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { formatTalkTime } from '../../shared/softphone/CallTimer';
import { useResource } from '../../shared/use-resource';
import type { FoldedCall } from './call-parties';

type Namer = (party: string) => { name: string; detail: string | null };

/** One call as a person asks about it: who, when, how long, the way it went (legs, flow), its verified brand, and its recordings to play. */
export function CallDetail({ call, name }: { call: FoldedCall; name: Namer }) {
  const details = useResource(async () => {
    const [flows, brands, timeline, recordings] = await Promise.all([
      client.flows.list(),
      client.brands.list().catch(() => ({ items: [] })),
      client.interactions.timeline(call.key).then((t) => t.items as { type: string; data: unknown }[], () => []),
      // Recordings the viewer may not play are left out, not shown as an error.
      Promise.all(call.legs.map((l) => client.calls.recordings(l.id).then((r) => r.items, () => [] as Recording[]))),
    ]);
    return { flows: flows.items, brands: brands.items, events: timeline, recordings: recordings.flat().filter((r) => r.durationSeconds !== null) };
  });
  const d = details.data;
  const flowName = (id: string | null) => (id ? (d?.flows.find((f) => f.id === id)?.name ?? 'A removed flow') : null);
  const verified = d?.events.find((e) => e.type === 'branding.verified')?.data as { verstat?: Verstat; attest?: Attestation | null; brandName?: string | null } | undefined;
  const signed = d?.events.find((e) => e.type === 'branding.signed')?.data as { brandId?: string; reason?: string | null } | undefined;
  const signedBrand = signed && d?.brands.find((b) => b.id === signed.brandId);
  const from = name(call.from);
  const to = name(call.to);

  return (
    <div className="stack" data-testid="call-detail">
      <ProblemBanner error={details.error} />
      <dl className="detail-list">
        <dt>From</dt>
        <dd data-testid="call-detail-from">{from.name}{from.detail && from.detail !== from.name && <span className="muted small"> · {from.detail}</span>}</dd>
        <dt>To</dt>
        <dd data-testid="call-detail-to">{to.name}{to.detail && to.detail !== to.name && <span className="muted small"> · {to.detail}</span>}</dd>
        <dt>Direction</dt>
        <dd>{call.lead.direction === 'inbound' ? 'Incoming' : 'Outgoing'}</dd>
        <dt>Started</dt>
        <dd>{formatDateTime(call.startedAt)}</dd>
        <dt>Talk time</dt>
        <dd data-testid="call-detail-duration">{call.answeredAt ? formatTalkTime((call.endedAt ?? Date.now()) - call.answeredAt) : 'Not answered'}</dd>
        <dt>Outcome</dt>
        <dd data-testid="call-detail-outcome">{call.state === 'ended' ? callEndedText(call.endCause) : call.state === 'ringing' ? 'Ringing' : 'In call'}</dd>
        <dt>Caller check</dt>
        <dd data-testid="call-detail-verification">
          {signedBrand ? `Signed as ${signedBrand.name}${signed?.reason ? ` · ${signed.reason}` : ''}` : verified?.verstat ? `${verificationText({ verstat: verified.verstat, attest: verified.attest })}${verified.brandName ? ` · shown as ${verified.brandName}` : ''}` : 'No caller identity was presented'}
        </dd>
      </dl>
      <h3>Route</h3>
      <ol className="stack route-list" data-testid="call-detail-route">
        {call.legs.map((l: Call) => (
          <li key={l.id}>
            {name(l.from).name} → {name(l.to).name}
            {flowName(l.flowId) && <span className="muted"> · flow {flowName(l.flowId)}</span>}
            <span className="muted small"> · {l.answeredAt ? 'answered' : 'not answered'}</span>
          </li>
        ))}
      </ol>
      {d && d.recordings.length > 0 && (
        <>
          <h3>Recordings</h3>
          {d.recordings.map((r) => (
            <figure key={r.id} className="stack" data-testid="call-detail-recording">
              <figcaption className="small muted">{formatDateTime(r.createdAt)} · {r.mode === 'mixed' ? 'both sides' : 'caller only'} · {formatTalkTime((r.durationSeconds ?? 0) * 1000)}</figcaption>
              <audio controls preload="none" src={`/api/recordings/${r.id}`} aria-label={`Recording from ${formatDateTime(r.createdAt)}`} />
            </figure>
          ))}
        </>
      )}
    </div>
  );
}
