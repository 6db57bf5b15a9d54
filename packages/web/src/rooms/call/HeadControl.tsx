import type { SpatialAudio } from './use-spatial-audio';

const SOURCE_TEXT: Record<string, string> = {
  'device-orientation': 'from your phone',
  'absolute-orientation': 'from the motion sensor',
  webxr: 'from your headset',
  manual: 'by hand',
};

/**
 * Head tracking: on a phone the device's orientation turns you; on a desktop a small dial
 * does, to hear voices stay at their tiles while "your head" turns. With the debug overlay:
 * motion-to-sound latency and what each ear gets.
 */
export function HeadControl({ audio }: { audio: SpatialAudio }) {
  const on = audio.tracking !== null;
  const yaw = Math.round(audio.pose.yaw);
  return (
    <div className="head-control" data-testid="head-control" data-tracking={audio.tracking ?? 'off'}>
      <label className="head-toggle">
        <input type="checkbox" checked={on} onChange={(e) => void audio.setTracking(e.target.checked)} disabled={audio.mode === 'off' || audio.mode === 'mono'} data-testid="head-tracking" />
        <span>Head tracking{on && <span className="muted small"> · {SOURCE_TEXT[audio.tracking!]}</span>}</span>
      </label>
      {on && (
        <div className="head-dial">
          <span className="head-icon" style={{ transform: `rotate(${yaw}deg)` }} aria-hidden="true">
            <i />
          </span>
          {audio.tracking === 'manual' ? (
            <label className="head-slider">
              <span className="sr-only">Turn your head</span>
              <input type="range" min={-90} max={90} step={5} value={yaw} onChange={(e) => audio.turnHead(Number(e.target.value))} aria-valuetext={yaw === 0 ? 'facing the screen' : `${Math.abs(yaw)}° ${yaw < 0 ? 'left' : 'right'}`} data-testid="head-yaw" />
            </label>
          ) : (
            <button type="button" className="btn btn-small" onClick={audio.recenter}>Face the screen</button>
          )}
          <span className="small muted head-readout" data-testid="head-readout">
            {yaw === 0 ? 'Facing the screen' : `Turned ${Math.abs(yaw)}° ${yaw < 0 ? 'left' : 'right'}`}
            {audio.motionToSoundMs !== null && <> · heard after {Math.round(audio.motionToSoundMs)} ms</>}
          </span>
        </div>
      )}
    </div>
  );
}

/** What each ear gets: two small bars, to see voices move when tiles do. */
export function EarMeter({ audio }: { audio: SpatialAudio }) {
  const pct = (v: number) => Math.min(100, Math.round(v * 400));
  return (
    <div className="ear-meter" role="group" aria-label="What each ear hears" data-testid="ear-meter" data-left={audio.levels.left.toFixed(4)} data-right={audio.levels.right.toFixed(4)}>
      {(['left', 'right'] as const).map((ear) => (
        <span key={ear} className="ear">
          <span className="small muted">{ear === 'left' ? 'L' : 'R'}</span>
          <span className="mic-meter" role="meter" aria-label={`${ear} ear`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct(audio.levels[ear])}>
            <span style={{ width: `${pct(audio.levels[ear])}%` }} />
          </span>
        </span>
      ))}
    </div>
  );
}
