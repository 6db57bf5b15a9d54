import { SignJWT, decodeJwt, jwtVerify } from 'jose';
import { CallsightError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Room, RoomRepo } from './room-repo.js';
import { ROOM_ROLES, type RoomRole } from './room-roles.js';

/** What a join token grants: one role in one room, under a display name, until it expires. */
export interface JoinGrant {
  roomId: string;
  tenantId: string;
  role: RoomRole;
  name: string;
  /** The token's id: a kicked participant's token stops working. */
  tokenId: string;
  expiresAt: number;
}

const ISSUER = 'callsight-rooms';

/**
 * Join tokens are HS256 JWTs signed with a per-room key sealed in the rooms table, so any
 * process can verify them and a room's tokens can be revoked by rotating its key. They
 * carry no user identity: anonymous listeners join with a token alone.
 */
export async function signJoinToken(key: Buffer, room: Room, input: { role: RoomRole; name: string; ttlSeconds: number }): Promise<{ token: string; grant: JoinGrant }> {
  const tokenId = newId('rjt');
  const expiresAt = Math.floor(Date.now() / 1000) + input.ttlSeconds;
  const token = await new SignJWT({ tid: room.tenantId, role: input.role, name: input.name })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setSubject(room.id)
    .setJti(tokenId)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(key);
  return { token, grant: { roomId: room.id, tenantId: room.tenantId, role: input.role, name: input.name, tokenId, expiresAt: expiresAt * 1000 } };
}

const invalid = (why: string) => new CallsightError('invalid_join_token', `Join token rejected: ${why}`, { status: 401 });

/** The room a token names, read without verifying it (null if unreadable): enough to know which room's line a join waits in. */
export function joinTokenRoomId(token: string): string | null {
  let roomId: unknown;
  try {
    roomId = decodeJwt(token).sub;
  } catch {
    return null;
  }
  return typeof roomId === 'string' ? roomId : null;
}

export async function verifyJoinToken(rooms: RoomRepo, token: string): Promise<{ grant: JoinGrant; room: Room }> {
  const roomId = joinTokenRoomId(token);
  if (roomId === null) throw invalid('malformed or no room');
  const found = await rooms.withTokenKey(roomId);
  if (!found) throw invalid('unknown room');
  if (found.room.closedAt) throw new CallsightError('room_closed', 'The room is closed', { status: 409 });
  try {
    const { payload } = await jwtVerify(token, found.key, { issuer: ISSUER, subject: roomId, algorithms: ['HS256'] });
    const role = payload.role as RoomRole;
    if (!ROOM_ROLES.includes(role) || payload.tid !== found.room.tenantId || typeof payload.jti !== 'string') throw invalid('bad claims');
    return {
      room: found.room,
      grant: { roomId, tenantId: found.room.tenantId, role, name: String(payload.name ?? 'Guest'), tokenId: payload.jti, expiresAt: (payload.exp ?? 0) * 1000 },
    };
  } catch (err) {
    if (err instanceof CallsightError) throw err;
    throw invalid((err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'bad signature');
  }
}
