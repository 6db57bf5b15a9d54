import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConversationRecord, MemberRecord } from '../../src/rooms/conversations/conversation-repo.js';
import { mayReplay, recordingView, REPLAY_TTL_MS } from '../../src/rooms/conversations/conversation-replays.js';
import { mayPromote, moderates, roomRoleOf } from '../../src/rooms/conversations/conversation-roles.js';
import { conversationView } from '../../src/rooms/conversations/conversation-view.js';
import { RateWindow } from '../../src/rooms/conversations/hand-limiter.js';

const conv: ConversationRecord = { id: 'conv_1', tenantId: 't', roomId: 'room_1', topic: 'T', status: 'live', createdBy: 'usr_a', createdAt: 0, startedAt: 10_000, endedAt: null, recordingId: null, replayAccess: null, dialCode: null };
const member = (userId: string, role: MemberRecord['role'], more: Partial<MemberRecord> = {}): MemberRecord => ({ userId, name: userId.toUpperCase(), role, invite: null, banned: false, handRaisedAt: null, ...more });

describe('conversation roles', () => {
  test('hosts and co-hosts moderate; speakers bring people up but make no co-hosts; nobody promotes to host or listener', () => {
    assert.deepEqual((['host', 'cohost', 'speaker', 'listener'] as const).map(moderates), [true, true, false, false]);
    assert.equal(mayPromote('speaker', 'speaker'), true);
    assert.equal(mayPromote('speaker', 'cohost'), false);
    assert.equal(mayPromote('cohost', 'cohost'), true);
    assert.equal(mayPromote('listener', 'speaker'), false);
    assert.equal(mayPromote('host', 'host'), false);
    assert.equal(mayPromote('host', 'listener'), false);
    assert.deepEqual((['host', 'cohost', 'speaker', 'listener'] as const).map(roomRoleOf), ['host', 'host', 'speaker', 'listener']);
  });
});

describe('conversation view', () => {
  test('present stage first, hosts before speakers; plain listeners are a count; hands oldest first and only of listeners present; removed people hidden', () => {
    const members = [
      member('usr_s', 'speaker'),
      member('usr_a', 'host'),
      member('usr_l', 'listener'),
      member('usr_h2', 'listener', { handRaisedAt: 300 }),
      member('usr_h1', 'listener', { handRaisedAt: 200 }),
      member('usr_gone', 'listener', { handRaisedAt: 100 }),
      member('usr_x', 'listener', { banned: true, handRaisedAt: 50 }),
      member('usr_i', 'speaker', { invite: 'invited' }),
    ];
    const live = { speakers: [{ participantId: 'ptc_a', name: 'A', userId: 'usr_a' }], presentUserIds: new Set(['usr_a', 'usr_s', 'usr_l', 'usr_h1', 'usr_h2', 'usr_x']), listenerCount: 4 };
    const v = conversationView(conv, members, live, null, 75_400);
    assert.deepEqual(v.members.map((m) => [m.userId, m.present]), [['usr_a', true], ['usr_s', true], ['usr_h2', true], ['usr_h1', true], ['usr_i', false], ['usr_gone', false]]);
    assert.deepEqual(v.hands.map((h) => h.userId), ['usr_h1', 'usr_h2']);
    assert.equal(v.listenerCount, 4);
    assert.equal(v.durationSeconds, 65);
  });

  test('before going live and with nobody in the room: no stage, no duration', () => {
    const v = conversationView({ ...conv, status: 'inviting', startedAt: null }, [member('usr_a', 'host')], null, null, 99_000);
    assert.deepEqual([v.speakers, v.listenerCount, v.durationSeconds, v.members[0].present], [[], 0, 0, false]);
  });
});

describe('conversation replays', () => {
  const rec = (durationSeconds: number | null) => ({
    id: 'rrec_1',
    roomId: 'room_1',
    startedAt: 1_000,
    durationSeconds,
    dir: '/x',
    tracks: [
      { participantId: 'ptc_c', name: 'C', file: 'c.opus', startSeconds: 12.34 },
      { participantId: 'ptc_a', name: 'A', file: 'a.opus', startSeconds: 0 },
      { participantId: 'ptc_b', name: 'B', file: 'b.opus', startSeconds: 0.5 },
    ],
  });
  test('REC while it runs (no file to play); then the replay, its speakers in the order they were first heard, until it expires', () => {
    const c = { ...conv, recordingId: 'rrec_1', replayAccess: 'participants' as const };
    const running = recordingView(c, rec(null), 2_000);
    assert.deepEqual([running.state, running.url, running.access], ['recording', null, 'participants']);
    const ready = recordingView(c, rec(40), 2_000);
    assert.equal(ready.state, 'ready');
    assert.equal(ready.url, '/api/conversations/conv_1/replay');
    assert.deepEqual(ready.speakers, [{ name: 'A', atSeconds: 0 }, { name: 'B', atSeconds: 0.5 }, { name: 'C', atSeconds: 12.34 }]);
    assert.equal(recordingView(c, rec(40), 1_000 + REPLAY_TTL_MS).url, null, 'expired');
  });
  test('everyone may replay but removed people; participants-only means those who were in it, not those who never answered', () => {
    assert.equal(mayReplay('everyone', null), true);
    assert.equal(mayReplay('everyone', member('usr_x', 'listener', { banned: true })), false);
    assert.equal(mayReplay('participants', null), false);
    assert.equal(mayReplay('participants', member('usr_l', 'listener')), true);
    assert.equal(mayReplay('participants', member('usr_s', 'speaker', { invite: 'accepted' })), true);
    assert.equal(mayReplay('participants', member('usr_i', 'speaker', { invite: 'invited' })), false);
    assert.equal(mayReplay('participants', member('usr_d', 'speaker', { invite: 'declined' })), false);
  });
});

describe('rate window (hand raises)', () => {
  test('allows max per window, refuses the next without counting it, and frees up as the window slides', () => {
    const w = new RateWindow(3, 1000);
    assert.deepEqual([0, 100, 200].map((t) => w.take('k', t)), [true, true, true]);
    assert.equal(w.take('k', 300), false);
    assert.equal(w.retryAfter('k', 300), 700);
    assert.equal(w.take('other', 300), true, 'keys are apart');
    assert.equal(w.take('k', 999), false);
    assert.equal(w.take('k', 1000), true, 'the first hit left the window');
    assert.equal(w.retryAfter('k', 1000), 100);
  });
});
