import type { ConversationRole, RoomRole } from '@callsight/protocol';

/**
 * Who may do what in a conversation. Hosts and co-hosts moderate (mute, remove, demote,
 * hand over); speakers may bring a listener up to speak (as on a Clubhouse stage) but not
 * make co-hosts; listeners raise a hand.
 */
export const moderates = (role: ConversationRole): boolean => role === 'host' || role === 'cohost';
export const onStageRole = (role: ConversationRole): boolean => role !== 'listener';

export function mayPromote(actor: ConversationRole, to: ConversationRole): boolean {
  if (to === 'listener' || to === 'host') return false; // stepping down and handing over have their own rules
  if (to === 'cohost') return moderates(actor);
  return onStageRole(actor);
}

/** The room role that carries a conversation role: co-hosts moderate the room as hosts do. */
export const roomRoleOf = (role: ConversationRole): RoomRole => (role === 'host' || role === 'cohost' ? 'host' : role === 'speaker' ? 'speaker' : 'listener');
