import type { RoomInfo, RoomParticipant, RoomRole } from '../api/rooms.js';
import type { RoomLayout } from './room-layout-messages.js';

/**
 * Room signalling (on /api/ws, or /api/rooms/ws for guests): `room.join {token}`
 * makes the socket a participant; every other request names the participant it
 * acts as, which must have joined on the same socket.
 */
export type RoomClientMessage =
  /** `name`: what a guest chose to be called. */
  | { kind: 'room.join'; ref?: string; token: string; name?: string }
  /**
   * `held`: a listener's send path negotiated ahead of promotion; nothing it sends is heard until it is on stage.
   * `camera: false`: the offer's video is idle until `room.camera` switches it on (default: on when offered).
   */
  | { kind: 'room.publish'; ref?: string; participantId: string; sdp: string; held?: boolean; camera?: boolean }
  /** Your camera on or off on the open send path: subscribers keep their connections. */
  | { kind: 'room.camera'; ref?: string; participantId: string; on: boolean }
  | { kind: 'room.subscribe'; ref?: string; participantId: string; publisherId: string; sdp: string }
  /**
   * One recvonly offer of audio m-lines (the server uses up to 6): everyone heard on stage
   * comes on it, one voice per slot, so whoever is brought up is heard with no new connection.
   */
  | { kind: 'room.subscribe_stage'; ref?: string; participantId: string; sdp: string }
  /** `publisherId: 'stage'` ends the stage subscription. */
  | { kind: 'room.unsubscribe'; ref?: string; participantId: string; publisherId: string }
  | { kind: 'room.mute'; ref?: string; participantId: string; targetId: string; muted: boolean }
  | { kind: 'room.kick'; ref?: string; participantId: string; targetId: string }
  | { kind: 'room.leave'; ref?: string; participantId: string };

/** The room as one participant sees it: everyone on stage, you, and (unless you host) a sample of the audience. */
export interface RoomSnapshot {
  roomId: string;
  participants: RoomParticipant[];
  listenerCount: number;
  activeSpeaker: string | null;
  speaking: string[];
  /** The shared layout of a video room (spatial audio); absent in audio rooms. */
  layout?: RoomLayout;
}

/** Replies to the requests above. */
export type RoomReplyMessage =
  | ({ kind: 'room.joined'; ref?: string; room: RoomInfo; participantId: string; role: RoomRole } & RoomSnapshot)
  | { kind: 'room.publish.answer'; ref?: string; participantId: string; sdp: string }
  | { kind: 'room.subscribe.answer'; ref?: string; participantId: string; publisherId: string; sdp: string }
  /** `slots`: the participant each audio m-line carries now (null: free), in m-line order. */
  | { kind: 'room.subscribe_stage.answer'; ref?: string; participantId: string; sdp: string; slots: (string | null)[] }
  | { kind: 'room.unsubscribed'; ref?: string; publisherId: string }
  | { kind: 'room.mute.done'; ref?: string; participant: RoomParticipant }
  | { kind: 'room.camera.done'; ref?: string; participant: RoomParticipant }
  | { kind: 'room.kick.done'; ref?: string; targetId: string }
  | { kind: 'room.left'; ref?: string; participantId: string };

/** Pushed to participants: the full state once on join, then these deltas. */
export type RoomPushMessage =
  | { kind: 'room.participant.joined'; roomId: string; participant: RoomParticipant }
  | { kind: 'room.participant.updated'; roomId: string; participant: RoomParticipant }
  | { kind: 'room.participant.left'; roomId: string; participantId: string; reason: 'left' | 'kicked' | 'disconnected' | 'closed' }
  /** The audience size; `sample` (the first listeners by name) only when it changed. */
  | { kind: 'room.listeners'; roomId: string; count: number; sample?: RoomParticipant[] }
  | { kind: 'room.speakers'; roomId: string; activeSpeaker: string | null; speaking: string[] }
  | { kind: 'room.muted'; roomId: string; participantId: string; muted: boolean; by: string }
  | { kind: 'room.kicked'; roomId: string; participantId: string; by: string }
  /** `publisherId: 'stage'`: the stage subscription ended. */
  | { kind: 'room.subscription_ended'; roomId: string; participantId: string; publisherId: string }
  /** To stage subscribers: which participant each audio slot carries now. */
  | { kind: 'room.stage_slots'; roomId: string; slots: (string | null)[] }
  | { kind: 'room.closed'; roomId: string };

export type RoomServerMessage = RoomReplyMessage | RoomPushMessage;
