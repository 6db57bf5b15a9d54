import type { RtpPacket } from 'werift';
import type { AppContext } from '../app-context.js';
import type { EventMap } from '../bus/event-map.js';
import { CallsightError, conflict, forbidden, notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { ActiveSpeakerDetector } from './active-speaker.js';
import type { JoinGrant } from './join-token.js';
import { RoomPeer, type MediaKind } from './room-peer.js';
import type { Room } from './room-repo.js';
import { canModerate, canPublish, type RoomRole } from './room-roles.js';
import { STAGE_SLOTS, StageSlots } from './stage-slots.js';
import type { ExternalAudioParticipant, ExternalAudioOptions } from './external-audio.js';

/** A participant as clients and the API see it. */
export interface ParticipantInfo {
  id: string;
  name: string;
  role: RoomRole;
  userId: string | null;
  /** Kinds being published (empty for listeners and speakers who have not published). */
  publishing: MediaKind[];
  /**
   * A listener's send path is negotiated but not heard (a raised hand, or a speaker moved
   * back to the audience): everyone may subscribe to it now, so being brought up is heard
   * without anyone connecting then.
   */
  held: boolean;
  muted: boolean;
  /** A SIP caller or other non-WebRTC participant added by the calls layer. */
  external: boolean;
  /** The call carrying an external participant's audio; null for WebRTC participants. */
  callId: string | null;
  joinedAt: number;
}

export type LeaveReason = 'left' | 'kicked' | 'disconnected' | 'closed';

interface Participant {
  info: ParticipantInfo;
  /** Join order in this room: the REST list's page cursor, stable while others leave. */
  seq: number;
  tokenId: string | null;
  /** Pushes an already JSON-encoded message to the participant's socket. */
  send(text: string): void;
  publisher: RoomPeer | null;
  /**
   * Whether the publisher's negotiated video is its camera (on) or an idle send path (off):
   * the camera is switched on the open peer, so nobody renegotiates for it.
   */
  camera: boolean;
  /** publisherId → the peer carrying that publisher's media to this participant */
  subscriptions: Map<string, RoomPeer>;
  /** One peer carrying whoever is heard on stage, slot by slot (`subscribeStage`). */
  stagePeer: RoomPeer | null;
  /** External participants take media as raw RTP instead of a peer. */
  externalSink?: (fromParticipantId: string, packet: RtpPacket) => void;
  /** Tells an external participant's owner (the call) that it is out of the room. */
  onLeave?: (reason: LeaveReason) => void;
}

type RoomEventType = Extract<keyof EventMap, `room.${string}`>;

const SPEAKER_TICK_MS = 300;
/** The audience is pushed at most this often: a filling room sends a few counts, not one per join. */
const LISTENER_COUNT_PUSH_MS = 500;
/**
 * Listeners a non-host sees by name (the first to arrive, as a Spaces/Clubhouse audience
 * row shows a few faces and "+ N"); the rest are a count. Hosts see everyone.
 */
export const LISTENER_SAMPLE = 20;

/** Hosts, speakers and SIP callers are on stage; everyone sees them individually. */
const onStage = (info: ParticipantInfo): boolean => info.role !== 'listener';

/**
 * The live side of one room in this process: participants, their publish and
 * subscribe peers, and RTP forwarding from each publisher to its subscribers. The
 * room's record and tokens live in the store; media state cannot leave the process
 * that terminates it, so a room is served by one process.
 */
export interface RoomAudioTap {
  onPacket(participantId: string, name: string, packet: RtpPacket): void;
  /** The room closed (emptied, or closed by a host): the tap is removed. */
  onClose(): void;
}

export class LiveRoom {
  private readonly participants = new Map<string, Participant>();
  /** Stage participants and hosts, kept apart so a listener's join never walks the audience. */
  private readonly stage = new Set<Participant>();
  private readonly hosts = new Set<Participant>();
  /** SIP callers and other raw-RTP participants: each packet goes to them without walking the audience. */
  private readonly externals = new Set<Participant>();
  /** Who hears every published audio packet without being a participant (a room recording). */
  private readonly audioTaps = new Set<RoomAudioTap>();
  private listenerCount = 0;
  private joinSeq = 0;
  /** Participants with a stage subscription: every stage voice's audio goes to each on its slot. */
  private readonly stageEars = new Set<Participant>();
  private readonly slots = new StageSlots(STAGE_SLOTS, (holders) => this.pushSlots(holders));
  /** publisherId → subscriber peers, the forwarding fan-out walked per packet */
  private readonly fanOut = new Map<string, Set<RoomPeer>>();
  private readonly kickedTokens = new Set<string>();
  private readonly speakers = new ActiveSpeakerDetector();
  private activeSpeaker: string | null = null;
  private speaking: string[] = [];
  private readonly speakerTimer: NodeJS.Timeout;
  private listenerPushTimer: NodeJS.Timeout | undefined;
  private pushedListenerCount = 0;
  private pushedSample = '';
  private closed = false;

  constructor(
    readonly room: Room,
    private readonly ctx: AppContext,
    private readonly onEmpty: (room: LiveRoom) => void,
  ) {
    this.speakerTimer = setInterval(() => this.onSpeakerTick(), SPEAKER_TICK_MS);
    this.speakerTimer.unref();
  }

  has(participantId: string): boolean {
    return this.participants.has(participantId);
  }

  get size(): number {
    return this.participants.size;
  }

  /** Everyone, in join order; `limit` pages it, `after` is the previous page's cursor. */
  list(page: { after?: number; limit?: number } = {}): { items: ParticipantInfo[]; nextCursor: string | null } {
    const after = page.after ?? 0;
    const limit = page.limit ?? Infinity;
    const items: ParticipantInfo[] = [];
    let last = 0;
    for (const p of this.participants.values()) {
      if (p.seq <= after) continue;
      if (items.length === limit) return { items, nextCursor: String(last) };
      items.push(copy(p.info));
      last = p.seq;
    }
    return { items, nextCursor: null };
  }

  get currentActiveSpeaker(): string | null {
    return this.activeSpeaker;
  }

  /**
   * The full state a participant gets once, on joining; deltas follow. Stage participants
   * are listed individually; the audience is a count plus the first LISTENER_SAMPLE
   * listeners, except for hosts, who moderate the audience and get all of it.
   */
  snapshotFor(viewerId: string) {
    const viewer = this.require(viewerId);
    const cap = this.hosts.has(viewer) ? Infinity : LISTENER_SAMPLE;
    const participants = [...[...this.stage].map((p) => copy(p.info)), ...this.listenerSample(cap, viewer)];
    if (!onStage(viewer.info)) participants.push(copy(viewer.info));
    return { roomId: this.room.id, participants, listenerCount: this.listenerCount, activeSpeaker: this.activeSpeaker, speaking: this.speaking };
  }

  join(grant: JoinGrant, opts: { userId: string | null; send: (text: string) => void }): ParticipantInfo {
    this.assertOpen();
    if (this.kickedTokens.has(grant.tokenId)) throw forbidden('This join token was used by a participant who was removed from the room');
    if (this.participants.size >= this.room.maxParticipants) throw conflict('room_full', `The room is full (${this.room.maxParticipants} participants)`);
    const info: ParticipantInfo = {
      id: newId('ptc'),
      name: grant.name,
      role: grant.role,
      userId: opts.userId,
      publishing: [],
      held: false,
      muted: false,
      external: false,
      callId: null,
      joinedAt: Date.now(),
    };
    const p: Participant = { info, seq: 0, tokenId: grant.tokenId, send: opts.send, publisher: null, camera: false, subscriptions: new Map(), stagePeer: null };
    this.add(p);
    this.publish('room.joined', { roomId: this.room.id, participantId: info.id, name: info.name, role: info.role, userId: info.userId }, info.userId);
    return info;
  }

  /**
   * Answers a participant's sendonly offer; a listener is refused with `publish_not_allowed`,
   * unless `held`: then its send path is negotiated ahead (a raised hand) but nothing it
   * sends is forwarded or advertised until `setRole` brings it on stage — promotion is
   * then a signalling change, not a reconnect.
   */
  async publishMedia(participantId: string, offerSdp: string, opts: { held?: boolean; camera?: boolean } = {}): Promise<string> {
    const p = this.require(participantId);
    if (!canPublish(p.info.role) && !opts.held) {
      throw new CallsightError('publish_not_allowed', `A ${p.info.role} cannot publish in this room; ask the host for a speaker token`, { status: 403 });
    }
    if (/^m=video /m.test(offerSdp) && this.room.kind === 'audio') {
      throw new CallsightError('video_not_allowed', 'This is an audio-only room', { status: 400 });
    }
    const { peer, answerSdp } = await RoomPeer.answer(offerSdp, { direction: 'publish', audioCodec: this.room.audioCodec, video: this.room.kind === 'video' });
    if (!this.participants.has(participantId)) {
      peer.close();
      throw notFound('Participant');
    }
    this.unpublish(p); // a re-publish (e.g. camera added) replaces the previous peer
    p.publisher = peer;
    p.camera = opts.camera ?? true;
    p.info.publishing = canPublish(p.info.role) ? sending(p) : [];
    p.info.held = !canPublish(p.info.role);
    peer.on('rtp', (kind, packet, level) => this.onPublisherRtp(p, kind, packet, level));
    peer.on('closed', () => {
      if (p.publisher === peer) this.unpublish(p);
    });
    this.publish('room.published', { roomId: this.room.id, participantId, kinds: peer.kinds }, p.info.userId);
    // A held path is told to everyone, not only hosts: each ear subscribes to it ahead of a promotion.
    if (p.info.held) this.broadcast({ kind: 'room.participant.updated', roomId: this.room.id, participant: copy(p.info) });
    else this.pushUpdated(p);
    return answerSdp;
  }

  /** Answers a subscriber's recvonly offer for one publisher's media. */
  async subscribe(subscriberId: string, publisherId: string, offerSdp: string): Promise<string> {
    const sub = this.require(subscriberId);
    const pub = this.require(publisherId);
    if (subscriberId === publisherId) throw new CallsightError('invalid_subscription', 'A participant does not subscribe to itself', { status: 400 });
    // Everything the publisher negotiated, camera off or not: switching it on then needs no new subscription.
    const kinds = pub.publisher && (pub.info.publishing.length || pub.info.held) ? pub.publisher.kinds : pub.info.publishing;
    if (kinds.length === 0) throw conflict('not_publishing', `${pub.info.name} is not publishing`);
    const { peer, answerSdp } = await RoomPeer.answer(offerSdp, {
      direction: 'subscribe',
      audioCodec: this.room.audioCodec,
      video: this.room.kind === 'video',
      allowedKinds: [...kinds],
    });
    if (!this.participants.has(subscriberId) || !this.participants.has(publisherId)) {
      peer.close();
      throw notFound('Participant');
    }
    sub.subscriptions.get(publisherId)?.close();
    sub.subscriptions.set(publisherId, peer);
    let set = this.fanOut.get(publisherId);
    if (!set) this.fanOut.set(publisherId, (set = new Set()));
    set.add(peer);
    const fanOut = set;
    peer.on('connected', () => pub.publisher?.requestKeyframe());
    peer.on('keyframeRequest', () => pub.publisher?.requestKeyframe());
    peer.on('closed', () => {
      fanOut.delete(peer);
      if (sub.subscriptions.get(publisherId) === peer) {
        sub.subscriptions.delete(publisherId);
        sendTo(sub, { kind: 'room.subscription_ended', roomId: this.room.id, participantId: subscriberId, publisherId });
      }
    });
    return answerSdp;
  }

  /**
   * Answers a subscriber's recvonly offer of audio m-lines (up to STAGE_SLOTS): the one
   * connection that carries everyone heard on stage. Whoever is brought up is heard on it
   * from their next packet, and a raised hand costs the audience nothing.
   */
  async subscribeStage(subscriberId: string, offerSdp: string): Promise<{ sdp: string; slots: (string | null)[] }> {
    const sub = this.require(subscriberId);
    const { peer, answerSdp } = await RoomPeer.answer(offerSdp, { direction: 'stage', audioCodec: this.room.audioCodec, video: false, maxSlots: STAGE_SLOTS });
    if (!this.participants.has(subscriberId)) {
      peer.close();
      throw notFound('Participant');
    }
    sub.stagePeer?.close();
    sub.stagePeer = peer;
    this.stageEars.add(sub);
    peer.on('closed', () => {
      if (sub.stagePeer !== peer) return;
      sub.stagePeer = null;
      this.stageEars.delete(sub);
      sendTo(sub, { kind: 'room.subscription_ended', roomId: this.room.id, participantId: subscriberId, publisherId: 'stage' });
    });
    return { sdp: answerSdp, slots: this.slots.current };
  }

  unsubscribe(subscriberId: string, publisherId: string): void {
    if (publisherId === 'stage') return this.require(subscriberId).stagePeer?.close();
    this.require(subscriberId).subscriptions.get(publisherId)?.close();
  }

  /** Server-side mute: the participant's audio stops being forwarded. Self, or a host for anyone. */
  setMuted(actorId: string | 'api', targetId: string, muted: boolean): ParticipantInfo {
    const target = this.require(targetId);
    if (actorId !== 'api' && actorId !== targetId && !canModerate(this.require(actorId).info.role)) throw forbidden('Only a host can mute others');
    if (target.info.muted !== muted) {
      target.info.muted = muted;
      if (muted) this.speakers.remove(targetId);
      sendTo(target, { kind: 'room.muted', roomId: this.room.id, participantId: targetId, muted, by: actorId });
      this.publish('room.muted', { roomId: this.room.id, participantId: targetId, muted, by: actorId }, target.info.userId);
      this.pushUpdated(target);
    }
    return { ...target.info };
  }

  /**
   * Changes a participant's role live (a listener brought on stage, a speaker stepping down,
   * a host handing over). A held send path starts being forwarded on promotion and stops on
   * demotion; everyone is told once, so subscribers follow without the participant reconnecting.
   */
  setRole(targetId: string, role: RoomRole): ParticipantInfo {
    const target = this.require(targetId);
    if (target.info.role === role) return copy(target.info);
    const wasListener = !onStage(target.info);
    this.stage.delete(target);
    this.hosts.delete(target);
    if (wasListener) this.listenerCount--;
    target.info.role = role;
    if (onStage(target.info)) this.stage.add(target);
    if (role === 'host') this.hosts.add(target);
    if (!onStage(target.info)) this.listenerCount++;
    const publishing = canPublish(role) ? sending(target) : [];
    // A WebRTC send path off stage stays held with its subscribers: nothing is forwarded, and
    // bringing it up (again) is heard at once.
    const held = !publishing.length && target.publisher !== null;
    if (!publishing.length) {
      if (!held) {
        for (const sub of [...(this.fanOut.get(targetId) ?? [])]) sub.close();
        this.fanOut.delete(targetId);
      }
      this.speakers.remove(targetId);
      this.slots.release(targetId);
    }
    target.info.publishing = publishing;
    target.info.held = held;
    this.broadcast({ kind: 'room.participant.updated', roomId: this.room.id, participant: copy(target.info) });
    if (wasListener !== !onStage(target.info)) this.scheduleListenerCount();
    return copy(target.info);
  }

  /**
   * Switches a publisher's camera on its open send path (the client replaced the track): video
   * is forwarded, and shown on its tile, only while on. Subscribers keep their connections.
   */
  setCamera(participantId: string, on: boolean): ParticipantInfo {
    const p = this.require(participantId);
    if (!p.publisher?.kinds.includes('video')) throw conflict('not_publishing', `${p.info.name} has no video send path; publish with video first`);
    if (p.camera !== on) {
      p.camera = on;
      if (canPublish(p.info.role)) p.info.publishing = sending(p);
      if (on) askKeyframes(p);
      this.pushUpdated(p);
    }
    return copy(p.info);
  }

  /** The participant of a signed-in user, if present (the newest, should they be in twice). */
  findByUser(userId: string): ParticipantInfo | null {
    let found: ParticipantInfo | null = null;
    for (const p of this.participants.values()) if (p.info.userId === userId) found = p.info;
    return found ? copy(found) : null;
  }

  /** Who is on stage now, in join order. */
  stageList(): ParticipantInfo[] {
    return [...this.stage].map((p) => copy(p.info));
  }

  get audienceSize(): number {
    return this.listenerCount;
  }

  /** Removes a participant; their token cannot rejoin this room. Hosts only (or the API). */
  kick(actorId: string | 'api', targetId: string): void {
    const target = this.require(targetId);
    if (actorId !== 'api' && !canModerate(this.require(actorId).info.role)) throw forbidden('Only a host can remove participants');
    if (target.tokenId) this.kickedTokens.add(target.tokenId);
    sendTo(target, { kind: 'room.kicked', roomId: this.room.id, participantId: targetId, by: actorId });
    this.publish('room.kicked', { roomId: this.room.id, participantId: targetId, by: actorId }, target.info.userId);
    this.leave(targetId, 'kicked');
  }

  leave(participantId: string, reason: LeaveReason): void {
    const p = this.participants.get(participantId);
    if (!p) return;
    this.remove(p);
    this.unpublish(p);
    for (const peer of p.subscriptions.values()) peer.close();
    p.stagePeer?.close();
    this.speakers.remove(participantId);
    this.slots.release(participantId);
    this.publish('room.left', { roomId: this.room.id, participantId, reason }, p.info.userId);
    p.onLeave?.(reason);
    if (!this.closed) this.pushDelta(p, { kind: 'room.participant.left', roomId: this.room.id, participantId, reason });
    if (this.participants.size === 0 && !this.closed) this.close('closed');
  }

  /**
   * Adds a participant whose audio is raw RTP in the room's codec (a SIP caller bridged by
   * the calls layer). It hears every publisher's packets through `onRtp` and speaks with
   * `sendRtp`; subscribers receive it like any publisher. A listener is never published:
   * what it sends is dropped, as a browser listener's publish is refused.
   */
  addExternalAudioParticipant(opts: ExternalAudioOptions): ExternalAudioParticipant {
    this.assertOpen();
    if (this.participants.size >= this.room.maxParticipants) throw conflict('room_full', `The room is full (${this.room.maxParticipants} participants)`);
    const role = opts.role ?? 'speaker';
    const speaks = canPublish(role);
    const info: ParticipantInfo = {
      id: newId('ptc'),
      name: opts.name,
      role,
      userId: null,
      publishing: speaks ? ['audio'] : [],
      held: false,
      muted: false,
      external: true,
      callId: opts.callId ?? null,
      joinedAt: Date.now(),
    };
    const p: Participant = { info, seq: 0, tokenId: null, send: () => undefined, publisher: null, camera: false, subscriptions: new Map(), stagePeer: null, externalSink: opts.onRtp, onLeave: opts.onLeave };
    this.add(p);
    this.publish('room.joined', { roomId: this.room.id, participantId: info.id, name: info.name, role, userId: null, ...(info.callId ? { callId: info.callId } : {}) }, null);
    if (speaks) this.publish('room.published', { roomId: this.room.id, participantId: info.id, kinds: ['audio'] }, null);
    return {
      participantId: info.id,
      audioCodec: this.room.audioCodec,
      sendRtp: (packet, audioLevel) => {
        // A listener's audio is dropped there until it is brought on stage (setRole).
        if (this.participants.has(info.id)) this.onPublisherRtp(p, 'audio', packet, audioLevel);
      },
      leave: () => this.leave(info.id, 'left'),
    };
  }

  close(reason: LeaveReason = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    const closedText = JSON.stringify({ kind: 'room.closed', roomId: this.room.id });
    for (const id of [...this.participants.keys()]) {
      this.participants.get(id)?.send(closedText);
      this.leave(id, reason);
    }
    clearInterval(this.speakerTimer);
    clearTimeout(this.listenerPushTimer);
    for (const tap of [...this.audioTaps]) tap.onClose();
    this.audioTaps.clear();
    this.onEmpty(this);
  }

  /** A message for everyone in the room, encoded once (the shared layout). */
  announce(message: { kind: string; roomId: string } & Record<string, unknown>): void {
    if (!this.closed) this.broadcast(message);
  }

  /** Hands every audio packet a participant publishes (not muted) to `tap` until the returned stop or the room's end. */
  addAudioTap(tap: RoomAudioTap): () => void {
    this.assertOpen();
    this.audioTaps.add(tap);
    return () => this.audioTaps.delete(tap);
  }

  private onPublisherRtp(p: Participant, kind: MediaKind, packet: RtpPacket, level: number | undefined): void {
    if (!canPublish(p.info.role)) return; // a held send path: negotiated, not yet heard
    if (kind === 'video' && !p.camera) return; // camera off: nothing of it leaves, whatever the client sends
    if (kind === 'audio') {
      if (p.info.muted) return;
      if (level !== undefined) this.speakers.addLevel(p.info.id, level);
    }
    const subscribers = this.fanOut.get(p.info.id);
    if (subscribers) for (const peer of subscribers) peer.forward(kind, packet);
    if (kind === 'audio') {
      const slot = this.slots.slotFor(p.info.id, level, performance.now());
      if (slot !== null) {
        const source = this.slots.sourceOf(slot);
        for (const ear of this.stageEars) if (ear !== p) ear.stagePeer!.forwardSlot(slot, source, packet);
      }
      for (const other of this.externals) if (other !== p) other.externalSink!(p.info.id, packet);
      for (const tap of this.audioTaps) tap.onPacket(p.info.id, p.info.name, packet);
    }
  }

  private unpublish(p: Participant): void {
    const peer = p.publisher;
    if (!peer) return;
    p.publisher = null;
    p.info.publishing = [];
    p.info.held = false;
    peer.close();
    this.slots.release(p.info.id);
    // Subscribers of this publisher lose their media; their peers end with it.
    for (const sub of [...(this.fanOut.get(p.info.id) ?? [])]) sub.close();
    this.fanOut.delete(p.info.id);
    if (this.participants.has(p.info.id)) this.pushUpdated(p);
  }

  /** Which voice each stage slot carries, to those with a stage subscription (to tell voices apart, e.g. a level per speaker). */
  private pushSlots(holders: readonly (string | null)[]): void {
    if (this.closed || this.stageEars.size === 0) return;
    const text = JSON.stringify({ kind: 'room.stage_slots', roomId: this.room.id, slots: holders });
    for (const ear of this.stageEars) ear.send(text);
  }

  private onSpeakerTick(): void {
    const u = this.speakers.tick();
    if (!u.activeChanged && !u.speakingChanged) return;
    this.activeSpeaker = u.activeSpeaker;
    this.speaking = u.speaking;
    this.broadcast({ kind: 'room.speakers', roomId: this.room.id, activeSpeaker: u.activeSpeaker, speaking: u.speaking });
    if (u.activeChanged) this.publish('room.active_speaker', { roomId: this.room.id, participantId: u.activeSpeaker }, null);
  }

  private add(p: Participant): void {
    p.seq = ++this.joinSeq;
    this.participants.set(p.info.id, p);
    if (onStage(p.info)) this.stage.add(p);
    if (p.info.role === 'host') this.hosts.add(p);
    if (p.externalSink) this.externals.add(p);
    if (!onStage(p.info)) this.listenerCount++;
    this.pushDelta(p, { kind: 'room.participant.joined', roomId: this.room.id, participant: copy(p.info) });
  }

  private remove(p: Participant): void {
    this.participants.delete(p.info.id);
    this.stage.delete(p);
    this.hosts.delete(p);
    this.externals.delete(p);
    if (!onStage(p.info)) this.listenerCount--;
  }

  private pushUpdated(p: Participant): void {
    this.pushDelta(p, { kind: 'room.participant.updated', roomId: this.room.id, participant: copy(p.info) });
  }

  /**
   * A change about one participant, encoded once. A stage participant's change goes to
   * everyone; a listener's only to hosts (others follow the audience as a count), so a
   * room filling with N listeners costs O(N) messages, not O(N²). The subject is not told
   * of its own arrival (its join reply carries the state).
   */
  private pushDelta(subject: Participant, message: { kind: string; roomId: string } & Record<string, unknown>): void {
    const text = JSON.stringify(message);
    const to = onStage(subject.info) ? this.participants.values() : this.hosts.values();
    for (const p of to) if (p !== subject || message.kind === 'room.participant.updated') p.send(text);
    if (!onStage(subject.info)) this.scheduleListenerCount();
  }

  /** The audience size, to everyone, at most once per LISTENER_COUNT_PUSH_MS and only when it changed. */
  private scheduleListenerCount(): void {
    if (this.listenerPushTimer || this.closed) return;
    this.listenerPushTimer = setTimeout(() => {
      this.listenerPushTimer = undefined;
      // The sample changes only when one of its first listeners leaves (or the room is small): resent then only.
      const sample = this.listenerSample(LISTENER_SAMPLE);
      const sampleKey = sample.map((p) => p.id).join();
      const sampleChanged = sampleKey !== this.pushedSample;
      if (this.listenerCount === this.pushedListenerCount && !sampleChanged) return;
      this.pushedListenerCount = this.listenerCount;
      this.pushedSample = sampleKey;
      this.broadcast({ kind: 'room.listeners', roomId: this.room.id, count: this.listenerCount, ...(sampleChanged ? { sample } : {}) });
    }, LISTENER_COUNT_PUSH_MS);
    this.listenerPushTimer.unref();
  }

  /** The first `cap` listeners to arrive (but `except`), walking no further than needed. */
  private listenerSample(cap: number, except?: Participant): ParticipantInfo[] {
    const sample: ParticipantInfo[] = [];
    for (const p of this.participants.values()) {
      if (sample.length >= cap) break;
      if (!onStage(p.info) && p !== except) sample.push(copy(p.info));
    }
    return sample;
  }

  /** One JSON encoding for the whole room, whatever its size. */
  private broadcast(message: object): void {
    const text = JSON.stringify(message);
    for (const p of this.participants.values()) p.send(text);
  }

  /** Bus events are fire-and-forget here: media handling never waits on the store or NATS. */
  private publish<T extends RoomEventType>(type: T, data: EventMap[T], userId: string | null): void {
    this.ctx.bus
      .publish<T>({ tenantId: this.room.tenantId, type, data, userIds: userId ? [userId] : undefined })
      .catch((err: unknown) => this.ctx.log.warn({ err, type }, 'room event not published'));
  }

  private require(participantId: string): Participant {
    const p = this.participants.get(participantId);
    if (!p) throw notFound('Participant');
    return p;
  }

  private assertOpen(): void {
    if (this.closed) throw new CallsightError('room_closed', 'The room is closed', { status: 409 });
  }
}

/**
 * Asks a camera just switched on for a keyframe, and again shortly: the switch may arrive
 * before the camera's first packet (no SSRC to ask yet), or its first keyframe may have come
 * while the camera still counted as off and been dropped, and subscribers then see nothing
 * until the encoder's next keyframe.
 */
function askKeyframes(p: Participant): void {
  const publisher = p.publisher;
  publisher?.requestKeyframe();
  for (const ms of [300, 1000, 2500]) {
    setTimeout(() => {
      if (p.publisher === publisher && p.camera) publisher?.requestKeyframe();
    }, ms).unref();
  }
}

/** What a participant's media sends when heard: its negotiated kinds, video only with the camera on. */
function sending(p: Participant): MediaKind[] {
  if (p.externalSink) return ['audio'];
  return (p.publisher?.kinds ?? []).filter((k) => k !== 'video' || p.camera);
}

const copy = (info: ParticipantInfo): ParticipantInfo => ({ ...info, publishing: [...info.publishing] });
const sendTo = (p: Participant, message: object): void => p.send(JSON.stringify(message));
