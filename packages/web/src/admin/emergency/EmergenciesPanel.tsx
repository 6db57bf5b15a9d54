import type { AnyEvent, Emergency, Recording } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { client } from '../../shared/api';
import { KIND_TEXT, locationLines, psapText, STATE_PILL, STATE_TEXT } from '../../shared/emergency-text';
import { formatRelative, formatTime } from '../../shared/format';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { useResource } from '../../shared/use-resource';
import { useNow } from '../../shared/use-now';
import './emergencies.css';

const ACTIVE = new Set(['countdown', 'calling', 'answered', 'failed']);

/** Emergencies kept live from the `emergency.*` events: where, what, and each step of the call. `onEvent`: the devices' list reloads too (last data). */
export function EmergenciesPanel({ onEvent }: { onEvent?: () => void }) {
  const list = useResource(() => client.emergencies.list({ limit: 20 }));
  const { reload } = list;
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const stream = client.realtime({ types: ['emergency.'] });
    stream.on('event', () => {
      reload();
      onEvent?.();
      setVersion((v) => v + 1);
    });
    return () => stream.close();
  }, [reload, onEvent]);
  const items = list.data?.items ?? [];
  const active = items.filter((e) => ACTIVE.has(e.state));
  const recent = items.filter((e) => !ACTIVE.has(e.state)).slice(0, 5);

  return (
    <div className="stack" data-testid="emergencies">
      <div className="row">
        <h2 className="grow">Active emergencies</h2>
        <span className="muted small live-dot">Live</span>
      </div>
      <ProblemBanner error={list.error} />
      {!list.loading && active.length === 0 && <p className="empty" data-testid="no-emergencies">No active emergencies. Devices that detect one show up here at once.</p>}
      {active.map((e) => <EmergencyCard key={e.id} e={e} version={version} />)}
      {recent.length > 0 && (
        <details className="card">
          <summary>Recent emergencies ({recent.length})</summary>
          <div className="stack emg-recent">
            {recent.map((e) => <EmergencyCard key={e.id} e={e} version={version} />)}
          </div>
        </details>
      )}
    </div>
  );
}

interface Step {
  at: number;
  text: string;
  tone?: 'bad' | 'ok';
}

/** The interaction's events as steps a person reads: detected → countdown → calling → answered → message played → ended. */
function steps(events: AnyEvent[]): Step[] {
  const out: Step[] = [];
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    switch (e.type) {
      case 'emergency.detected':
        out.push({ at: e.time, text: `Detected (${Math.round(Number(d.confidence) * 100)} % sure)` });
        break;
      case 'emergency.countdown':
        out.push({ at: e.time, text: `Countdown: ${d.seconds} s for the owner to cancel` });
        break;
      case 'emergency.cancelled':
        out.push({ at: e.time, text: 'Cancelled, no call placed', tone: 'ok' });
        break;
      case 'emergency.calling':
        out.push({ at: e.time, text: `Calling ${psapText(String(d.psap).split(' via ')[0])} (attempt ${d.attempt})`, tone: Number(d.attempt) > 1 ? 'bad' : undefined });
        break;
      case 'emergency.location.refused':
        out.push({ at: e.time, text: `The emergency service could not take the location${d.reason ? ` (${String(d.reason).toLowerCase()})` : ''}; called again ${d.retriedWith === 'single' ? 'with one location' : 'without it'}`, tone: 'bad' });
        break;
      case 'emergency.cap.sent':
        out.push({ at: e.time, text: d.mode === 'alone' ? `Alert sent as data to ${psapText(String(d.psap).split(' via ')[0])}, accepted` : `Alert sent as data to ${psapText(String(d.psap).split(' via ')[0])} before the call`, tone: 'ok' });
        break;
      case 'emergency.cap.refused':
        out.push({ at: e.time, text: `The emergency service did not take the data alert${d.status ? '' : ' (no answer)'}; calling instead`, tone: 'bad' });
        break;
      case 'emergency.msd.sent':
        out.push({ at: e.time, text: `MSD sent: the car's eCall data went with the call (${d.bytes} bytes${d.testCall ? ', marked as a test' : ''})` });
        break;
      case 'emergency.answered':
        out.push({ at: e.time, text: 'Answered', tone: 'ok' });
        break;
      case 'emergency.message.played': {
        const last = out[out.length - 1];
        const text = `Message played ${d.times === 1 ? 'once' : `${d.times} times`}`;
        if (last?.text.startsWith('Message played')) Object.assign(last, { at: e.time, text });
        else out.push({ at: e.time, text });
        break;
      }
      case 'emergency.bridged':
        out.push({ at: e.time, text: 'Connected to the owner' });
        break;
      case 'emergency.contacted':
        out.push({ at: e.time, text: d.ok ? 'Emergency contact texted' : 'Texting the emergency contact failed', tone: d.ok ? undefined : 'bad' });
        break;
      case 'emergency.ended':
        if (d.outcome === 'delivered') out.push({ at: e.time, text: 'Done: the emergency service has the alert, no voice call needed', tone: 'ok' });
        else out.push({ at: e.time, text: d.outcome === 'completed' ? 'Call ended' : `Not reached: ${d.reason}`, tone: d.outcome === 'completed' ? undefined : 'bad' });
        break;
    }
  }
  return out;
}

