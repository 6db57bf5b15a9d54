import type { LayoutMode, SpatialMode } from '@callsight/sdk';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Icon } from '../../shared/Icon';
import { ProblemBanner } from '../../shared/ProblemBanner';
import { initials } from '../initials';
import type { RoomView } from '../use-room';
import { CallTile } from './CallTile';
import { EarMeter, HeadControl } from './HeadControl';
import { useCallLayout, type LocalLayout } from './use-call-layout';
import { useSpatialAudio } from './use-spatial-audio';
import './call.css';

const MODES: { mode: SpatialMode; label: string; hint: string }[] = [
  { mode: 'binaural', label: 'Spatial', hint: 'Each voice from its tile (headphones)' },
  { mode: 'stereo', label: 'Stereo', hint: 'Left and right only (speakers)' },
  { mode: 'off', label: 'Off', hint: 'Every voice in the middle' },
];

/** The layouts one picks; focus comes from selecting a tile. */
const LAYOUTS: { mode: LayoutMode; label: string; hint: string }[] = [
  { mode: 'grid', label: 'Grid', hint: 'Everyone the same size' },
  { mode: 'speaker', label: 'Speaker', hint: 'Whoever speaks, large and ahead of you' },
];

/** The stage's size, followed as the window changes (the layout engine lays tiles out in it). */
function useBoxSize(ref: React.RefObject<HTMLElement | null>) {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setSize({ width: Math.round(el.clientWidth), height: Math.round(el.clientHeight) });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

/**
 * A video room as a group call: everyone else as tiles, each voice heard from its tile
 * (SDK layout engine + Spatializer), fixed to the call's frame when you turn your head.
 * Selecting someone enlarges them — for everyone when you host, else just for you.
 */
export function CallStage({ view, title }: { view: RoomView; title: string }) {
  const { room, participants, speaking } = view;
  const box = useRef<HTMLDivElement>(null);
  const size = useBoxSize(box);
  const [local, setLocal] = useState<LocalLayout | null>(null);
  const [cameraBusy, setCameraBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const me = participants.find((p) => p.id === room?.participantId);
  const isHost = me?.role === 'host';
  const others = participants.filter((p) => p.id !== room?.participantId && p.role !== 'listener');
  const layout = useCallLayout(others, view.layout, isHost ? null : local, view.activeSpeaker, size);
  const audio = useSpatialAudio(view.streams, layout.positions);
  const selfVideo = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (selfVideo.current) selfVideo.current.srcObject = view.camera;
  }, [view.camera]);

  async function select(id: string) {
    const enlarged = layout.featured === id && layout.mode !== 'grid';
    if (enlarged && layout.local) return setLocal(null);
    await chooseLayout(enlarged ? { mode: 'grid', featured: null } : { mode: 'focus', featured: id });
  }

  /** A host's choice is everyone's (tiles and voices alike); anyone else's is their own. */
  async function chooseLayout(next: LocalLayout) {
    audio.resume();
    setActionError(null);
    if (!isHost) return setLocal(next);
    await room?.setLayout(next).catch(setActionError);
  }

  async function toggleCamera() {
    setCameraBusy(true);
    setActionError(null);
    try {
      await view.setCamera(!view.camera);
    } catch (err) {
      setActionError(err instanceof DOMException && err.name === 'NotAllowedError' ? new Error('The browser did not allow the camera. Allow it in the address bar, then try again.') : err);
    } finally {
      setCameraBusy(false);
    }
  }

  const byId = new Map(others.map((p) => [p.id, p]));
  const canSpeak = me && me.role !== 'listener';
  const layoutNote = layout.local
    ? 'Your own layout'
    : isHost
      ? 'Select someone to enlarge them for everyone'
      : view.layout?.by && layout.mode !== 'grid'
        ? 'The host chose this layout'
        : 'Select someone to enlarge them for you';

  return (
    <section className="call" data-testid="room-stage" data-status={view.status} data-kind="video" onPointerDown={audio.resume}>
      <header className="call-head">
        <h2 className="grow" data-testid="room-title">{room?.info?.name ?? title}</h2>
        {view.listenerCount > 0 && <span className="muted small" data-testid="listener-count">{view.listenerCount} listening</span>}
        <span className={`status ${view.status === 'live' ? 'status-live' : ''}`} data-testid="room-status">
          {view.status === 'joining' ? 'Joining…' : view.status === 'live' ? 'Live' : 'Could not join'}
        </span>
      </header>
      <ProblemBanner error={view.error ?? actionError} />
      <div className="call-note">
        <p className="small muted" data-testid="layout-note">
          {layoutNote}
          {layout.local && (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setLocal(null)} data-testid="unpin">
              Back to everyone's layout
            </button>
          )}
        </p>
        <div className="call-spatial" role="radiogroup" aria-label={isHost ? 'Layout for everyone' : 'Layout'} data-testid="layout-picker">
          {LAYOUTS.map((l) => (
            <label key={l.mode} className={`seg${layout.mode === l.mode ? ' seg-on' : ''}`} title={l.hint}>
              <input type="radio" name="call-layout" className="sr-only" checked={layout.mode === l.mode} onChange={() => void chooseLayout({ mode: l.mode, featured: null })} data-testid={`layout-${l.mode}`} />
              {l.label}
            </label>
          ))}
        </div>
      </div>
      <div className="call-box" ref={box} data-testid="call-box" data-mode={layout.mode}>
        {layout.tiles.map((t) => {
          const p = byId.get(t.id);
          return p ? <CallTile key={t.id} tile={t} participant={p} stream={view.streams.get(t.id)} speaking={speaking.includes(t.id)} pinned={layout.featured === t.id && layout.mode !== 'grid'} onSelect={() => void select(t.id)} /> : null;
        })}
        {others.length === 0 && view.status === 'live' && <p className="call-empty">Waiting for others to join…</p>}
        {me && (
          <div className="call-self" data-testid="self-view" aria-label="You">
            {view.camera ? <video ref={selfVideo} autoPlay playsInline muted /> : <span className="call-avatar">{initials(me.name)}</span>}
            <span className="call-self-label">You{view.muted ? ' · muted' : ''}</span>
          </div>
        )}
      </div>
      <div className="call-bar">
        {canSpeak && (
          <button type="button" className={`call-btn${view.muted ? ' call-btn-off' : ''}`} onClick={() => void room?.setMuted(!view.muted)} aria-pressed={view.muted} data-testid="mute-self">
            <Icon name={view.muted ? 'micOff' : 'mic'} />
            <span>{view.muted ? 'Unmute' : 'Mute'}</span>
          </button>
        )}
        {canSpeak && (
          <button type="button" className={`call-btn${view.camera ? '' : ' call-btn-off'}`} onClick={() => void toggleCamera()} disabled={cameraBusy} aria-pressed={!!view.camera} data-testid="camera">
            <Icon name={view.camera ? 'camera' : 'cameraOff'} />
            <span>{view.camera ? 'Camera off' : 'Camera on'}</span>
          </button>
        )}
        <div className="call-spatial" role="radiogroup" aria-label="Spatial audio" data-testid="spatial-mode">
          <Icon name="headphones" size={20} />
          {MODES.map((m) => (
            <label key={m.mode} className={`seg${audio.mode === m.mode ? ' seg-on' : ''}`} title={m.hint}>
              <input type="radio" name="spatial-mode" className="sr-only" checked={audio.mode === m.mode} onChange={() => audio.setMode(m.mode)} data-testid={`spatial-${m.mode}`} />
              {m.label}
            </label>
          ))}
        </div>
        <button type="button" className="call-btn call-btn-leave" onClick={() => void view.leave()} data-testid="leave-room">
          <Icon name="leave" />
          <span>Leave</span>
        </button>
      </div>
      <div className="call-extras">
        <HeadControl audio={audio} />
        <EarMeter audio={audio} />
      </div>
      {!audio.hrtf && audio.mode === 'binaural' && (
        <p className="small muted" data-testid="hrtf-fallback">This browser cannot place voices in 3D; you hear them left to right instead.</p>
      )}
    </section>
  );
}
