import { newId } from '../core/ids.js';
import type { Store } from '../store/store.js';
import type { RoomTrack } from './room-recorder.js';
import type { RoomRecordingsTable } from './room-schema.js';

export interface RoomRecording {
  id: string;
  roomId: string;
  startedAt: number;
  /** Null while recording. */
  durationSeconds: number | null;
  tracks: RoomTrack[];
  dir: string;
}

const toRecording = (r: RoomRecordingsTable): RoomRecording => ({
  id: r.id,
  roomId: r.room_id,
  startedAt: Number(r.started_at),
  durationSeconds: r.duration_seconds === null ? null : Number(r.duration_seconds),
  tracks: JSON.parse(r.tracks) as RoomTrack[],
  dir: r.dir,
});

/** Room recordings: which files a recording has, per tenant and room. */
export class RoomRecordingRepo {
  constructor(private readonly store: Store) {}

  async add(input: { tenantId: string; roomId: string; baseDir: string }): Promise<RoomRecording> {
    const id = newId('rrec');
    const row: RoomRecordingsTable = { id, tenant_id: input.tenantId, room_id: input.roomId, dir: `${input.baseDir}/${id}`, tracks: '[]', started_at: Date.now(), duration_seconds: null };
    await this.store.db.insertInto('room_recordings').values(row).execute();
    return toRecording(row);
  }

  async finish(id: string, durationSeconds: number, tracks: RoomTrack[]): Promise<void> {
    await this.store.db.updateTable('room_recordings').set({ duration_seconds: durationSeconds, tracks: JSON.stringify(tracks) }).where('id', '=', id).execute();
  }

  async list(tenantId: string, roomId: string): Promise<RoomRecording[]> {
    const rows = await this.store.db.selectFrom('room_recordings').selectAll().where('tenant_id', '=', tenantId).where('room_id', '=', roomId).orderBy('id', 'desc').limit(100).execute();
    return rows.map(toRecording);
  }

  async byId(id: string): Promise<RoomRecording | null> {
    const row = await this.store.db.selectFrom('room_recordings').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecording(row) : null;
  }

  async get(tenantId: string, roomId: string, id: string): Promise<RoomRecording | null> {
    const row = await this.store.db.selectFrom('room_recordings').selectAll().where('tenant_id', '=', tenantId).where('room_id', '=', roomId).where('id', '=', id).executeTakeFirst();
    return row ? toRecording(row) : null;
  }
}
