import type { RoomParticipant, Tile } from '@callsight/sdk';
import { useEffect, useRef } from 'react';
import { initials } from '../initials';

interface Props {
  tile: Tile;
  participant: RoomParticipant;
  stream: MediaStream | undefined;
  speaking: boolean;
  pinned: boolean;
  onSelect(): void;
}

/** Words for the voice's direction in the call's frame, so the tile tells where you hear it. */
export function sideOf(azimuth: number, elevation = 0): string {
  if (Math.abs(azimuth) < 8) return elevation < -8 ? 'below' : elevation > 8 ? 'above' : 'ahead';
  return `${Math.round(Math.abs(azimuth))}° ${azimuth < 0 ? 'left' : 'right'}`;
}

/**
 * One participant in a call, placed where the layout engine put it: their camera when
 * they publish one, else their initials; a ring while they speak. Selecting it pins them.
 */
export function CallTile({ tile, participant: p, stream, speaking, pinned, onSelect }: Props) {
  const video = useRef<HTMLVideoElement>(null);
  const hasVideo = p.publishing.includes('video') && !!stream?.getVideoTracks().length;
  useEffect(() => {
    if (video.current) video.current.srcObject = hasVideo && stream ? new MediaStream(stream.getVideoTracks()) : null;
  }, [stream, hasVideo]);
  const az = tile.position?.azimuth ?? 0;
  return (
    <button
      type="button"
      className={`call-tile${tile.large ? ' call-tile-large' : ''}${speaking ? ' call-tile-speaking' : ''}`}
      style={{ left: tile.x, top: tile.y, width: tile.width, height: tile.height }}
      onClick={onSelect}
      aria-pressed={pinned}
      aria-label={`${p.name}${speaking ? ', speaking' : ''}${p.muted ? ', muted' : ''}. ${pinned ? 'Enlarged; select again for the grid' : 'Select to enlarge'}`}
      data-testid="call-tile"
      data-name={p.name}
      data-azimuth={az}
      data-large={tile.large}
      data-speaking={speaking}
    >
      {hasVideo ? (
        <video ref={video} className="call-video" autoPlay playsInline muted />
      ) : (
        <span className="call-avatar" aria-hidden="true">{initials(p.name)}</span>
      )}
      <span className="call-tile-label">
        {p.muted && <span className="call-muted" aria-hidden="true">muted</span>}
        <span className="call-tile-name">{p.name}</span>
        {p.external && <span className="call-chip">phone</span>}
      </span>
      <span className="call-tile-side" aria-hidden="true" data-testid="tile-side">{sideOf(az, tile.position?.elevation)}</span>
    </button>
  );
}
