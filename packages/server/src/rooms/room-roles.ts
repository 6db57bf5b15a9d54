import type { RoomRole } from '@callsight/protocol';

/**
 * What each role may do in a room. Hosts run the room (mute, kick, mint tokens for it
 * over the API), speakers talk, listeners only hear — their publish is refused.
 */
export { ROOM_ROLES, type RoomRole } from '@callsight/protocol';

export const canPublish = (role: RoomRole) => role !== 'listener';
export const canModerate = (role: RoomRole) => role === 'host';
