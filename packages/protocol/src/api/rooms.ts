/** Rooms (SFU): audio rooms with listeners and video group calls. */

/** `audio`: voice only (audio rooms, group calls); `video`: cameras too. */
export type RoomKind = 'audio' | 'video';
/**
 * Opus for browser rooms (phones join them transcoded); PCMU when mostly SIP callers take
 * part, so their G.711 audio is forwarded untouched and mixed for them without transcoding.
 */
export type RoomAudioCodec = 'opus' | 'pcmu';
/** Hosts run the room (mute, kick, tokens), speakers talk, listeners only hear. */
export type RoomRole = 'host' | 'speaker' | 'listener';
export const ROOM_ROLES: readonly RoomRole[] = ['host', 'speaker', 'listener'];
export type RoomMediaKind = 'audio' | 'video';

export interface RoomSummary {
  id: string;
  name: string;
  kind: RoomKind;
  audioCodec: RoomAudioCodec;
  maxParticipants: number;
  createdAt: number;
  participantCount: number;
  /** The user who created it (null for rooms made by a flow): they may host it. */
  createdBy: string | null;
}

export interface CreateRoomInput {
  name: string;
  kind?: RoomKind;
  maxParticipants?: number;
  /** `pcmu` when SIP callers will join: no transcoding. */
  audioCodec?: RoomAudioCodec;
}

export interface RoomParticipant {
  id: string;
  name: string;
  role: RoomRole;
  userId: string | null;
  publishing: RoomMediaKind[];
  /** A send path negotiated but not yet heard (a raised hand): subscribe now, so its promotion is heard at once. */
  held: boolean;
  muted: boolean;
  /** A phone (SIP) participant whose audio is mixed into the room. */
  external: boolean;
  /** The phone call behind a SIP participant; null for browsers. */
  callId: string | null;
  joinedAt: number;
}

export interface RoomParticipantPage {
  items: RoomParticipant[];
  nextCursor: string | null;
  activeSpeaker: string | null;
}

export interface JoinToken {
  token: string;
  role: RoomRole;
  name: string;
  expiresAt: number;
  /** Path of the rooms app that joins with this token (share it with guests). */
  joinUrl: string;
}

/** What a join token opens, for the page before joining (no login needed). */
export interface JoinInfo {
  room: { name: string; kind: RoomKind };
  role: RoomRole;
  name: string;
  expiresAt: number;
}

export interface JoinTokenInput {
  role: RoomRole;
  name?: string;
  ttlSeconds?: number;
}

export interface RoomDialInput {
  to: string;
  role?: 'speaker' | 'listener';
  name?: string;
  from?: string;
  timeoutSeconds?: number;
}

/** What a participant learns of the room on joining. */
export interface RoomInfo {
  id: string;
  name: string;
  kind: RoomKind;
  audioCodec: RoomAudioCodec;
}

/**
 * Audio slots of a stage subscription (`room.subscribe_stage`): the voices on stage heard
 * at once; with more on stage, whoever speaks takes the slot of one silent longest.
 */
export const ROOM_STAGE_SLOTS = 6;
