import type { ConversationRecording, ReplayAccess } from '@callsight/protocol';
import type { RoomRecording } from '../room-recording-repo.js';
import type { ConversationRecord, MemberRecord } from './conversation-repo.js';

/** Replays are kept for 30 days (as X Spaces keeps them), then refused as expired. */
export const REPLAY_TTL_MS = 30 * 24 * 3600 * 1000;

/** What everyone is shown of a conversation's recording: REC while it runs, then the replay with its speaker index. */
export function recordingView(c: ConversationRecord, rec: RoomRecording, now = Date.now()): ConversationRecording {
  const expiresAt = rec.startedAt + REPLAY_TTL_MS;
  const ready = rec.durationSeconds !== null;
  const speakers = rec.tracks
    .map((t) => ({ name: t.name, atSeconds: Math.round((t.startSeconds ?? 0) * 1000) / 1000 }))
    .sort((a, b) => a.atSeconds - b.atSeconds);
  return {
    state: ready ? 'ready' : 'recording',
    access: c.replayAccess ?? 'everyone',
    startedAt: rec.startedAt,
    durationSeconds: rec.durationSeconds,
    speakers,
    url: ready && now < expiresAt ? `/api/conversations/${c.id}/replay` : null,
    expiresAt,
  };
}

/**
 * Who may replay: with `everyone`, anyone in the organisation but people removed from it;
 * with `participants`, only those who were in it (on stage or listening), not removed.
 */
export function mayReplay(access: ReplayAccess, member: MemberRecord | null): boolean {
  if (member?.banned) return false;
  // An invite never accepted is not having been there.
  return access === 'everyone' || (member !== null && member.invite !== 'invited' && member.invite !== 'declined');
}
