import type { ConversationInfo, ConversationMember, ConversationRecording } from '@callsight/protocol';
import type { ConversationRecord, MemberRecord } from './conversation-repo.js';

/** The live part of a conversation, read from its room in this process (null when nobody is in it). */
export interface LiveStage {
  speakers: { participantId: string; name: string; userId: string | null }[];
  presentUserIds: Set<string>;
  listenerCount: number;
}

const RANK = { host: 0, cohost: 1, speaker: 2, listener: 3 } as const;

/**
 * What participants and the feed see: the stage from the room, the members from the
 * store (those on stage or invited; plain listeners are a count), hands oldest first.
 */
export function conversationView(
  c: ConversationRecord,
  members: MemberRecord[],
  live: LiveStage | null,
  recording: ConversationRecording | null = null,
  now = Date.now(),
  dialInNumber: string | null = null,
): ConversationInfo {
  const present = live?.presentUserIds ?? new Set<string>();
  const shown: ConversationMember[] = members
    .filter((m) => !m.banned && (m.role !== 'listener' || m.invite === 'invited' || m.handRaisedAt !== null))
    .map((m) => ({ userId: m.userId, name: m.name, role: m.role, invite: m.invite, present: present.has(m.userId), handRaisedAt: m.handRaisedAt }))
    .sort((a, b) => Number(b.present) - Number(a.present) || RANK[a.role] - RANK[b.role]);
  const hands = members
    .filter((m) => m.handRaisedAt !== null && !m.banned && m.role === 'listener' && present.has(m.userId))
    .sort((a, b) => a.handRaisedAt! - b.handRaisedAt!)
    .map((m) => ({ userId: m.userId, name: m.name, at: m.handRaisedAt! }));
  return {
    id: c.id,
    roomId: c.roomId,
    topic: c.topic,
    status: c.status,
    createdBy: c.createdBy,
    createdAt: c.createdAt,
    startedAt: c.startedAt,
    endedAt: c.endedAt,
    members: shown,
    speakers: live?.speakers ?? [],
    hands,
    listenerCount: live?.listenerCount ?? 0,
    durationSeconds: c.startedAt ? Math.max(0, Math.round(((c.endedAt ?? now) - c.startedAt) / 1000)) : 0,
    recording,
    dialIn: c.dialCode && c.status !== 'ended' ? { number: dialInNumber, code: c.dialCode } : null,
  };
}
