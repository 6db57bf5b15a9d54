import type { RoomParticipant, RoomRole } from './room.js';

/** A room as the REST API returns it. Mirrors packages/server/src/rooms/room-routes.ts. */
export interface RoomSummary {
  id: string;
  name: string;
  kind: 'audio' | 'video';
  audioCodec: 'opus' | 'pcmu';
  maxParticipants: number;
  createdAt: number;
  participantCount: number;
}

export interface CreateRoomInput {
  name: string;
  kind?: 'audio' | 'video';
  maxParticipants?: number;
  /** `pcmu` when SIP callers will join: no transcoding. */
  audioCodec?: 'opus' | 'pcmu';
}

export interface JoinToken {
  token: string;
  role: RoomRole;
  name: string;
  expiresAt: number;
  /** Path of the rooms app that joins with this token (share it with guests). */
  joinUrl: string;
}

type Send = <T>(method: string, path: string, opts?: { body?: unknown }) => Promise<T>;
const enc = encodeURIComponent;

/** REST methods of rooms: `client.rooms.create(...)`, `client.rooms.token(id, {role})`. */
export function roomMethods(send: Send) {
  return {
    list: () => send<{ items: RoomSummary[] }>('GET', '/api/rooms'),
    get: (id: string) => send<RoomSummary>('GET', `/api/rooms/${enc(id)}`),
    create: (input: CreateRoomInput) => send<RoomSummary>('POST', '/api/rooms', { body: input }),
    close: (id: string) => send<void>('DELETE', `/api/rooms/${enc(id)}`),
    token: (id: string, input: { role: RoomRole; name?: string; ttlSeconds?: number }) => send<JoinToken>('POST', `/api/rooms/${enc(id)}/tokens`, { body: input }),
    /** Everyone in the room, in join order; pass `limit` (and the previous `nextCursor`) to page a large audience. */
    participants: (id: string, page: { limit?: number; cursor?: string } = {}) => {
      const q = new URLSearchParams(Object.entries(page).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))).toString();
      return send<{ items: RoomParticipant[]; nextCursor: string | null; activeSpeaker: string | null }>('GET', `/api/rooms/${enc(id)}/participants${q ? `?${q}` : ''}`);
    },
    mute: (id: string, participantId: string, muted: boolean) =>
      send<RoomParticipant>('POST', `/api/rooms/${enc(id)}/participants/${enc(participantId)}/mute`, { body: { muted } }),
    kick: (id: string, participantId: string) => send<void>('DELETE', `/api/rooms/${enc(id)}/participants/${enc(participantId)}`),
    /** Calls a phone and puts it in the room once answered (rooms created with audioCodec 'pcmu'). */
    dial: (id: string, input: { to: string; role?: 'speaker' | 'listener'; name?: string; from?: string; timeoutSeconds?: number }) =>
      send<{ callId: string; roomId: string; role: string }>('POST', `/api/rooms/${enc(id)}/dial`, { body: input }),
  };
}
