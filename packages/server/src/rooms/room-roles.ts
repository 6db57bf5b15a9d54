/**
 * What each role may do in a room. Hosts run the room (mute, kick, mint tokens for it
 * over the API), speakers talk, listeners only hear — their publish is refused.
 */
export type RoomRole = 'host' | 'speaker' | 'listener';
export const ROOM_ROLES: readonly RoomRole[] = ['host', 'speaker', 'listener'];

export const canPublish = (role: RoomRole) => role !== 'listener';
export const canModerate = (role: RoomRole) => role === 'host';
