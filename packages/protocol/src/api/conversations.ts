/** Social audio conversations: a room started between people, heard live by others, extended with speakers. */

import type { RoomRole } from './rooms.js';

/** A member's part in a conversation: hosts and co-hosts moderate, speakers talk, listeners hear and may raise a hand. */
export type ConversationRole = 'host' | 'cohost' | 'speaker' | 'listener';
export const CONVERSATION_ROLES: readonly ConversationRole[] = ['host', 'cohost', 'speaker', 'listener'];
/** `inviting`: started, waiting for an invitee to accept; `live`: people are talking; `ended`: everyone left. */
export type ConversationStatus = 'inviting' | 'live' | 'ended';

export interface ConversationMember {
  userId: string;
  name: string;
  role: ConversationRole;
  /** Invited and not yet answered, accepted, declined; null for people who came from the feed. */
  invite: 'invited' | 'accepted' | 'declined' | null;
  /** In the conversation now. */
  present: boolean;
  handRaisedAt: number | null;
}

/** What participants (and the feed) see of a conversation; pushed live as `conversation.updated`. */
export interface ConversationInfo {
  id: string;
  roomId: string;
  topic: string;
  status: ConversationStatus;
  createdBy: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /** Hosts, co-hosts and speakers (those present first), and everyone invited. */
  members: ConversationMember[];
  /** Who is on stage now, by name (present hosts, co-hosts and speakers, phone callers included). */
  speakers: { participantId: string; name: string; userId: string | null }[];
  /** Raised hands waiting, oldest first. */
  hands: { userId: string; name: string; at: number }[];
  listenerCount: number;
  /** Seconds since it went live (0 before); clients count on from `startedAt`. */
  durationSeconds: number;
  /** Null until a host records it; while `recording`, everyone in it is shown REC. */
  recording: ConversationRecording | null;
  /**
   * How a phone listens in: call `number` (a number of the organisation whose flow is the
   * `conversation` verb; null when it has none) and key `code`. Null for conversations from before codes.
   */
  dialIn: { number: string | null; code: string } | null;
}

/** Who may replay a recorded conversation: everyone in the organisation, or only the people who were in it. */
export type ReplayAccess = 'everyone' | 'participants';
export const REPLAY_ACCESS: readonly ReplayAccess[] = ['everyone', 'participants'];

export interface ConversationRecording {
  state: 'recording' | 'ready';
  access: ReplayAccess;
  startedAt: number;
  /** Null while recording. */
  durationSeconds: number | null;
  /** Who was heard, in the order they first spoke, with when (seconds into the replay): the replay's speaker index. */
  speakers: { name: string; atSeconds: number }[];
  /** The replay (audio/ogg Opus, the speakers' mix; byte ranges) once ready and while it has not expired. */
  url: string | null;
  /** When the replay expires (ms since epoch). */
  expiresAt: number;
}

export interface StartConversationRecordingInput {
  /** Who may replay it afterwards; `everyone` in the organisation by default. */
  access?: ReplayAccess;
}

export interface StartConversationInput {
  topic: string;
  /** Users to invite (at least one): they ring in the app, or get an SMS link when not online. */
  invite: string[];
}

/** How an invite reached someone: ringing in an open app, an SMS link, or neither (offline, no number). */
export type InviteDelivery = 'ring' | 'sms' | 'none';

export interface ConversationJoin {
  conversation: ConversationInfo;
  /** A join token for the conversation's room (`Room.join(token)`), with the member's role. */
  token: string;
  roomRole: RoomRole;
}

export interface ConversationPerson {
  id: string;
  name: string;
  online: boolean;
}

export interface ConversationReportInput {
  /** The participant reported (a `ptc_…` id from the conversation). */
  participantId: string;
  reason: string;
}