function EmergencyCard({ e, version }: { e: Emergency; version: number }) {
  const now = useNow(1000);
  const [events, setEvents] = useState<AnyEvent[]>([]);
  const [recordings, setRecordings] = useState<Recording[]>([]);
  useEffect(() => {
    let current = true;
    client.interactions.timeline(e.interactionId).then((t) => current && setEvents(t.items), () => undefined);
    return () => {
      current = false;
    };
  }, [e.interactionId, e.state, version]);
  const answeredCall = events.find((x) => x.type === 'emergency.answered')?.data as { callId?: string } | undefined;
  const callId = answeredCall?.callId;
  useEffect(() => {
    if (!callId || (e.state !== 'ended' && e.state !== 'answered')) return;
    let current = true;
    client.calls.recordings(callId).then((r) => current && setRecordings(r.items.filter((x) => x.durationSeconds != null)), () => undefined);
    return () => {
      current = false;
    };
  }, [callId, e.state, version]);
  const loc = locationLines(e.location);
  const left = Math.max(0, Math.ceil((e.callAt - now) / 1000));

  return (
    <article className={`card emg-card emg-${e.state}`} data-testid="emergency-card" data-state={e.state} aria-label={`${KIND_TEXT[e.kind]} on ${e.deviceName}`}>
      <header className="row wrap">
        <h3 className="grow emg-title">{KIND_TEXT[e.kind]} · {e.deviceName}</h3>
        <span className={STATE_PILL[e.state]} data-testid="emergency-state">{e.state === 'countdown' ? `Calling in ${left} s` : STATE_TEXT[e.state]}</span>
      </header>
      <div className="emg-body">
        <div className="emg-where" data-testid="emergency-location">
          <span className="muted small">Location</span>
          {loc.coordinates && <strong className="mono">{loc.coordinates}</strong>}
          {loc.radius && <span>{loc.radius}</span>}
          {loc.address && <span>{loc.address}</span>}
          {!loc.coordinates && !loc.address && <span>Unknown</span>}
          {loc.map && <a href={loc.map} target="_blank" rel="noreferrer" className="small">Open map</a>}
        </div>
        <ol className="emg-steps" aria-label="Timeline" data-testid="emergency-timeline">
          {steps(events).map((s, i) => (
            <li key={i} className={s.tone ? `emg-step-${s.tone}` : undefined}>
              <span className="muted small nowrap">{formatTime(s.at)}</span> {s.text}
            </li>
          ))}
        </ol>
      </div>
      <footer className="row wrap muted small">
        <span>Detected {formatRelative(e.createdAt, now)}</span>
        {e.attempts > 0 && <span>{e.attempts} {e.attempts === 1 ? 'attempt' : 'attempts'}{e.psap ? `, last to ${psapText(e.psap.split(' via ')[0])}` : ''}</span>}
      </footer>
      {recordings.map((r) => (
        <div key={r.id} className="stack emg-replay">
          <span className="small">What the emergency service heard ({Math.round(r.durationSeconds ?? 0)} s)</span>
          <audio controls preload="none" src={`/api/recordings/${r.id}`} data-testid="emergency-recording" />
        </div>
      ))}
    </article>
  );
}
