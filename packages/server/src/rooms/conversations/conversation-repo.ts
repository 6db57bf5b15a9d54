import { randomInt } from 'node:crypto';
import type { ConversationRole, ConversationStatus, ReplayAccess } from '@callsight/protocol';
import { newId } from '../../core/ids.js';
import type { Store } from '../../store/store.js';
import type { ConversationMembersTable, ConversationsTable } from './conversation-tables.js';
import './conversation-tables.js';

export interface ConversationRecord {
  id: string;
  tenantId: string;
  roomId: string;
  topic: string;
  status: ConversationStatus;
  createdBy: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  recordingId: string | null;
  replayAccess: ReplayAccess | null;
  dialCode: string | null;
}

export interface MemberRecord {
  userId: string;
  name: string;
  role: ConversationRole;
  invite: ConversationMembersTable['invite'];
  banned: boolean;
  handRaisedAt: number | null;
}

const toConversation = (r: ConversationsTable): ConversationRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  roomId: r.room_id,
  topic: r.topic,
  status: r.status,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  startedAt: r.started_at == null ? null : Number(r.started_at),
  endedAt: r.ended_at == null ? null : Number(r.ended_at),
  recordingId: r.recording_id ?? null,
  replayAccess: r.replay_access ?? null,
  dialCode: r.dial_code ?? null,
});
const toMember = (r: ConversationMembersTable): MemberRecord => ({
  userId: r.user_id,
  name: r.name,
  role: r.role,
  invite: r.invite,
  banned: Number(r.banned) === 1,
  handRaisedAt: r.hand_raised_at == null ? null : Number(r.hand_raised_at),
});

/** Conversations, their members, user blocks and reports (SQLite or Postgres). */
export class ConversationRepo {
  constructor(private readonly store: Store) {}

  async create(input: { tenantId: string; roomId: string; topic: string; createdBy: string; members: { userId: string; name: string; role: ConversationRole; invite: MemberRecord['invite'] }[] }): Promise<ConversationRecord> {
    const now = Date.now();
    const row: ConversationsTable = {
      id: newId('conv'),
      tenant_id: input.tenantId,
      room_id: input.roomId,
      topic: input.topic,
      status: 'inviting',
      created_by: input.createdBy,
      created_at: now,
      started_at: null,
      ended_at: null,
      recording_id: null,
      replay_access: null,
      dial_code: await this.freeDialCode(input.tenantId),
    };
    await this.store.db.transaction().execute(async (trx) => {
      await trx.insertInto('conversations').values(row).execute();
      await trx
        .insertInto('conversation_members')
        .values(input.members.map((m) => ({ conversation_id: row.id, tenant_id: input.tenantId, user_id: m.userId, name: m.name, role: m.role, invite: m.invite, banned: 0, hand_raised_at: null, updated_at: now })))
        .execute();
    });
    return toConversation(row);
  }

  /** The conversation not yet ended that a phone caller's keyed code names. */
  async byDialCode(tenantId: string, code: string): Promise<ConversationRecord | null> {
    const r = await this.store.db.selectFrom('conversations').selectAll().where('tenant_id', '=', tenantId).where('dial_code', '=', code).where('status', '!=', 'ended').executeTakeFirst();
    return r ? toConversation(r) : null;
  }

  /** The organisation's number whose flow is the `conversation` verb (the first, by number), if any. */
  async dialInNumber(tenantId: string): Promise<string | null> {
    const rows = await this.store.db
      .selectFrom('numbers')
      .innerJoin('flows', 'flows.id', 'numbers.flow_id')
      .select(['numbers.number', 'flows.verbs'])
      .where('numbers.tenant_id', '=', tenantId)
      .orderBy('numbers.number')
      .execute();
    return rows.find((r) => (JSON.parse(r.verbs) as { verb: string }[]).some((v) => v.verb === 'conversation'))?.number ?? null;
  }

  /** Six digits no open conversation of the tenant has; ended ones' codes may come back. */
  private async freeDialCode(tenantId: string): Promise<string> {
    for (;;) {
      const code = String(randomInt(1_000_000)).padStart(6, '0');
      if (!(await this.byDialCode(tenantId, code))) return code;
    }
  }

