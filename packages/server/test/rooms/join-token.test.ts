import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { CallsightError } from '../../src/core/errors.js';
import { signJoinToken, verifyJoinToken } from '../../src/rooms/join-token.js';
import { RoomRepo } from '../../src/rooms/room-repo.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const code = (c: string) => (e: unknown) => e instanceof CallsightError && e.code === c;

describe('room join tokens', () => {
  let s: TestServer;
  let repo: RoomRepo;
  before(async () => {
    s = await startTestServer({ config: { sipEnabled: false } });
    repo = new RoomRepo(s.ctx.store, s.ctx.secretBox);
  });
  after(() => s.destroy());

  test('a token verifies to its grant; expired, forged, other-room and closed-room tokens are refused', async () => {
    const tenant = (await s.ctx.tenants.list())[0];
    const room = await repo.create({ tenantId: tenant.id, name: 'r', kind: 'audio', audioCodec: 'opus', maxParticipants: 5, createdBy: null });
    const other = await repo.create({ tenantId: tenant.id, name: 'o', kind: 'audio', audioCodec: 'opus', maxParticipants: 5, createdBy: null });
    const { key } = (await repo.withTokenKey(room.id))!;
    const { token, grant } = await signJoinToken(key, room, { role: 'speaker', name: 'Sam', ttlSeconds: 60 });
    const ok = await verifyJoinToken(repo, token);
    assert.deepEqual(ok.grant, grant);

    const expired = await signJoinToken(key, room, { role: 'speaker', name: 'Sam', ttlSeconds: -5 });
    await assert.rejects(verifyJoinToken(repo, expired.token), (e: unknown) => code('invalid_join_token')(e) && /expired/.test((e as Error).message));
    // Signed with another room's key but claiming this room.
    const otherKey = (await repo.withTokenKey(other.id))!.key;
    const forged = await new SignJWT({ tid: tenant.id, role: 'host', name: 'Mallory' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('callsight-rooms').setSubject(room.id).setJti('x').setExpirationTime('1h').sign(otherKey);
    await assert.rejects(verifyJoinToken(repo, forged), code('invalid_join_token'));
    await assert.rejects(verifyJoinToken(repo, 'not-a-jwt'), code('invalid_join_token'));
    await repo.close(tenant.id, room.id);
    await assert.rejects(verifyJoinToken(repo, token), code('room_closed'));
  });
});
