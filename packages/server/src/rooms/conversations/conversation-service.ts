import { join as joinPath } from 'node:path';
import type { ConversationInfo, ConversationJoin, ConversationRecording, ConversationRole, InviteDelivery, ReplayAccess } from '@callsight/protocol';
import type { AppContext } from '../../app-context.js';
import type { Principal } from '../../auth/principal.js';
import type { EventMap } from '../../bus/event-map.js';
import { CallsightError, notFound, tooManyRequests } from '../../core/errors.js';
import type { WsHub } from '../../http/ws-hub.js';
import type { LiveRoom } from '../live-room.js';
import { signJoinToken } from '../join-token.js';
import type { RoomsCore } from '../rooms-core.js';
import type { ConversationRecord, ConversationRepo, MemberRecord } from './conversation-repo.js';
import type { RoomRecording } from '../room-recording-repo.js';
import { mayReplay, recordingView, REPLAY_TTL_MS } from './conversation-replays.js';
import { mayPromote, moderates, onStageRole, roomRoleOf } from './conversation-roles.js';
import { conversationView, type LiveStage } from './conversation-view.js';
import { RateWindow } from './hand-limiter.js';

/** A conversation's room: big enough for the audience one process forwards to. */
const ROOM_SIZE = 2000;
const TOKEN_TTL_S = 4 * 3600;
/** Info pushes to participants are coalesced: a filling audience sends a few updates, not one per join. */
const PUSH_DEBOUNCE_MS = 250;
/** Up to this many participants, every signed-in one is sent the info; above, those on stage, invited or with a hand up. */
const PUSH_ALL_UNDER = 200;
const DIAL_IN_TTL_MS = 30_000;

type ConversationEventType = Extract<keyof EventMap, `conversation.${string}`>;

const err = (code: ConstructorParameters<typeof CallsightError>[0], status: number, message: string) => new CallsightError(code, message, { status });

/**
 * Social audio conversations on rooms: one user starts with others (they ring in the app,
 * or get an SMS link), the room goes live on the first accept and is heard by anyone in
 * the tenant from the feed; listeners raise hands, hosts and speakers bring them up (a
 * role change in the live room: no reconnect), hosts moderate. The store keeps members,
 * roles, bans and blocks; the live stage is read from the room.
 */
