import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext } from '../app-context.js';
import { conflict } from '../core/errors.js';
import { MediaClock } from '../media/clock.js';
import { RoomRecorder } from './room-recorder.js';
import type { RoomRecording, RoomRecordingRepo } from './room-recording-repo.js';
import type { RoomRegistry } from './room-registry.js';
import type { Room } from './room-repo.js';

type Finished = (recording: RoomRecording) => void;

/**
 * The recordings running in this process, by room: started by staff on a room or by a
 * conversation's host, stopped on request or when the room closes, whichever comes first
 * (a stop while one is finishing waits for that one). Listeners learn of each finished one.
 */
export class RoomRecordings {
  private readonly active = new Map<string, { id: string; recorder: RoomRecorder }>();
  private readonly finishing = new Map<string, Promise<RoomRecording | null>>();
  private readonly listeners = new Set<Finished>();
  private ownClock: MediaClock | null = null;

  constructor(
    private readonly ctx: AppContext,
    readonly repo: RoomRecordingRepo,
    private readonly registry: RoomRegistry,
  ) {}

  async start(room: Room, tags: Record<string, string>): Promise<RoomRecording> {
    const live = this.registry.get(room.id);
    if (!live || room.closedAt) throw conflict('room_not_live', 'Nobody is in the room: a recording starts once it is live');
    if (this.active.has(room.id) || this.finishing.has(room.id)) throw conflict('room_already_recording', 'The room is already being recorded');
    const rec = await this.repo.add({ tenantId: room.tenantId, roomId: room.id, baseDir: join(this.ctx.config.dataDir, 'room-recordings') });
    await mkdir(rec.dir, { recursive: true });
    const clock = this.clock();
    const recorder = await RoomRecorder.start(live, clock, rec.dir, tags, () => void this.stop(room.id).catch((err: unknown) => this.ctx.log.error({ err }, 'finishing a room recording failed')));
    this.active.set(room.id, { id: rec.id, recorder });
    return rec;
  }

  /** The process's media clock; without telephony (no SIP: conversations in the apps only) one of the recordings' own. */
  private clock(): MediaClock {
    const telephony = this.ctx.services.maybe('telephony');
    if (telephony) return telephony.media.clock;
    this.ownClock ??= new MediaClock({ onError: (err) => this.ctx.log.error({ err }, 'recording clock tick failed') });
    return this.ownClock;
  }

  /** The id of the recording running in the room, if any. */
  runningIn(roomId: string): string | null {
    return this.active.get(roomId)?.id ?? null;
  }

  /** Finalises the room's running recording; null when none runs. */
  stop(roomId: string): Promise<RoomRecording | null> {
    const pending = this.finishing.get(roomId);
    if (pending) return pending;
    const running = this.active.get(roomId);
    if (!running) return Promise.resolve(null);
    this.active.delete(roomId);
    const done = (async () => {
      const { durationSeconds, tracks } = await running.recorder.stop();
      await this.repo.finish(running.id, durationSeconds, tracks);
      const rec = await this.repo.byId(running.id);
      if (rec) for (const l of this.listeners) l(rec);
      return rec;
    })().finally(() => this.finishing.delete(roomId));
    this.finishing.set(roomId, done);
    return done;
  }

  onFinished(listener: Finished): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stopAll(): Promise<void> {
    for (const roomId of [...this.active.keys()]) await this.stop(roomId).catch(() => undefined);
    await Promise.allSettled([...this.finishing.values()]);
  }
}
