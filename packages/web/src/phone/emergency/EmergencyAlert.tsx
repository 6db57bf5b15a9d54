import type { Emergency } from '@callsight/sdk';
import { useEffect, useRef, useState } from 'react';
import { client } from '../../shared/api';
import { KIND_TEXT, locationLines } from '../../shared/emergency-text';
import { errorText } from '../../shared/ProblemBanner';
import { startAlarmTone } from './alarm-tone';
import './emergency.css';

const SHOWN = new Set(['countdown', 'calling', 'answered']);

/**
 * The owner's full-screen alert: what a device detected, the seconds left to cancel
 * with a loud tone, then that emergency services are being called and whether they
 * answered. Kept live from the `emergency.*` events the server sends the owner.
 */
export function EmergencyAlert({ raised }: { raised: string | null }) {
  const [e, setE] = useState<Emergency | null>(null);
  const [closed, setClosed] = useState<string | null>(null);
  const current = useRef<string | null>(null);
  current.current = e?.id ?? null;

  const load = (id?: string) => {
    const get = id ? client.emergencies.get(id).then((x) => [x]) : client.emergencies.list({ active: true, limit: 5 }).then((r) => r.items.filter((x) => SHOWN.has(x.state)));
    get.then((items) => items[0] && setE(items[0]), () => undefined);
  };

  useEffect(() => {
    load();
    const stream = client.realtime({ types: ['emergency.'] });
    stream.on('event', (ev) => {
      const id = (ev.data as { emergencyId?: string }).emergencyId;
      if (id && (ev.type === 'emergency.countdown' || id === current.current)) load(id);
    });
    return () => stream.close();
  }, []);
  useEffect(() => {
    if (raised) load(raised);
  }, [raised]);

  // Hidden until its state changes (Hide while calling brings it back once answered).
  if (!e || closed === `${e.id}:${e.state}`) return null;
  return <AlertScreen key={e.id} e={e} onChange={setE} onClose={() => setClosed(`${e.id}:${e.state}`)} />;
}

function AlertScreen({ e, onChange, onClose }: { e: Emergency; onChange: (e: Emergency) => void; onClose: () => void }) {
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const counting = e.state === 'countdown';
  const left = Math.max(0, Math.ceil((e.callAt - now) / 1000));
  const total = Math.max(1, Math.round((e.callAt - e.createdAt) / 1000));
  const loc = locationLines(e.location);
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!counting) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    const stop = startAlarmTone();
    cancelRef.current?.focus();
    return () => {
      clearInterval(t);
      stop();
    };
  }, [counting]);

  async function cancel() {
    setBusy(true);
    setError(null);
    try {
      onChange(await client.emergencies.cancel(e.id));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const title =
    e.state === 'countdown' ? `${KIND_TEXT[e.kind]} detected` :
    e.state === 'calling' ? 'Calling emergency services' :
    e.state === 'answered' ? 'Emergency services answered' :
    e.state === 'cancelled' ? 'Cancelled' :
    e.state === 'failed' ? 'Emergency services did not answer' : 'The emergency call ended';
  const body =
    e.state === 'countdown' ? `${e.deviceName} detected what looks like a ${KIND_TEXT[e.kind].toLowerCase()}. If you are fine, cancel now, or emergency services will be called with your location.` :
    e.state === 'calling' ? 'Your location and what happened are being sent. Stay where you are if you can.' :
    e.state === 'answered' ? 'They are hearing what happened and where you are.' :
    e.state === 'cancelled' ? 'No call was placed.' :
    e.state === 'failed' ? 'Call them yourself if you need help.' : 'Emergency services have what they need.';

  return (
    <div className={`emg-alert emg-alert-${e.state}`} role="alertdialog" aria-modal="true" aria-labelledby="emg-alert-title" aria-describedby="emg-alert-body" data-testid="emergency-alert" data-state={e.state}>
      <div className="emg-alert-inner">
        <p className="emg-alert-kicker">Emergency</p>
        <h1 id="emg-alert-title" className="emg-alert-title">{title}</h1>
        {counting && (
          <div className="emg-countdown" role="timer" aria-live="off" aria-label={`${left} seconds until the call`} data-testid="emergency-countdown">
            <svg viewBox="0 0 100 100" aria-hidden="true">
              <circle cx="50" cy="50" r="45" className="emg-ring-track" />
              <circle cx="50" cy="50" r="45" className="emg-ring" style={{ strokeDashoffset: `${283 * (1 - left / total)}` }} />
            </svg>
            <span className="emg-countdown-n">{left}</span>
          </div>
        )}
        <p id="emg-alert-body" className="emg-alert-body">{body}</p>
        {(loc.coordinates || loc.address) && (
          <p className="emg-alert-where">
            {loc.coordinates && <span className="mono">{loc.coordinates}</span>}
            {loc.radius && <span> ({loc.radius})</span>}
            {loc.address && <span className="emg-alert-address">{loc.address}</span>}
          </p>
        )}
        {error && <p className="emg-alert-error" role="alert">{error}</p>}
        {counting ? (
          <button ref={cancelRef} type="button" className="emg-cancel" onClick={() => void cancel()} disabled={busy} data-testid="emergency-cancel">
            {busy ? 'Cancelling…' : "Cancel — I'm OK"}
          </button>
        ) : (
          <button type="button" className="emg-close" onClick={onClose} data-testid="emergency-close">
            {e.state === 'calling' || e.state === 'answered' ? 'Hide' : 'Close'}
          </button>
        )}
      </div>
    </div>
  );
}