export class ConversationService {
  /** Raised/lowered hands per user and conversation: 5 a minute. */
  private readonly hands = new RateWindow(5, 60_000);
  /** Invites per user: 30 a minute. */
  private readonly invites = new RateWindow(30, 60_000);
  private readonly pushTimers = new Map<string, NodeJS.Timeout>();
  private readonly dialIn = new Map<string, { number: string | null; at: number }>();
  /** roomId → conversationId of conversations whose room lives in this process */
  private readonly rooms = new Map<string, string>();
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly repo: ConversationRepo,
    private readonly core: RoomsCore,
    private readonly ws: WsHub,
    private readonly joinUrl: (conversationId: string) => string,
  ) {}

  async start(p: Principal, input: { topic: string; invite: string[] }): Promise<{ join: ConversationJoin; deliveries: Record<string, InviteDelivery> }> {
    const me = await this.user(p);
    const invitees = [...new Set(input.invite)].filter((id) => id !== me.id);
    if (invitees.length === 0) throw err('conversation_invalid_invite', 400, 'Invite at least one other person to start a conversation');
    const people = await this.checkInvitees(p.tenantId, me.id, invitees);
    const room = await this.core.repo.create({ tenantId: p.tenantId, name: input.topic, kind: 'audio', audioCodec: 'opus', maxParticipants: ROOM_SIZE, createdBy: me.id });
    const c = await this.repo.create({
      tenantId: p.tenantId,
      roomId: room.id,
      topic: input.topic,
      createdBy: me.id,
      members: [{ userId: me.id, name: me.name, role: 'host', invite: null }, ...people.map((u) => ({ userId: u.id, name: u.name, role: 'speaker' as const, invite: 'invited' as const }))],
    });
    this.rooms.set(room.id, c.id);
    const deliveries: Record<string, InviteDelivery> = {};
    for (const u of people) deliveries[u.id] = await this.ring(c, u, me.name, me.id);
    return { join: await this.joinAs(c, me.id, 'host'), deliveries };
  }

  /** Invites more people to a conversation that has not ended; anyone on stage may. */
  async invite(p: Principal, id: string, userIds: string[]): Promise<Record<string, InviteDelivery>> {
    const me = await this.user(p);
    const c = await this.open(p.tenantId, id);
    const mine = await this.repo.member(c.id, me.id);
    if (!mine || !onStageRole(mine.role) || mine.banned) throw err('conversation_not_allowed', 403, 'Only people speaking in the conversation can invite others');
    const people = await this.checkInvitees(p.tenantId, me.id, [...new Set(userIds)].filter((u) => u !== me.id));
    const deliveries: Record<string, InviteDelivery> = {};
    for (const u of people) {
      const existing = await this.repo.member(c.id, u.id);
      if (existing?.banned) throw err('conversation_banned', 403, `${u.name} was removed from this conversation`);
      await this.repo.upsertMember(p.tenantId, c.id, u.id, u.name, { role: existing && onStageRole(existing.role) ? existing.role : 'speaker', invite: 'invited' });
      deliveries[u.id] = await this.ring(c, u, me.name, me.id);
    }
    this.schedulePush(c.id);
    return deliveries;
  }

  /** An invitee says yes: the conversation is live, and they join it on stage. */
  async accept(p: Principal, id: string): Promise<ConversationJoin> {
    const me = await this.user(p);
    const c = await this.open(p.tenantId, id);
    const m = await this.repo.member(c.id, me.id);
    if (!m || m.invite === null) throw err('conversation_not_allowed', 403, 'You were not invited to speak in this conversation; listen from the feed');
    if (m.banned) throw err('conversation_banned', 403, 'You were removed from this conversation');
    await this.repo.upsertMember(p.tenantId, c.id, me.id, me.name, { invite: 'accepted' });
    if (await this.repo.setStatus(c.id, 'live', Date.now())) {
      await this.emit(c, 'conversation.started', { conversationId: c.id, roomId: c.roomId, topic: c.topic });
    } else {
      await this.emit(c, 'conversation.extended', { conversationId: c.id, userId: me.id, participantId: null, role: m.role });
    }
    const fresh = (await this.repo.get(c.tenantId, c.id))!;
    this.schedulePush(c.id);
    return this.joinAs(fresh, me.id, m.role);
  }

  async decline(p: Principal, id: string): Promise<void> {
    const me = await this.user(p);
    const c = await this.open(p.tenantId, id);
    const m = await this.repo.member(c.id, me.id);
    if (!m || m.invite !== 'invited') throw err('conversation_not_allowed', 403, 'There is no invite of yours to decline');
    await this.repo.upsertMember(p.tenantId, c.id, me.id, me.name, { invite: 'declined' });
    this.schedulePush(c.id);
  }

  /** Joins with the role one has (a listener for people from the feed); removed people cannot. */
  async join(p: Principal, id: string): Promise<ConversationJoin> {
    const me = await this.user(p);
    const c = await this.open(p.tenantId, id);
    const m = await this.repo.member(c.id, me.id);
    if (m?.banned) throw err('conversation_banned', 403, 'You were removed from this conversation and cannot rejoin it');
    // An invite not yet answered is heard first: the invitee comes on stage by accepting.
    const role: ConversationRole = m && m.invite !== 'invited' && m.invite !== 'declined' ? m.role : 'listener';
    if (!m) await this.repo.upsertMember(p.tenantId, c.id, me.id, me.name, { role: 'listener' });
    return this.joinAs(c, me.id, role);
  }

  async get(p: Principal, id: string): Promise<ConversationInfo> {
    const c = await this.repo.get(p.tenantId, id);
    if (!c) throw notFound('Conversation');
    return this.view(c);
  }

  /** Live (and inviting) conversations of the tenant, optionally by topic, busiest first. */
  async feed(p: Principal, opts: { topic?: string }): Promise<ConversationInfo[]> {
    const open = await this.repo.open(p.tenantId, opts);
    const views = await Promise.all(open.map((c) => this.view(c)));
    const me = p.userId;
    // People see the conversations they are invited to while they ring; everyone sees the live ones.
    return views
      .filter((v) => v.status === 'live' || v.members.some((m) => m.userId === me))
      .sort((a, b) => b.listenerCount + b.speakers.length - (a.listenerCount + a.speakers.length));
  }

  async raiseHand(p: Principal, id: string, raised: boolean): Promise<ConversationInfo> {
    const me = await this.user(p);
    const c = await this.open(p.tenantId, id);
    const m = await this.repo.member(c.id, me.id);
    const live = this.core.registry.get(c.roomId);
    if (!m || m.banned || !live?.findByUser(me.id)) throw err('conversation_not_present', 409, 'Join the conversation to raise your hand');
    if (onStageRole(m.role)) throw err('conversation_already_on_stage', 409, 'You are already speaking');
    const key = `${c.id}:${me.id}`;
    if (!this.hands.take(key)) throw tooManyRequests(`Too many hand raises: try again in ${Math.ceil(this.hands.retryAfter(key) / 1000)} s`);
    if ((m.handRaisedAt !== null) !== raised) {
      await this.repo.upsertMember(c.tenantId, c.id, me.id, me.name, { handRaisedAt: raised ? Date.now() : null });
      await this.emit(c, 'conversation.hand_raised', { conversationId: c.id, userId: me.id, raised });
    }
    return this.pushNow(c);
  }

  /** Brings a participant on stage (or makes a speaker co-host); a signalling change in the live room. */
  async promote(p: Principal, id: string, participantId: string, to: 'speaker' | 'cohost'): Promise<ConversationInfo> {
    const { c, actor, live } = await this.acting(p, id);
    if (!mayPromote(actor.role, to)) throw err('conversation_not_allowed', 403, to === 'cohost' ? 'Only a host can make co-hosts' : 'Only hosts and speakers can bring people up to speak');
    const target = this.present(live, participantId);
    if (target.userId) {
      const m = await this.repo.member(c.id, target.userId);
      if (m && (m.role === 'host' || (m.role === 'cohost' && to === 'speaker'))) throw err('conversation_already_on_stage', 409, `${target.name} already hosts`);
      await this.repo.upsertMember(c.tenantId, c.id, target.userId, target.name, { role: to, handRaisedAt: null });
    }
    live.setRole(participantId, roomRoleOf(to));
    await this.emit(c, 'conversation.promoted', { conversationId: c.id, userId: target.userId, participantId, role: to, by: actor.userId });
    await this.emit(c, 'conversation.extended', { conversationId: c.id, userId: target.userId, participantId, role: to });
    return this.pushNow(c);
  }

  /** Back to the audience: oneself (stepping down), or someone else by a host. The last host cannot. */
  async demote(p: Principal, id: string, participantId: string): Promise<ConversationInfo> {
    const { c, actor, live } = await this.acting(p, id);
    const target = this.present(live, participantId);
    const self = target.userId === actor.userId;
    if (!self && !moderates(actor.role)) throw err('conversation_not_allowed', 403, 'Only a host can move others off stage');
    if (target.userId) {
      const m = await this.repo.member(c.id, target.userId);
      if (m?.role === 'host') throw err('conversation_not_allowed', 403, 'Hand over hosting before stepping down');
      await this.repo.upsertMember(c.tenantId, c.id, target.userId, target.name, { role: 'listener', handRaisedAt: null });
    }
    live.setRole(participantId, 'listener');
    return this.pushNow(c);
  }

  /** The host hands over: the target hosts, the previous host stays on as co-host. */
  async handOver(p: Principal, id: string, participantId: string): Promise<ConversationInfo> {
    const { c, actor, live } = await this.acting(p, id);
    if (actor.role !== 'host') throw err('conversation_not_allowed', 403, 'Only the host can hand over hosting');
    const target = this.present(live, participantId);
    if (!target.userId) throw err('conversation_not_allowed', 403, 'Only a signed-in person can host');
    await this.repo.upsertMember(c.tenantId, c.id, target.userId, target.name, { role: 'host', handRaisedAt: null, invite: 'accepted' });
    await this.repo.upsertMember(c.tenantId, c.id, actor.userId, actor.name, { role: 'cohost' });
    live.setRole(participantId, 'host');
    await this.emit(c, 'conversation.promoted', { conversationId: c.id, userId: target.userId, participantId, role: 'host', by: actor.userId });
    return this.pushNow(c);
  }

  async mute(p: Principal, id: string, participantId: string, muted: boolean): Promise<ConversationInfo> {
    const { c, actor, live } = await this.acting(p, id);
    const target = this.present(live, participantId);
    if (target.userId !== actor.userId && !moderates(actor.role)) throw err('conversation_not_allowed', 403, 'Only a host can mute others');
    live.setMuted('api', participantId, muted);
    return this.pushNow(c);
  }

  /** Removes someone: they leave now and cannot rejoin this conversation. */
  async remove(p: Principal, id: string, participantId: string): Promise<ConversationInfo> {
    const { c, actor, live } = await this.acting(p, id);
    if (!moderates(actor.role)) throw err('conversation_not_allowed', 403, 'Only a host can remove people');
    const target = this.present(live, participantId);
    if (target.userId === actor.userId) throw err('conversation_not_allowed', 403, 'Leave instead of removing yourself');
    if (target.userId) {
      const m = await this.repo.member(c.id, target.userId);
      if (m?.role === 'host') throw err('conversation_not_allowed', 403, 'The host cannot be removed');
      await this.repo.upsertMember(c.tenantId, c.id, target.userId, target.name, { banned: true, handRaisedAt: null, role: 'listener' });
      this.ws.sendToUser(c.tenantId, target.userId, { kind: 'conversation.removed', conversationId: c.id, blocked: true });
    }
    live.kick('api', participantId);
    await this.emit(c, 'conversation.removed', { conversationId: c.id, participantId, userId: target.userId, blocked: true, by: actor.userId });
    return this.pushNow(c);
  }

  /** A host or co-host records the conversation (once): everyone in it sees REC from now on. */
  async startRecording(p: Principal, id: string, access: ReplayAccess): Promise<ConversationInfo> {
    const { c, actor } = await this.acting(p, id);
    if (!moderates(actor.role)) throw err('conversation_not_allowed', 403, 'Only a host can record the conversation');
    if (c.recordingId) throw err('conversation_already_recorded', 409, 'This conversation is already recorded');
    const room = await this.core.repo.get(c.tenantId, c.roomId);
    if (!room) throw notFound('Conversation');
    const rec = await this.core.recordings.start(room, { TITLE: c.topic, ARTIST: actor.name });
    if (!(await this.repo.setRecording(c.id, rec.id, access))) {
      await this.core.recordings.stop(c.roomId); // another host started one at the same moment
      throw err('conversation_already_recorded', 409, 'This conversation is already recorded');
    }
    await this.emit(c, 'conversation.recording_started', { conversationId: c.id, recordingId: rec.id });
    return this.pushNow(c);
  }

  /** A host stops the recording before the end; it becomes the replay. */
  async stopRecording(p: Principal, id: string): Promise<ConversationInfo> {
    const { c, actor } = await this.acting(p, id);
    if (!moderates(actor.role)) throw err('conversation_not_allowed', 403, 'Only a host can stop the recording');
    if (!c.recordingId || this.core.recordings.runningIn(c.roomId) !== c.recordingId) throw err('conversation_not_recording', 409, 'This conversation is not being recorded');
    await this.core.recordings.stop(c.roomId);
    return this.pushNow(c);
  }

  /** A finished room recording that is a conversation's: its replay is available. */
  async onRecordingFinished(rec: RoomRecording): Promise<void> {
    const c = await this.repo.byRoom(rec.roomId);
    if (!c || c.recordingId !== rec.id) return;
    await this.emit(c, 'conversation.recording_available', { conversationId: c.id, recordingId: rec.id, durationSeconds: rec.durationSeconds ?? 0 });
    if (c.status !== 'ended') await this.pushNow(c);
  }

  /** Ended conversations one may replay, newest first, with who spoke and how long it is. */
  async replays(p: Principal): Promise<ConversationInfo[]> {
    const me = await this.user(p);
    const recorded = await this.repo.recorded(p.tenantId, Date.now() - REPLAY_TTL_MS);
    const out: ConversationInfo[] = [];
    for (const c of recorded) {
      if (!mayReplay(c.replayAccess ?? 'everyone', await this.repo.member(c.id, me.id))) continue;
      const v = await this.view(c);
      if (v.recording?.url) out.push(v);
    }
    return out;
  }

  /** The replay's file, for one who may hear it. */
  async replayFile(p: Principal, id: string): Promise<string> {
    const me = await this.user(p);
    const c = await this.repo.get(p.tenantId, id);
    if (!c) throw notFound('Conversation');
    const rec = c.recordingId ? await this.core.recordings.repo.byId(c.recordingId) : null;
    if (!rec) throw notFound('Replay');
    if (!mayReplay(c.replayAccess ?? 'everyone', await this.repo.member(c.id, me.id))) throw err('conversation_replay_private', 403, 'Only the people who were in this conversation can replay it');
    if (rec.durationSeconds === null) throw err('conversation_replay_not_ready', 409, 'The conversation is still being recorded');
    if (Date.now() >= rec.startedAt + REPLAY_TTL_MS) throw err('conversation_replay_expired', 410, 'This replay has expired');
    return joinPath(rec.dir, 'mixed.opus');
  }

  async report(p: Principal, id: string, participantId: string, reason: string): Promise<{ reportId: string }> {
    const me = await this.user(p);
    const c = await this.repo.get(p.tenantId, id);
    if (!c) throw notFound('Conversation');
    const live = this.core.registry.get(c.roomId);
    const target = live?.list().items.find((x) => x.id === participantId);
    if (!target) throw err('conversation_not_present', 409, 'That person is not in the conversation now');
    const reportId = await this.repo.report({ tenantId: c.tenantId, conversationId: c.id, reporterId: me.id, participantId, targetUserId: target.userId, reason });
    // Staff see it on their event stream; the reported person is not told.
    await this.ctx.bus.publish({ tenantId: c.tenantId, type: 'conversation.reported', data: { conversationId: c.id, reportId, participantId, by: me.id } });
    return { reportId };
  }

  /** `blocked`: the user takes no conversation invites from `userId`. */
  async block(p: Principal, userId: string, blocked: boolean): Promise<void> {
    const me = await this.user(p);
    const other = await this.ctx.users.get(p.tenantId, userId);
    if (!other || other.id === me.id) throw err('conversation_unknown_user', 404, 'No such person to block');
    await this.repo.block(p.tenantId, me.id, other.id, blocked);
  }

  /** People one may invite: the tenant's active users but oneself, with whether their app is open. */
  async people(p: Principal): Promise<{ id: string; name: string; online: boolean }[]> {
    const users = await this.ctx.users.list(p.tenantId);
    return users
      .filter((u) => !u.disabled && u.id !== p.userId)
      .map((u) => ({ id: u.id, name: u.name, online: this.ws.sendToUser(p.tenantId, u.id, { kind: 'pong' }) > 0 }));
  }

  /** A room event of this process: the audience changed (push the info), or the room emptied (the conversation ends). */
  async onRoomEvent(roomId: string): Promise<void> {
    if (this.stopped) return;
    let id = this.rooms.get(roomId);
    if (!id) {
      const c = await this.repo.byRoom(roomId);
      if (!c || c.status === 'ended') return;
      this.rooms.set(roomId, (id = c.id));
    }
    const live = this.core.registry.get(roomId);
    if (live && live.size > 0) return this.schedulePush(id);
    const c = await this.repo.byRoom(roomId);
    if (!c || c.status !== 'live') return;
    const now = Date.now();
    if (await this.repo.setStatus(c.id, 'ended', now)) {
      this.rooms.delete(roomId);
      await this.core.repo.close(c.tenantId, roomId);
      await this.emit(c, 'conversation.ended', { conversationId: c.id, durationSeconds: Math.round((now - (c.startedAt ?? now)) / 1000) });
      // The recording ends with it (if the closing room has not already finished it): it becomes the replay.
      await this.core.recordings.stop(roomId);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.pushTimers.values()) clearTimeout(t);
    this.pushTimers.clear();
  }

  // --- internals ---

  private async user(p: Principal) {
    if (!p.userId) throw err('conversation_not_allowed', 403, 'Conversations are between signed-in people; API keys cannot take part');
    const u = await this.ctx.users.get(p.tenantId, p.userId);
    if (!u) throw notFound('User');
    return u;
  }

  private async open(tenantId: string, id: string): Promise<ConversationRecord> {
    const c = await this.repo.get(tenantId, id);
    if (!c) throw notFound('Conversation');
    if (c.status === 'ended') throw err('conversation_ended', 409, 'The conversation has ended');
    return c;
  }

  /** Every invitee exists in the tenant and does not block the inviter; checked before anything changes. */
  private async checkInvitees(tenantId: string, inviterId: string, ids: string[]) {
    if (!this.invites.take(inviterId)) throw tooManyRequests('Too many invites: wait a minute');
    const people = [];
    for (const id of ids) {
      const u = /^usr_[0-9a-z]{26}$/.test(id) ? await this.ctx.users.get(tenantId, id) : undefined;
      if (!u || u.disabled) throw err('conversation_unknown_user', 404, `No person ${id} in your organisation`);
      if (await this.repo.isBlocked(tenantId, u.id, inviterId)) throw err('conversation_blocked', 403, `${u.name} does not take invites from you`);
      people.push(u);
    }
    return people;
  }

  /** Rings the invitee's open apps; an SMS link when none is open and they have a number. */
  private async ring(c: ConversationRecord, u: { id: string; name: string; phoneNumber: string | null }, fromName: string, by: string): Promise<InviteDelivery> {
    const conversation = await this.view(c);
    let delivery: InviteDelivery = this.ws.sendToUser(c.tenantId, u.id, { kind: 'conversation.ring', conversation, from: fromName }) > 0 ? 'ring' : 'none';
    const sms = this.ctx.services.maybe('sms');
    if (delivery === 'none' && u.phoneNumber && sms) {
      try {
        await sms.send(c.tenantId, { to: u.phoneNumber, text: `${fromName} invites you to a conversation: “${c.topic}”. Join: ${this.joinUrl(c.id)}` });
        delivery = 'sms';
      } catch (e) {
        this.ctx.log.warn({ err: e, conversationId: c.id }, 'conversation invite SMS not sent');
      }
    }
    await this.ctx.bus.publish({ tenantId: c.tenantId, type: 'conversation.invited', userIds: [u.id], data: { conversationId: c.id, topic: c.topic, userId: u.id, by, delivery } });
    return delivery;
  }

  private async joinAs(c: ConversationRecord, userId: string, role: ConversationRole): Promise<ConversationJoin> {
    const found = await this.core.repo.withTokenKey(c.roomId);
    if (!found || found.room.closedAt) throw err('conversation_ended', 409, 'The conversation has ended');
    const u = await this.ctx.users.get(c.tenantId, userId);
    const roomRole = roomRoleOf(role);
    const { token } = await signJoinToken(found.key, found.room, { role: roomRole, name: u?.name ?? 'Guest', ttlSeconds: TOKEN_TTL_S });
    this.rooms.set(c.roomId, c.id);
    return { conversation: await this.view(c), token, roomRole };
  }

  /** The actor (a member present, not removed) and the live room of an open conversation. */
  private async acting(p: Principal, id: string): Promise<{ c: ConversationRecord; actor: MemberRecord; live: LiveRoom }> {
    const me = await this.user(p);
    const c = await this.open(p.tenantId, id);
    const actor = await this.repo.member(c.id, me.id);
    const live = this.core.registry.get(c.roomId);
    if (!actor || actor.banned) throw err('conversation_not_allowed', 403, 'You are not in this conversation');
    if (!live) throw err('conversation_not_present', 409, 'Nobody is in the conversation now');
    return { c, actor, live };
  }

  private present(live: LiveRoom, participantId: string) {
    const target = live.list().items.find((x) => x.id === participantId);
    if (!target) throw err('conversation_not_present', 409, 'That person is not in the conversation now');
    return target;
  }

  private async view(c: ConversationRecord): Promise<ConversationInfo> {
    return conversationView(c, await this.repo.members(c.id), this.stageOf(c.roomId), await this.recordingOf(c), Date.now(), await this.dialInNumber(c.tenantId));
  }

  /** The tenant's dial-in number, read at most every DIAL_IN_TTL_MS: every info push shows it. */
  private async dialInNumber(tenantId: string): Promise<string | null> {
    const cached = this.dialIn.get(tenantId);
    if (cached && cached.at > Date.now() - DIAL_IN_TTL_MS) return cached.number;
    const number = await this.repo.dialInNumber(tenantId);
    this.dialIn.set(tenantId, { number, at: Date.now() });
    return number;
  }

  private async recordingOf(c: ConversationRecord): Promise<ConversationRecording | null> {
    const rec = c.recordingId ? await this.core.recordings.repo.byId(c.recordingId) : null;
    return rec ? recordingView(c, rec) : null;
  }

  private stageOf(roomId: string): LiveStage | null {
    const live = this.core.registry.get(roomId);
    if (!live) return null;
    const presentUserIds = new Set<string>();
    for (const x of live.list().items) if (x.userId) presentUserIds.add(x.userId);
    return {
      speakers: live.stageList().map((x) => ({ participantId: x.id, name: x.name, userId: x.userId })),
      presentUserIds,
      listenerCount: live.audienceSize,
    };
  }

  private schedulePush(id: string): void {
    if (this.pushTimers.has(id) || this.stopped) return;
    const t = setTimeout(() => {
      this.pushTimers.delete(id);
      void (async () => {
        const c = await this.repo.byId(id);
        if (c) await this.pushNow(c);
      })().catch((e: unknown) => this.ctx.log.warn({ err: e }, 'conversation info push failed'));
    }, PUSH_DEBOUNCE_MS);
    t.unref();
    this.pushTimers.set(id, t);
  }

  /** The info, now, to every signed-in participant present; returned for the caller's reply. */
  private async pushNow(c: ConversationRecord): Promise<ConversationInfo> {
    const fresh = (await this.repo.byId(c.id)) ?? c;
    const conversation = await this.view(fresh);
    const live = this.core.registry.get(c.roomId);
    if (live) {
      // Everyone while the audience is small; in a big room the audience follows the room's own count pushes.
      const to = live.size <= PUSH_ALL_UNDER ? live.list().items.map((x) => x.userId) : conversation.members.filter((m) => m.present).map((m) => m.userId);
      const sent = new Set<string>();
      for (const userId of to) {
        const x = { userId };
        if (!x.userId || sent.has(x.userId)) continue;
        sent.add(x.userId);
        this.ws.sendToUser(c.tenantId, x.userId, { kind: 'conversation.updated', conversation });
      }
    }
    return conversation;
  }

  private emit<T extends ConversationEventType>(c: ConversationRecord, type: T, data: EventMap[T]) {
    return this.ctx.bus.publish<T>({ tenantId: c.tenantId, type, data });
  }
}
