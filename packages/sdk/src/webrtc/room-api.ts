import type { CreateRoomInput, JoinInfo, JoinToken, JoinTokenInput, RoomDialInput, RoomParticipant, RoomParticipantPage, RoomSummary } from '@callsight/protocol';
import { enc, type Send } from '../request.js';

/** REST methods of rooms: `client.rooms.create(...)`, `client.rooms.token(id, {role})`. Join and media go through `Room`. */
export function roomMethods(send: Send) {
  return {
    list: () => send<{ items: RoomSummary[] }>('GET', '/api/rooms'),
    get: (id: string) => send<RoomSummary>('GET', `/api/rooms/${enc(id)}`),
    create: (input: CreateRoomInput) => send<RoomSummary>('POST', '/api/rooms', { body: input }),
    close: (id: string) => send<void>('DELETE', `/api/rooms/${enc(id)}`),
    token: (id: string, input: JoinTokenInput) => send<JoinToken>('POST', `/api/rooms/${enc(id)}/tokens`, { body: input }),
    /** The room's name and the role a token grants, before joining with it (works for guests). */
    joinInfo: (token: string) => send<JoinInfo>('POST', '/api/rooms/join-info', { body: { token } }),
    /** Everyone in the room, in join order; pass `limit` (and the previous `nextCursor`) to page a large audience. */
    participants: (id: string, page: { limit?: number; cursor?: string } = {}) => send<RoomParticipantPage>('GET', `/api/rooms/${enc(id)}/participants`, { query: page }),
    mute: (id: string, participantId: string, muted: boolean) => send<RoomParticipant>('POST', `/api/rooms/${enc(id)}/participants/${enc(participantId)}/mute`, { body: { muted } }),
    kick: (id: string, participantId: string) => send<void>('DELETE', `/api/rooms/${enc(id)}/participants/${enc(participantId)}`),
    /** Calls a phone and puts it in the room once answered (rooms created with audioCodec 'pcmu'). */
    dial: (id: string, input: RoomDialInput) => send<{ callId: string; roomId: string; role: string }>('POST', `/api/rooms/${enc(id)}/dial`, { body: input }),
  };
}
