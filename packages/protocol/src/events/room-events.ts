import type { RoomKind, RoomMediaKind, RoomRole } from '../api/rooms.js';

/** Room events (audit, webhooks, the WS stream of staff). */
export interface RoomEvents {
  'room.created': { roomId: string; name: string; kind: RoomKind; maxParticipants: number };
  /** `callId`: the participant is a phone call (a SIP caller) whose audio is mixed into the room. */
  'room.joined': { roomId: string; participantId: string; name: string; role: RoomRole; userId: string | null; callId?: string };
  'room.left': { roomId: string; participantId: string; reason: 'left' | 'kicked' | 'disconnected' | 'closed' };
  'room.published': { roomId: string; participantId: string; kinds: RoomMediaKind[] };
  'room.muted': { roomId: string; participantId: string; muted: boolean; by: string };
  'room.kicked': { roomId: string; participantId: string; by: string };
  'room.active_speaker': { roomId: string; participantId: string | null };
}
