import type { ConversationInfo } from '@callsight/sdk';
import { useRef, useState } from 'react';
import { formatDuration, formatRelative } from '../format';
import { initials } from './ConversationStage';

const SPEEDS = [1, 1.5, 2] as const;

/** Recorded conversations to replay: title, who spoke, how long; open one to play it at 1×, 1.5× or 2× and skip to a speaker. */
export function Replays({ items }: { items: ConversationInfo[] }) {
  const [open, setOpen] = useState<string | null>(null);
  if (items.length === 0) return null;
  return (
    <section className="stack" aria-labelledby="conv-replays-title" data-testid="conversation-replays">
      <h2 id="conv-replays-title">Replays</h2>
      <ul className="conv-feed">
        {items.map((c) => {
          const rec = c.recording!;
          const names = [...new Set(rec.speakers.map((s) => s.name))];
          return (
            <li key={c.id} className="conv-card conv-replay" data-testid="conversation-replay" data-topic={c.topic}>
              <div className="conv-replay-head">
                <div className="conv-faces" aria-hidden="true">
                  {names.slice(0, 3).map((n) => <span key={n} className="conv-face">{initials(n)}</span>)}
                </div>
                <div className="grow">
                  <h3>{c.topic}</h3>
                  <p className="muted small">
                    {names.length > 0 ? names.join(', ') : 'Nobody spoke'} · <span data-testid="conversation-replay-duration">{formatDuration((rec.durationSeconds ?? 0) * 1000)}</span> · {formatRelative(c.endedAt ?? rec.startedAt)}
                  </p>
                </div>
                <button type="button" className="btn" aria-expanded={open === c.id} data-testid="conversation-replay-open" onClick={() => setOpen(open === c.id ? null : c.id)}>
                  {open === c.id ? 'Close' : 'Play'}
                </button>
              </div>
              {open === c.id && rec.url && <ReplayPlayer url={rec.url} speakers={rec.speakers} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ReplayPlayer({ url, speakers }: { url: string; speakers: { name: string; atSeconds: number }[] }) {
  const audio = useRef<HTMLAudioElement>(null);
  const [speed, setSpeed] = useState<number>(1);
  const setRate = (r: number) => {
    setSpeed(r);
    if (audio.current) audio.current.playbackRate = r;
  };
  return (
    <div className="conv-player stack">
      <audio ref={audio} controls autoPlay src={url} data-testid="conversation-replay-audio" onPlay={(e) => (e.currentTarget.playbackRate = speed)} />
      <div className="conv-player-row">
        <span className="muted small">Speed</span>
        {SPEEDS.map((r) => (
          <button key={r} type="button" className={`btn btn-small${speed === r ? ' btn-primary' : ''}`} aria-pressed={speed === r} onClick={() => setRate(r)}>
            {r}×
          </button>
        ))}
      </div>
      {speakers.length > 0 && (
        <ol className="conv-turns" aria-label="Skip to a speaker">
          {speakers.map((s) => (
            <li key={`${s.name}-${s.atSeconds}`}>
              <button type="button" className="btn btn-small" data-testid="conversation-replay-turn" onClick={() => audio.current && (audio.current.currentTime = s.atSeconds)}>
                <span className="conv-turn-time">{formatDuration(s.atSeconds * 1000)}</span> {s.name}
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
