import type { SignalChannel } from '@callsight/sdk';
import { useState } from 'react';
import { ProblemBanner } from '../shared/ProblemBanner';
import { CallStage } from './call/CallStage';
import { ParticipantTile } from './ParticipantTile';
import { RemoteAudio } from './RemoteAudio';
import type { JoinChoice } from './RoomLobby';
import { useRoom } from './use-room';

const ENDED: Record<string, string> = {
  left: 'You left the room.',
  kicked: 'The host removed you from the room.',
  closed: 'The room was closed.',
};

/** A joined room: speakers and listeners as tiles, your controls, and the audio you hear. */
export function RoomStage({ channel, token, title, choice = {}, onExit }: { channel: SignalChannel; token: string; title: string; choice?: JoinChoice; onExit(): void }) {
  const view = useRoom(channel, token, { publishMicrophone: true, name: choice.name, deviceId: choice.deviceId });
  const [speakError, setSpeakError] = useState<unknown>(null);
  const { room, participants, speaking, activeSpeaker } = view;
  const me = participants.find((p) => p.id === room?.participantId);
  const isHost = room?.role === 'host';
  const stage = participants.filter((p) => p.role !== 'listener');
  const audience = participants.filter((p) => p.role === 'listener');

  if (view.status in ENDED) {
    return (
      <section className="card stack" data-testid="room-ended">
        <p>{ENDED[view.status]}</p>
        <button type="button" className="btn" onClick={onExit}>Back to rooms</button>
      </section>
    );
  }

  // A video room is a group call: tiles, each voice from its tile.
  if (room?.info?.kind === 'video') return <CallStage view={view} title={title} />;

  // The server decides who may speak: a listener's attempt shows its refusal.
  async function askToSpeak() {
    setSpeakError(null);
    let mic: MediaStream | null = null;
    try {
      mic = await navigator.mediaDevices.getUserMedia({ audio: choice.deviceId ? { deviceId: { exact: choice.deviceId } } : true });
      await room?.publish(mic);
    } catch (err) {
      for (const t of mic?.getTracks() ?? []) t.stop();
      setSpeakError(err);
    }
  }

  const tile = (p: (typeof participants)[number]) => (
    <ParticipantTile
      key={p.id}
      participant={p}
      isMe={p.id === room?.participantId}
      speaking={speaking.includes(p.id)}
      active={activeSpeaker === p.id}
      canModerate={isHost}
      onMute={(muted) => void room?.mute(p.id, muted).catch(() => undefined)}
      onKick={() => void room?.kick(p.id).catch(() => undefined)}
    />
  );

  return (
    <section className="stack room-stage" data-testid="room-stage" data-status={view.status}>
      <div className="row">
        <h2 className="grow" data-testid="room-title">{room?.info?.name ?? title}</h2>
        <span className={`status ${view.status === 'live' ? 'status-live' : ''}`} data-testid="room-status">
          {view.status === 'joining' ? 'Joining…' : view.status === 'live' ? 'Live' : 'Could not join'}
        </span>
      </div>
      <ProblemBanner error={view.error ?? speakError} />
      <h3 className="muted small">On stage · {stage.length}</h3>
      <ul className="tiles">{stage.map(tile)}</ul>
      {view.listenerCount > 0 && (
        <>
          <h3 className="muted small" data-testid="listener-count">Listening · {view.listenerCount}</h3>
          <ul className="tiles tiles-compact">{audience.map(tile)}</ul>
          {/* Large audiences are a count: only hosts are sent every listener. */}
          {view.listenerCount > audience.length && <p className="muted small">and {view.listenerCount - audience.length} more</p>}
        </>
      )}
      <div className="room-controls">
        {me && me.role !== 'listener' && (
          <button type="button" className={`btn btn-large${view.muted ? ' btn-danger' : ''}`} onClick={() => void room?.setMuted(!view.muted)} data-testid="mute-self" aria-pressed={view.muted}>
            {view.muted ? 'Unmute' : 'Mute'}
          </button>
        )}
        {me?.role === 'listener' && (
          <button type="button" className="btn btn-large" onClick={() => void askToSpeak()} data-testid="speak">
            Speak
          </button>
        )}
        <button type="button" className="btn btn-large" onClick={() => void view.leave()} data-testid="leave-room">
          Leave quietly
        </button>
      </div>
      {[...view.streams].map(([id, stream]) => (
        <RemoteAudio key={id} participantId={id} stream={stream} />
      ))}
    </section>
  );
}
