import { Room, type RoomLayout, type RoomParticipant, type SignalChannel } from '@callsight/sdk';
import { useCallback, useEffect, useState } from 'react';

export type StageStatus = 'joining' | 'live' | 'left' | 'kicked' | 'closed' | 'failed';

export interface RoomView {
  /** Null until the effect has created it (first render). */
  room: Room | null;
  status: StageStatus;
  /** Stage, you, and (for non-hosts) a sample of the audience. */
  participants: RoomParticipant[];
  /** The whole audience's size. */
  listenerCount: number;
  activeSpeaker: string | null;
  speaking: string[];
  /** publisherId → received media */
  streams: Map<string, MediaStream>;
  muted: boolean;
  /** The room's shared layout (video rooms), as the host last set it. */
  layout: RoomLayout | null;
  /** Your camera while it is on (video rooms). */
  camera: MediaStream | null;
  error: unknown;
  leave(): Promise<void>;
  /** Turns your camera on or off on the open connection (video rooms): nobody reconnects. */
  setCamera(on: boolean): Promise<void>;
}

/**
 * Joins a room with a token and keeps React state in step with the SDK Room: joins on
 * mount, publishes the microphone unless the token is a listener's, leaves on unmount.
 */
export function useRoom(channel: SignalChannel, token: string, opts: { publishMicrophone: boolean; name?: string; deviceId?: string }): RoomView {
  const [room, setRoom] = useState<Room | null>(null);
  const [status, setStatus] = useState<StageStatus>('joining');
  const [participants, setParticipants] = useState<RoomParticipant[]>([]);
  const [listenerCount, setListenerCount] = useState(0);
  const [speakers, setSpeakers] = useState<{ active: string | null; speaking: string[] }>({ active: null, speaking: [] });
  const [streams, setStreams] = useState(new Map<string, MediaStream>());
  const [muted, setMuted] = useState(false);
  const [layout, setLayout] = useState<RoomLayout | null>(null);
  const [camera, setCameraStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    // A Room per effect run: a stale run (React's strict double mount) leaves its own seat.
    const room = new Room(channel);
    setRoom(room);
    const offs = [
      room.on('participants', (p) => setParticipants(p)),
      room.on('listeners', (n) => setListenerCount(n)),
      room.on('speakers', (active, speaking) => setSpeakers({ active, speaking })),
      room.on('track', (id, stream) => setStreams((m) => new Map(m).set(id, stream))),
      room.on('trackEnded', (id) =>
        setStreams((m) => {
          const next = new Map(m);
          next.delete(id);
          return next;
        }),
      ),
      room.on('muted', (m) => setMuted(m)),
      room.on('left', (reason) => setStatus(reason)),
      room.on('layout', (l) => setLayout(l)),
      room.on('error', (e) => setError(e)),
    ];
    let mic: MediaStream | null = null;
    let cancelled = false;
    (async () => {
      try {
        const { role } = await room.join(token, { name: opts.name });
        if (cancelled) return void room.leave();
        setLayout(room.layout);
        if (opts.publishMicrophone && role !== 'listener') {
          mic = await navigator.mediaDevices.getUserMedia({ audio: opts.deviceId ? { deviceId: { exact: opts.deviceId } } : true });
          await room.publish(mic);
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
      void room.leave();
      for (const t of mic?.getTracks() ?? []) t.stop();
    };
    // One join per mounted stage; a new token mounts a new stage.
  }, [channel, token]);

  const leave = useCallback(async () => {
    await room?.leave();
  }, [room]);

  // Stop the camera when the stage goes away.
  useEffect(() => () => camera?.getTracks().forEach((t) => t.stop()), [camera]);

  const setCamera = useCallback(
    async (on: boolean) => {
      if (!room) return;
      if (!on) {
        await room.setCamera(null);
        setCameraStream(null);
        return;
      }
      const cam = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
      try {
        await room.setCamera(cam.getVideoTracks()[0] ?? null);
      } catch (err) {
        for (const t of cam.getTracks()) t.stop();
        throw err;
      }
      setCameraStream(cam);
    },
    [room],
  );

  return { room, status, participants, listenerCount, activeSpeaker: speakers.active, speaking: speakers.speaking, streams, muted, layout, camera, error, leave, setCamera };
}
