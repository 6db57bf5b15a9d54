import type { RoomParticipant } from '@callsight/sdk';
import { initials } from './initials';

interface Props {
  participant: RoomParticipant;
  isMe: boolean;
  speaking: boolean;
  active: boolean;
  canModerate: boolean;
  onMute(muted: boolean): void;
  onKick(): void;
}


/** One person on the stage: avatar ring lights up while they speak. */
export function ParticipantTile({ participant: p, isMe, speaking, active, canModerate, onMute, onKick }: Props) {
  return (
    <li
      className={`tile${speaking ? ' tile-speaking' : ''}${active ? ' tile-active' : ''}`}
      data-testid="participant-tile"
      data-name={p.name}
      data-speaking={speaking}
      data-muted={p.muted}
      data-external={p.external}
    >
      <div className="tile-avatar" aria-hidden="true">{initials(p.name)}</div>
      <div className="tile-name">
        {p.name}
        {isMe && <span className="muted small"> (you)</span>}
      </div>
      <div className="tile-meta">
        <span className={`pill${p.role === 'host' ? ' pill-ok' : ''}`}>{p.role}</span>
        {p.external && <span className="pill" title="Joined by phone (SIP)" data-testid="tile-phone">phone</span>}
        {p.muted && <span className="pill pill-bad">muted</span>}
        {speaking && (
          <span className="tile-speaking-label" data-testid="tile-speaking">
            <span aria-hidden="true"><i /> <i /> <i /></span>Speaking
          </span>
        )}
      </div>
      {canModerate && !isMe && (
        <div className="tile-actions">
          {p.publishing.includes('audio') && (
            <button type="button" className="btn btn-small" onClick={() => onMute(!p.muted)} data-testid="tile-mute">
              {p.muted ? 'Unmute' : 'Mute'}
            </button>
          )}
          <button type="button" className="btn btn-small btn-danger" onClick={onKick} data-testid="tile-kick">
            Remove
          </button>
        </div>
      )}
    </li>
  );
}
