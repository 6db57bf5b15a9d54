import type { RtpPacket } from 'werift';
import type { RoomAudioCodec } from './room-schema.js';
import type { RoomRole } from './room-roles.js';
import type { LeaveReason } from './live-room.js';

/**
 * The hook the calls layer uses to put a SIP caller into a room. Audio is RTP in the
 * room's codec: a room created with `audioCodec: 'pcmu'` exchanges G.711 µ-law end to
 * end, so a SIP leg needs no transcoding (the mixer decodes G.711 to mix the room for
 * the caller); in an Opus room the caller's audio is encoded to Opus and the room's
 * decoded to be mixed for the caller (CallRoomAudio).
 */
export interface ExternalAudioOptions {
  name: string;
  role?: RoomRole;
  /** Every audio packet another participant publishes, with who sent it (for mixing). */
  onRtp: (fromParticipantId: string, packet: RtpPacket) => void;
  /** The participant is out of the room (left, kicked, room closed): the call takes its audio back. */
  onLeave?: (reason: LeaveReason) => void;
  /** The call behind the participant, shown in participant lists and `room.joined`. */
  callId?: string;
}

export interface ExternalAudioParticipant {
  participantId: string;
  audioCodec: RoomAudioCodec;
  /** Publishes one packet to the room's subscribers; `audioLevel` (-dBov) feeds active-speaker detection. */
  sendRtp(packet: RtpPacket, audioLevel?: number): void;
  leave(): void;
}
