import type { RoomRole } from '@callsight/sdk';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ProblemBanner } from '../shared/ProblemBanner';

export interface JoinChoice {
  name?: string;
  /** The microphone to publish (a speaker's or host's), from the picker. */
  deviceId?: string;
}

const ROLE_TEXT: Record<RoomRole, string> = {
  host: 'You join as host: you can speak, mute and remove people.',
  speaker: 'You join as a speaker: everyone hears you.',
  listener: 'You join as a listener: you hear the stage; nobody hears you.',
};

/** The microphone's level while the lobby is open (0–1), from the chosen device. */
function useMicLevel(deviceId: string | undefined, enabled: boolean): { level: number; error: unknown; devices: MediaDeviceInfo[] } {
  const [level, setLevel] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let stream: MediaStream | null = null;
    let ctx: AudioContext | null = null;
    let frame = 0;
    let live = true;
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: deviceId ? { deviceId: { exact: deviceId } } : true });
        if (!live) return;
        // Device names are only given once the page may use the microphone.
        setDevices((await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput'));
        ctx = new AudioContext();
        const analyser = ctx.createAnalyser();
        analyser.fftSize = 512;
        ctx.createMediaStreamSource(stream).connect(analyser);
        const buf = new Float32Array(analyser.fftSize);
        const tick = () => {
          analyser.getFloatTimeDomainData(buf);
          let sum = 0;
          for (const v of buf) sum += v * v;
          setLevel(Math.min(1, Math.sqrt(sum / buf.length) * 4));
          frame = requestAnimationFrame(tick);
        };
        tick();
        setError(null);
      } catch (err) {
        if (live) setError(err instanceof DOMException && err.name === 'NotAllowedError' ? new Error('The browser did not allow the microphone. Allow it in the address bar, then try again.') : err);
      }
    })();
    return () => {
      live = false;
      cancelAnimationFrame(frame);
      for (const t of stream?.getTracks() ?? []) t.stop();
      void ctx?.close();
    };
  }, [deviceId, enabled]);
  return { level, error, devices };
}

/**
 * Before joining: the room's name, your role, the name others will see (guests
 * choose it), and for speakers the microphone — picked from the devices, with a
 * live level to check it works.
 */
export function RoomLobby({ title, role, defaultName, askName, onJoin, onCancel }: { title: string; role: RoomRole; defaultName: string; askName: boolean; onJoin(choice: JoinChoice): void; onCancel?: () => void }) {
  const [name, setName] = useState(defaultName);
  const [deviceId, setDeviceId] = useState<string | undefined>(undefined);
  const usesMic = role !== 'listener';
  const mic = useMicLevel(deviceId, usesMic);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onJoin({ ...(askName && name.trim() ? { name: name.trim() } : {}), ...(usesMic && deviceId ? { deviceId } : {}) });
  };

  return (
    <form className="card stack room-lobby" onSubmit={submit} aria-labelledby="lobby-title" data-testid="room-lobby">
      <div>
        <p className="muted small lobby-kicker">Joining</p>
        <h1 id="lobby-title" data-testid="lobby-room-name">{title}</h1>
        <p className="muted">{ROLE_TEXT[role]}</p>
      </div>
      {askName && (
        <label className="field">
          <span>Your name in the room</span>
          <input ref={first} value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} autoComplete="name" data-testid="lobby-name" />
        </label>
      )}
      {usesMic && (
        <div className="stack lobby-mic">
          <label className="field">
            <span>Microphone</span>
            <select value={deviceId ?? ''} onChange={(e) => setDeviceId(e.target.value || undefined)} data-testid="lobby-mic">
              <option value="">Default microphone</option>
              {mic.devices.filter((d) => d.deviceId && d.deviceId !== 'default').map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>{d.label || `Microphone ${i + 1}`}</option>
              ))}
            </select>
          </label>
          <div className="mic-test">
            <span className="small">Say something to test it</span>
            <div className="mic-meter" role="meter" aria-label="Microphone level" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(mic.level * 100)} data-testid="lobby-mic-level" data-level={mic.level.toFixed(3)}>
              <span style={{ width: `${Math.round(mic.level * 100)}%` }} />
            </div>
          </div>
          <ProblemBanner error={mic.error} />
        </div>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary btn-large grow" data-testid="lobby-join">Join room</button>
        {onCancel && <button type="button" className="btn btn-large" onClick={onCancel}>Back</button>}
      </div>
    </form>
  );
}
