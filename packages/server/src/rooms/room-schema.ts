import type { RoomAudioCodec, RoomKind } from '@callsight/protocol';

/** Row types of the rooms tables (migration 0005), merged into the store's Database. */
export interface RoomsTable {
  id: string;
  tenant_id: string;
  name: string;
  kind: RoomKind;
  audio_codec: RoomAudioCodec;
  max_participants: number;
  /** HMAC key of the room's join tokens, sealed with the master key; rotating it revokes every token. */
  token_key_sealed: string;
  created_by: string | null;
  created_at: number;
  closed_at: number | null;
}

export type { RoomAudioCodec, RoomKind };

/** A room recording (migration 0012): its files live in `dir` (mixed.opus and one file per speaker). */
export interface RoomRecordingsTable {
  id: string;
  tenant_id: string;
  room_id: string;
  dir: string;
  /** JSON: [{participantId, name, file}], filled when the recording stops. */
  tracks: string;
  started_at: number;
  duration_seconds: number | null;
}

declare module '../store/schema.js' {
  interface Database {
    rooms: RoomsTable;
    room_recordings: RoomRecordingsTable;
  }
}
