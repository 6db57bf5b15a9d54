import type { ConversationInfo, EventStream, ReplayAccess, RoomParticipant } from '@callsight/sdk';
import { useEffect, useState } from 'react';
import { client } from '../api';
import { ProblemBanner } from '../ProblemBanner';
import { useToast } from '../Toasts';
import './conversations.css';
import { useConversation } from './use-conversation';

const ENDED: Record<string, string> = {
  left: 'You left the conversation.',
  kicked: 'A host removed you from the conversation.',
  closed: 'The conversation has ended.',
};

export const initials = (name: string) =>
  name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();

export function clock(startedAt: number | null, now: number): string {
  if (!startedAt) return 'Starting…';
  const s = Math.max(0, Math.floor((now - startedAt) / 1000));
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${Math.floor(s / 60)}:${ss}`;
}

/** Plays one speaker's forwarded audio. */
function Voice({ stream }: { stream: MediaStream }) {
  return <audio autoPlay ref={(el) => { if (el && el.srcObject !== stream) el.srcObject = stream; }} />;
}

/**
 * A live conversation: topic, LIVE and how long, who speaks (the ring lights while they
 * talk), how many listen, raised hands for hosts and speakers to bring up, and your own
 * controls — raise a hand, mute, step down, leave.
 */
export function ConversationStage({ stream, token, initial, userId, onExit }: { stream: EventStream; token: string; initial: ConversationInfo; userId: string; onExit(): void }) {
  const seat = useConversation(stream, token, initial);
  const toast = useToast();
  const [now, setNow] = useState(Date.now());
  const [actionError, setActionError] = useState<unknown>(null);
  const [access, setAccess] = useState<ReplayAccess>('everyone');
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const { info, room } = seat;
  const myMember = info.members.find((m) => m.userId === userId);
  const myRole = myMember?.role ?? 'listener';
  const moderator = myRole === 'host' || myRole === 'cohost';
  const onStage = seat.role !== null && seat.role !== 'listener';
  const handUp = info.hands.some((h) => h.userId === userId);
  const stage = seat.participants.filter((p) => p.role !== 'listener');
  const recording = info.recording?.state === 'recording';

  const act = (what: () => Promise<unknown>, done?: string) => async () => {
    setActionError(null);
    try {
      await what();
      if (done) toast.success(done);
    } catch (err) {
      setActionError(err);
    }
  };

  if (seat.status in ENDED) {
    return (
      <section className="card stack" data-testid="conversation-ended">
        <h2>{info.topic}</h2>
        <p>{ENDED[seat.status]}</p>
        <button type="button" className="btn btn-primary" onClick={onExit}>Back to conversations</button>
      </section>
    );
  }

  const participantOf = (uid: string): RoomParticipant | undefined => seat.participants.find((p) => p.userId === uid);
  const roleLabel = (p: RoomParticipant) => {
    const m = p.userId ? info.members.find((x) => x.userId === p.userId) : undefined;
    return m?.role === 'cohost' ? 'Co-host' : p.role === 'host' ? 'Host' : p.external ? 'By phone' : 'Speaker';
  };

  return (
    <section className="stack" data-testid="conversation-stage" data-status={seat.status} data-role={seat.role ?? ''}>
      <div className="conv-head">
        <h2 data-testid="conversation-topic">{info.topic}</h2>
        <span className="conv-live" data-testid="conversation-live">LIVE</span>
        <span className="muted" data-testid="conversation-clock" aria-label="Time live">{clock(info.startedAt, now)}</span>
        <span className="muted" data-testid="conversation-listeners">{seat.listenerCount === 1 ? '1 listening' : `${seat.listenerCount} listening`}</span>
        {recording && (
          <span className="conv-rec" data-testid="conversation-rec" aria-label="This conversation is being recorded">
            <span className="conv-rec-dot" aria-hidden="true" />
            REC
          </span>
        )}
      </div>
      {info.dialIn?.number && (
        <p className="muted small conv-dial-in" data-testid="conversation-dial-in">
          Listen by phone: call <strong>{info.dialIn.number}</strong>, then key <strong data-testid="conversation-dial-in-code">{info.dialIn.code.replace(/^(\d{3})(\d{3})$/, '$1 $2')}</strong> and #
        </p>
      )}
      {recording && (
        <p className="banner banner-warn conv-consent" data-testid="conversation-consent">
          This conversation is being recorded. {info.recording!.access === 'participants' ? 'The people in it can replay it' : 'Everyone in your organisation can replay it'} for 30 days; what you say on stage is in the replay.
        </p>
      )}
      {moderator && !info.recording && (
        <div className="conv-record card" data-testid="conversation-record-offer">
          <div className="grow">
            <strong>Record this conversation?</strong>
            <p className="muted small">Everyone in it sees REC. Afterwards it is in the replays for 30 days.</p>
          </div>
          <label className="field conv-record-access">
            Who can replay
            <select value={access} onChange={(e) => setAccess(e.target.value as ReplayAccess)} data-testid="conversation-record-access">
              <option value="everyone">Everyone here</option>
              <option value="participants">Only people in it</option>
            </select>
          </label>
          <button type="button" className="btn" data-testid="conversation-record" onClick={() => void act(() => client.conversations.startRecording(info.id, access), 'Recording started')()}>
            Start recording
          </button>
        </div>
      )}
      {seat.status === 'joining' && <p className="muted">Joining…</p>}
      <ProblemBanner error={seat.error ?? actionError} />
      <h3 className="muted small">Speaking · {stage.length}</h3>
      <ul className="conv-tiles">
        {stage.map((p) => {
          const speaking = seat.speaking.includes(p.id);
          const me = p.id === room?.participantId;
          return (
            <li key={p.id} className={`conv-tile${speaking ? ' conv-tile-speaking' : ''}`} data-testid="conversation-speaker" data-name={p.name} data-speaking={speaking}>
              <div className="conv-face" aria-hidden="true">{initials(p.name)}</div>
              <div className="conv-tile-name">{p.name}{me && <span className="muted small"> (you)</span>}</div>
              <div className="conv-tile-actions">
                <span className={`pill${p.role === 'host' ? ' pill-ok' : ''}`}>{roleLabel(p)}</span>
                {p.muted && <span className="pill pill-bad">Muted</span>}
              </div>
              {moderator && !me && (
                <div className="conv-tile-actions">
                  <button type="button" className="btn btn-small" onClick={() => void act(() => client.conversations.mute(info.id, p.id, !p.muted))()}>{p.muted ? 'Unmute' : 'Mute'}</button>
                  <button type="button" className="btn btn-small" onClick={() => void act(() => client.conversations.demote(info.id, p.id), `${p.name} moved to the audience`)()}>To audience</button>
                  {myRole === 'host' && p.userId && (
                    <button type="button" className="btn btn-small" onClick={() => void act(() => client.conversations.handOver(info.id, p.id), `${p.name} hosts now`)()}>Make host</button>
                  )}
                  <button type="button" className="btn btn-small btn-danger" data-testid="conversation-remove" onClick={() => void act(() => client.conversations.remove(info.id, p.id), `${p.name} was removed`)()}>Remove</button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {onStage && info.hands.length > 0 && (
        <div className="card stack" data-testid="conversation-hands">
          <h3>Raised hands · {info.hands.length}</h3>
          <ul className="conv-hands">
            {info.hands.map((h) => {
              const p = participantOf(h.userId);
              return (
                <li key={h.userId} data-testid="conversation-hand" data-name={h.name}>
                  <span className="conv-hand-name">{h.name}</span>
                  <span className="muted small">waiting {clock(h.at, now)}</span>
                  {p && (
                    <button type="button" className="btn btn-small btn-primary" data-testid="conversation-bring-up" onClick={() => void act(() => client.conversations.promote(info.id, p.id), `${h.name} can speak now`)()}>
                      Bring up to speak
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <div className="conv-controls">
        {!onStage && (
          <button
            type="button"
            className={`btn btn-large${handUp ? ' btn-primary' : ''}`}
            data-testid="conversation-hand-toggle"
            aria-pressed={handUp}
            onClick={() =>
              void act(async () => {
                // The microphone is negotiated with the raised hand: being brought up is then heard at once.
                if (!handUp) await seat.prepareMic();
                await client.conversations.raiseHand(info.id, !handUp);
              }, handUp ? undefined : 'Hand raised: a host can bring you up')()
            }
          >
            {handUp ? 'Lower hand' : 'Raise hand'}
          </button>
        )}
        {onStage && (
          <button type="button" className={`btn btn-large${seat.muted ? ' btn-danger' : ''}`} data-testid="conversation-mute-self" aria-pressed={seat.muted} onClick={() => void act(() => room!.setMuted(!seat.muted))()}>
            {seat.muted ? 'Unmute' : 'Mute'}
          </button>
        )}
        {onStage && myRole !== 'host' && room?.participantId && (
          <button type="button" className="btn btn-large" data-testid="conversation-step-down" onClick={() => void act(() => client.conversations.demote(info.id, room.participantId!), 'You are listening now')()}>
            Step down
          </button>
        )}
        {moderator && recording && (
          <button type="button" className="btn btn-large" data-testid="conversation-record-stop" onClick={() => void act(() => client.conversations.stopRecording(info.id), 'Recording saved to the replays')()}>
            Stop recording
          </button>
        )}
        <button type="button" className="btn btn-large" data-testid="conversation-leave" onClick={() => void room?.leave()}>Leave quietly</button>
      </div>
      {[...seat.streams].map(([id, s]) => <Voice key={id} stream={s} />)}
    </section>
  );
}
