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

/** `audio`: voice only (audio rooms, group calls); `video`: cameras too. */
export type RoomKind = 'audio' | 'video';
/**
 * Opus for browser rooms; PCMU when SIP callers take part, so their G.711 audio is
 * forwarded untouched and the room's streams can be mixed for them without an Opus codec.
 */
export type RoomAudioCodec = 'opus' | 'pcmu';

declare module '../store/schema.js' {
  interface Database {
    rooms: RoomsTable;
  }
}
