import { Room, type ConversationInfo, type EventStream, type RoomParticipant, type RoomRole } from '@callsight/sdk';
import { useEffect, useState } from 'react';

export type SeatStatus = 'joining' | 'live' | 'left' | 'kicked' | 'closed' | 'failed';

export interface ConversationSeat {
  room: Room | null;
  status: SeatStatus;
  role: RoomRole | null;
  participants: RoomParticipant[];
  listenerCount: number;
  speaking: string[];
  streams: Map<string, MediaStream>;
  muted: boolean;
  info: ConversationInfo;
  error: unknown;
  /** Negotiates the microphone now (held while listening), so being brought up is heard at once. */
  prepareMic(): Promise<void>;
}

/**
 * A seat in a conversation: the SDK Room joined with the conversation's token, the
 * conversation's info kept fresh from `conversation.updated` pushes, the microphone
 * published for speakers (and held for a listener with a raised hand).
 */
export function useConversation(stream: EventStream, token: string, initial: ConversationInfo): ConversationSeat {
  const [room, setRoom] = useState<Room | null>(null);
  const [status, setStatus] = useState<SeatStatus>('joining');
  const [role, setRole] = useState<RoomRole | null>(null);
  const [participants, setParticipants] = useState<RoomParticipant[]>([]);
  const [listenerCount, setListenerCount] = useState(0);
  const [speaking, setSpeaking] = useState<string[]>([]);
  const [streams, setStreams] = useState(new Map<string, MediaStream>());
  const [muted, setMuted] = useState(false);
  const [info, setInfo] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const [mic, setMic] = useState<MediaStream | null>(null);

  useEffect(() => {
    // The whole stage on one connection: whoever is brought up is heard on it at once.
    const r = new Room(stream, { stage: true });
    setRoom(r);
    let cancelled = false;
    let ownMic: MediaStream | null = null;
    const offs = [
      r.on('participants', setParticipants),
      r.on('listeners', setListenerCount),
      r.on('speakers', (_a, s) => setSpeaking(s)),
      r.on('track', (id, s) => setStreams((m) => new Map(m).set(id, s))),
      r.on('trackEnded', (id) => setStreams((m) => { const n = new Map(m); n.delete(id); return n; })),
      r.on('muted', (m) => setMuted(m)),
      r.on('role', (x) => setRole(x)),
      r.on('left', (reason) => setStatus(reason)),
      r.on('error', (e) => setError(e)),
      stream.on('message', (m) => {
        if (m.kind === 'conversation.updated' && m.conversation.id === initial.id) setInfo(m.conversation);
      }),
    ];
    (async () => {
      try {
        const joined = await r.join(token);
        if (cancelled) return void r.leave();
        setRole(joined.role);
        if (joined.role !== 'listener') {
          ownMic = await navigator.mediaDevices.getUserMedia({ audio: true });
          setMic(ownMic);
          await r.publish(ownMic);
        }
        if (!cancelled) setStatus('live');
      } catch (err) {
        if (!cancelled) {
          setError(err);
          setStatus('failed');
        }
      }
    })();
    return () => {
      cancelled = true;
      for (const off of offs) off();
      void r.leave();
      for (const t of ownMic?.getTracks() ?? []) t.stop();
    };
  }, [stream, token, initial.id]);

  async function prepareMic() {
    if (!room || mic) return;
    const m = await navigator.mediaDevices.getUserMedia({ audio: true });
    setMic(m);
    await room.prepareToSpeak(m);
  }

  return { room, status, role, participants, listenerCount, speaking, streams, muted, info, error, prepareMic };
}