  async get(tenantId: string, id: string): Promise<ConversationRecord | null> {
    const r = await this.store.db.selectFrom('conversations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return r ? toConversation(r) : null;
  }

  async byId(id: string): Promise<ConversationRecord | null> {
    const r = await this.store.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toConversation(r) : null;
  }

  async byRoom(roomId: string): Promise<ConversationRecord | null> {
    const r = await this.store.db.selectFrom('conversations').selectAll().where('room_id', '=', roomId).executeTakeFirst();
    return r ? toConversation(r) : null;
  }

  /** Not ended, newest first; `topic` matches case-insensitively anywhere in it. */
  async open(tenantId: string, opts: { topic?: string } = {}): Promise<ConversationRecord[]> {
    let q = this.store.db.selectFrom('conversations').selectAll().where('tenant_id', '=', tenantId).where('status', '!=', 'ended');
    if (opts.topic) q = q.where((eb) => eb(eb.fn('lower', ['topic']), 'like', `%${opts.topic!.toLowerCase().replace(/[%_\\]/g, (c) => '\\' + c)}%`));
    return (await q.orderBy('id', 'desc').limit(100).execute()).map(toConversation);
  }

  /** Records the conversation's recording once: false when it already has one. */
  async setRecording(id: string, recordingId: string, access: ReplayAccess): Promise<boolean> {
    const r = await this.store.db.updateTable('conversations').set({ recording_id: recordingId, replay_access: access }).where('id', '=', id).where('recording_id', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Ended conversations with a recording, newest first (the replays of the feed). */
  async recorded(tenantId: string, since: number): Promise<ConversationRecord[]> {
    const rows = await this.store.db
      .selectFrom('conversations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'ended')
      .where('recording_id', 'is not', null)
      .where('started_at', '>=', since)
      .orderBy('id', 'desc')
      .limit(50)
      .execute();
    return rows.map(toConversation);
  }

  async setStatus(id: string, status: ConversationStatus, at: number): Promise<boolean> {
    const set = status === 'live' ? { status, started_at: at } : status === 'ended' ? { status, ended_at: at } : { status };
    const r = await this.store.db.updateTable('conversations').set(set).where('id', '=', id).where('status', '!=', status).where('status', '!=', 'ended').executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async members(conversationId: string): Promise<MemberRecord[]> {
    return (await this.store.db.selectFrom('conversation_members').selectAll().where('conversation_id', '=', conversationId).orderBy('updated_at').execute()).map(toMember);
  }

  async member(conversationId: string, userId: string): Promise<MemberRecord | null> {
    const r = await this.store.db.selectFrom('conversation_members').selectAll().where('conversation_id', '=', conversationId).where('user_id', '=', userId).executeTakeFirst();
    return r ? toMember(r) : null;
  }

  /** Adds the member or changes the given fields of an existing one. */
  async upsertMember(tenantId: string, conversationId: string, userId: string, name: string, change: Partial<Pick<MemberRecord, 'role' | 'invite' | 'banned' | 'handRaisedAt'>>): Promise<void> {
    const now = Date.now();
    const set: Partial<ConversationMembersTable> = { updated_at: now };
    if (change.role !== undefined) set.role = change.role;
    if (change.invite !== undefined) set.invite = change.invite;
    if (change.banned !== undefined) set.banned = change.banned ? 1 : 0;
    if (change.handRaisedAt !== undefined) set.hand_raised_at = change.handRaisedAt;
    const existing = await this.member(conversationId, userId);
    if (existing) {
      await this.store.db.updateTable('conversation_members').set(set).where('conversation_id', '=', conversationId).where('user_id', '=', userId).execute();
      return;
    }
    await this.store.db
      .insertInto('conversation_members')
      .values({ conversation_id: conversationId, tenant_id: tenantId, user_id: userId, name, role: change.role ?? 'listener', invite: change.invite ?? null, banned: change.banned ? 1 : 0, hand_raised_at: change.handRaisedAt ?? null, updated_at: now })
      .execute();
  }

  async isBlocked(tenantId: string, blockerId: string, blockedId: string): Promise<boolean> {
    const r = await this.store.db.selectFrom('user_blocks').select('blocker_id').where('tenant_id', '=', tenantId).where('blocker_id', '=', blockerId).where('blocked_id', '=', blockedId).executeTakeFirst();
    return !!r;
  }

  async block(tenantId: string, blockerId: string, blockedId: string, blocked: boolean): Promise<void> {
    const q = this.store.db.deleteFrom('user_blocks').where('tenant_id', '=', tenantId).where('blocker_id', '=', blockerId).where('blocked_id', '=', blockedId);
    await q.execute();
    if (blocked) await this.store.db.insertInto('user_blocks').values({ tenant_id: tenantId, blocker_id: blockerId, blocked_id: blockedId, created_at: Date.now() }).execute();
  }

  async report(input: { tenantId: string; conversationId: string; reporterId: string; participantId: string; targetUserId: string | null; reason: string }): Promise<string> {
    const id = newId('crep');
    await this.store.db
      .insertInto('conversation_reports')
      .values({ id, tenant_id: input.tenantId, conversation_id: input.conversationId, reporter_id: input.reporterId, participant_id: input.participantId, target_user_id: input.targetUserId, reason: input.reason, created_at: Date.now() })
      .execute();
    return id;
  }
}
