import { EventStream, type WebSocketConstructor } from '../event-stream.js';
import { ROOM_STAGE_SLOTS, type MessageOf, type RoomInfo, type RoomLayout, type RoomLayoutMode, type RoomMediaKind, type RoomParticipant, type RoomRole, type RoomSpatialPosition, type ServerMessage } from '@callsight/protocol';
import { Emitter } from './emitter.js';
import { completeOffer, connected, defaultPeerFactory, type PeerFactory } from './peer.js';
import type { SignalChannel } from './signal-channel.js';

export interface RoomEvents extends Record<string, unknown[]> {
  /**
   * The participant list changed (join, leave, publish, mute). It holds everyone on stage,
   * you, and, unless you are a host, only a sample of the audience: see `listenerCount`.
   */
  participants: [participants: RoomParticipant[]];
  /** The audience size changed (pushed at most twice a second). */
  listeners: [listenerCount: number];
  /** Loudest speaker (null after a silence) and everyone currently speaking. */
  speakers: [activeSpeaker: string | null, speaking: string[]];
  /**
   * Media of a participant you subscribed to; attach it to an <audio>/<video>. With
   * `stage`, one per audio slot instead, ids `stage:0`…: each carries whoever `stageSlots` says.
   */
  track: [participantId: string, stream: MediaStream];
  /** A subscription ended (the publisher left or stopped). */
  trackEnded: [participantId: string];
  /** Your role changed live (brought on stage, stepped down, handed hosting). */
  role: [role: RoomRole];
  /** You were muted or unmuted (by yourself or a host). */
  muted: [muted: boolean, by: string];
  /** You are out: removed by a host, the room closed, or the connection's room ended. */
  left: [reason: 'kicked' | 'closed' | 'left'];
  /** The shared layout of a video room changed (a host's `setLayout`); lay tiles out and place voices by it. */
  layout: [layout: RoomLayout];
  error: [error: Error];
}

export interface RoomOptions {
  /** Subscribe to every publisher automatically (default true). */
  autoSubscribe?: boolean;
  /**
   * Audio rooms: hear the whole stage on one connection made on joining (`room.subscribe_stage`),
   * instead of one per speaker. Whoever is brought up is then heard on it at once, and a
   * raised hand costs the audience no connection. Video rooms subscribe per publisher whatever this says.
   */
  stage?: boolean;
  /** For tests and other runtimes; defaults to the browser's RTCPeerConnection. */
  peerFactory?: PeerFactory;
}

/** Opens room signalling without an account (anonymous listeners holding a join link). */
export function guestStream(baseUrl: string, WebSocketCtor: WebSocketConstructor = globalThis.WebSocket as unknown as WebSocketConstructor): EventStream {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/api/rooms/ws`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return new EventStream({ connect: () => new WebSocketCtor(url.toString()) });
}

/**
 * A seat in a callsight room (SFU). Publishing sends your microphone (and camera in
 * video rooms) once to the server, which forwards it to each subscriber; subscribing
 * receives one participant's media. Every peer is offered by the browser.
 *
 *   const room = new Room(client.realtime());   // or guestStream(location.origin)
 *   room.on('track', (id, stream) => attach(id, stream));
 *   await room.join(token);
 *   await room.publish(await navigator.mediaDevices.getUserMedia({ audio: true }));
 */
export class Room extends Emitter<RoomEvents> {
  participantId: string | null = null;
  role: RoomRole | null = null;
  info: RoomInfo | null = null;
  participants: RoomParticipant[] = [];
  /** Listeners in the room, all of them (the `participants` list names only some to non-hosts). */
  listenerCount = 0;
  activeSpeaker: string | null = null;
  speaking: string[] = [];
  muted = false;
  /** The shared layout of a video room (null in audio rooms). */
  layout: RoomLayout | null = null;
  /** With `stage`: the participant each `stage:N` track carries now (null: silent slot). */
  stageSlots: (string | null)[] = [];

  private publisher: RTCPeerConnection | null = null;
  private publishedStream: MediaStream | null = null;
  private readonly subscriptions = new Map<string, RTCPeerConnection>();
  private readonly pendingSubscriptions = new Set<string>();
  private readonly peerFactory: PeerFactory;
  private readonly autoSubscribe: boolean;
  private readonly stageMode: boolean;
  private stagePeer: RTCPeerConnection | null = null;
  private offMessages: (() => void) | null = null;

  constructor(
    private readonly channel: SignalChannel,
    opts: RoomOptions = {},
  ) {
    super();
    this.peerFactory = opts.peerFactory ?? defaultPeerFactory;
    this.autoSubscribe = opts.autoSubscribe ?? true;
    this.stageMode = opts.stage ?? false;
  }

  /** Whether the stage comes on one connection (`stage` in an audio room). */
  private get onStageConnection(): boolean {
    return this.stageMode && this.info?.kind === 'audio';
  }

  get me(): RoomParticipant | undefined {
    return this.participants.find((p) => p.id === this.participantId);
  }

  /** Joins with a token; `name` is what to be called in the room (a guest's choice), else the token's name. */
  async join(token: string, opts: { name?: string } = {}): Promise<{ participantId: string; role: RoomRole; room: RoomInfo }> {
    this.offMessages ??= this.channel.on('message', (m) => this.onMessage(m));
    const r = (await this.channel.request('room.join', { token, ...(opts.name ? { name: opts.name } : {}) })) as MessageOf<'room.joined'>;
    this.participantId = r.participantId;
    this.role = r.role;
    this.info = r.room;
    this.activeSpeaker = r.activeSpeaker;
    this.speaking = r.speaking ?? [];
    this.layout = r.layout ?? null;
    this.setListenerCount(r.listenerCount ?? r.participants.filter((p) => p.role === 'listener').length);
    this.applyState(r.participants);
    if (this.onStageConnection && this.autoSubscribe) await this.subscribeStage();
    return { participantId: r.participantId, role: r.role, room: r.room };
  }

  /**
   * Publishes the stream's tracks (replacing an earlier publication). Listeners get
   * `publish_not_allowed` unless `held`: then the send path is negotiated now and heard
   * once a host brings you on stage — no reconnect when that happens. In a video room a
   * stream without a camera still gets a video send path, which `setCamera` fills later.
   */
  async publish(stream: MediaStream, opts: { held?: boolean } = {}): Promise<void> {
    const participantId = this.requireJoined();
    const pc = this.peerFactory({ iceServers: [] });
    for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    const camera = stream.getVideoTracks().length > 0;
    if (this.info?.kind === 'video' && !camera) pc.addTransceiver('video', { direction: 'sendonly', streams: [stream] });
    try {
      const r = (await this.channel.request('room.publish', {
        participantId,
        sdp: await completeOffer(pc),
        ...(opts.held ? { held: true } : {}),
        ...(this.info?.kind === 'video' ? { camera } : {}),
      })) as MessageOf<'room.publish.answer'>;
      await pc.setRemoteDescription({ type: 'answer', sdp: r.sdp });
      await connected(pc);
    } catch (err) {
      pc.close();
      throw err;
    }
    this.publisher?.close();
    this.publisher = pc;
    this.publishedStream = stream;
    for (const t of stream.getAudioTracks()) t.enabled = !this.muted;
  }

  /**
   * Your camera on (a video track) or off (null) in a video room. The track is swapped on
   * the open send path, so nobody — you or anyone receiving you — reconnects for it.
   */
  async setCamera(track: MediaStreamTrack | null): Promise<void> {
    const participantId = this.requireJoined();
    const sender = this.publisher?.getTransceivers().find((t) => t.receiver.track.kind === 'video')?.sender;
    if (!sender || !this.publishedStream) throw new Error('Publish in a video room first');
    const stream = this.publishedStream;
    // Off: the server stops forwarding before the track goes; on: the track is there before
    // the server forwards (it asks for a keyframe then), so no tile shows a frozen or half frame.
    if (!track) await this.channel.request('room.camera', { participantId, on: false });
    await sender.replaceTrack(track);
    for (const t of stream.getVideoTracks()) stream.removeTrack(t);
    if (track) {
      stream.addTrack(track);
      await this.channel.request('room.camera', { participantId, on: true });
    }
  }

  /** A listener's send path, negotiated ahead (e.g. on raising a hand), so promotion is heard at once. */
  prepareToSpeak(stream: MediaStream): Promise<void> {
    return this.publish(stream, { held: this.role === 'listener' });
  }

  /** Receives one participant's media; resolves with its stream (also emitted as 'track'). */
  async subscribe(publisherId: string): Promise<MediaStream> {
    const participantId = this.requireJoined();
    const publisher = this.participants.find((p) => p.id === publisherId);
    // In a video room video is always asked for: a camera switched on later then arrives on this connection.
    const kinds: RoomMediaKind[] = this.info?.kind === 'video' ? ['audio', 'video'] : publisher?.publishing.length ? publisher.publishing : ['audio'];
    this.subscriptions.get(publisherId)?.close();
    const pc = this.peerFactory({ iceServers: [] });
    for (const kind of kinds) pc.addTransceiver(kind, { direction: 'recvonly' });
    const stream = new MediaStream();
    pc.addEventListener('track', (ev) => stream.addTrack(ev.track));
    this.subscriptions.set(publisherId, pc);
    try {
      const r = (await this.channel.request('room.subscribe', { participantId, publisherId, sdp: await completeOffer(pc) })) as MessageOf<'room.subscribe.answer'>;
      await pc.setRemoteDescription({ type: 'answer', sdp: r.sdp });
      await connected(pc);
    } catch (err) {
      pc.close();
      if (this.subscriptions.get(publisherId) === pc) this.subscriptions.delete(publisherId);
      throw err;
    }
    this.emit('track', publisherId, stream);
    return stream;
  }

  /** Receives everyone heard on stage on one connection; each slot's stream is emitted as 'track' `stage:N`. */
  async subscribeStage(): Promise<void> {
    const participantId = this.requireJoined();
    this.dropSubscription('stage');
    const pc = this.peerFactory({ iceServers: [] });
    for (let i = 0; i < ROOM_STAGE_SLOTS; i++) pc.addTransceiver('audio', { direction: 'recvonly' });
    const streams: MediaStream[] = [];
    pc.addEventListener('track', (ev) => {
      const stream = new MediaStream([ev.track]);
      streams[pc.getTransceivers().indexOf(ev.transceiver)] = stream;
    });
    this.stagePeer = pc;
    try {
      const r = (await this.channel.request('room.subscribe_stage', { participantId, sdp: await completeOffer(pc) })) as MessageOf<'room.subscribe_stage.answer'>;
      this.stageSlots = r.slots;
      await pc.setRemoteDescription({ type: 'answer', sdp: r.sdp });
      await connected(pc);
    } catch (err) {
      pc.close();
      if (this.stagePeer === pc) this.stagePeer = null;
      throw err;
    }
    streams.forEach((stream, i) => stream && this.emit('track', `stage:${i}`, stream));
  }

  async unsubscribe(publisherId: string): Promise<void> {
    const participantId = this.requireJoined();
    this.dropSubscription(publisherId);
    await this.channel.request('room.unsubscribe', { participantId, publisherId });
  }

  /** Mutes yourself: the microphone track is disabled and the server stops forwarding you. */
  async setMuted(muted: boolean): Promise<void> {
    const participantId = this.requireJoined();
    for (const t of this.publishedStream?.getAudioTracks() ?? []) t.enabled = !muted;
    this.muted = muted;
    await this.channel.request('room.mute', { participantId, targetId: participantId, muted });
  }

  /** Host: mute or unmute someone else on the server. */
  async mute(targetId: string, muted = true): Promise<void> {
    await this.channel.request('room.mute', { participantId: this.requireJoined(), targetId, muted });
  }

  /** Host: remove someone; their token cannot rejoin. */
  async kick(targetId: string): Promise<void> {
    await this.channel.request('room.kick', { participantId: this.requireJoined(), targetId });
  }

  /**
   * Host: the layout everyone sees, and so where everyone hears each voice. `featured` is
   * the enlarged participant; `positions` (azimuth/elevation in degrees, distance in
   * metres) place voices yourself, replacing the tile positions for those participants.
   * Non-hosts get `layout_not_allowed`, unknown ids `unknown_participant`; nothing changes then.
   */
  async setLayout(layout: { mode: RoomLayoutMode; featured?: string | null; positions?: Record<string, RoomSpatialPosition> }): Promise<RoomLayout> {
    const r = (await this.channel.request('room.layout', { participantId: this.requireJoined(), ...layout })) as MessageOf<'room.layout.done'>;
    this.applyLayout(r.layout);
    return r.layout;
  }

  /** Host: sets voice positions for everyone, keeping the current layout. */
  setPositions(positions: Record<string, RoomSpatialPosition>): Promise<RoomLayout> {
    const current = this.layout ?? { mode: 'grid' as const, featured: null };
    return this.setLayout({ mode: current.mode, featured: current.featured, positions });
  }

  async leave(): Promise<void> {
    const participantId = this.participantId;
    this.teardown();
    if (participantId) await this.channel.request('room.leave', { participantId }).catch(() => undefined);
    this.emit('left', 'left');
  }

  private onMessage(m: ServerMessage): void {
    // One socket may carry several rooms: act only on this room's messages.
    if (!this.participantId || !this.info || !('roomId' in m) || m.roomId !== this.info.id) return;
    const msg = m;
    switch (msg.kind) {
      // The full state came with the join reply; from then on the server sends changes.
      case 'room.participant.joined':
      case 'room.participant.updated': {
        const p = msg.participant;
        if (p.id === this.participantId && p.role !== this.role) {
          this.role = p.role; // brought on stage or stepped down: the held send path is heard (or not) from now
          this.emit('role', p.role);
        }
        const i = this.participants.findIndex((x) => x.id === p.id);
        this.applyState(i < 0 ? [...this.participants, p] : this.participants.map((x, j) => (j === i ? p : x)));
        break;
      }
      case 'room.participant.left':
        if (this.participants.some((x) => x.id === msg.participantId)) this.applyState(this.participants.filter((x) => x.id !== msg.participantId));
        break;
      case 'room.listeners':
        // Non-hosts are not told of each listener: the server resends the named few when they change.
        if (msg.sample && this.role !== 'host') {
          const me = this.participants.filter((p) => p.id === this.participantId && p.role === 'listener');
          const sample = msg.sample.filter((p) => p.id !== this.participantId);
          this.applyState([...this.participants.filter((p) => p.role !== 'listener'), ...sample, ...me]);
        }
        this.setListenerCount(msg.count);
        break;
      case 'room.speakers':
        this.activeSpeaker = msg.activeSpeaker;
        this.speaking = msg.speaking;
        this.emit('speakers', msg.activeSpeaker, msg.speaking);
        break;
      case 'room.muted':
        if (msg.participantId !== this.participantId) break;
        this.muted = msg.muted;
        for (const t of this.publishedStream?.getAudioTracks() ?? []) t.enabled = !msg.muted;
        this.emit('muted', msg.muted, msg.by);
        break;
      case 'room.stage_slots':
        this.stageSlots = msg.slots;
        break;
      case 'room.subscription_ended':
        // While a new subscription is being negotiated (the publisher re-published, e.g. a camera
        // added), this ends the old one, already dropped: the new one stays.
        if (msg.participantId === this.participantId && !this.pendingSubscriptions.has(msg.publisherId)) this.dropSubscription(msg.publisherId);
        break;
      case 'room.kicked':
        if (msg.participantId !== this.participantId) break;
        this.teardown();
        this.emit('left', 'kicked');
        break;
      case 'room.closed':
        this.teardown();
        this.emit('left', 'closed');
        break;
      case 'room.layout.changed':
        this.applyLayout(msg.layout);
        break;
    }
  }

  private applyLayout(layout: RoomLayout): void {
    if (this.layout && layout.version <= this.layout.version) return;
    this.layout = layout;
    this.emit('layout', layout);
  }

  private setListenerCount(count: number): void {
    this.listenerCount = count;
    this.emit('listeners', count);
  }

  private applyState(participants: RoomParticipant[]): void {
    this.participants = participants;
    this.emit('participants', participants);
    if (!this.autoSubscribe || this.onStageConnection) return;
    // Held send paths (raised hands) are subscribed ahead: a promotion then needs no new connection.
    const hears = (p: RoomParticipant) => p.publishing.length > 0 || p.held;
    for (const p of participants) {
      const wanted = p.id !== this.participantId && hears(p);
      if (wanted && !this.subscriptions.has(p.id) && !this.pendingSubscriptions.has(p.id)) {
        this.pendingSubscriptions.add(p.id);
        this.subscribe(p.id)
          .catch((err: Error) => this.emit('error', err))
          .finally(() => this.pendingSubscriptions.delete(p.id));
      }
    }
    for (const id of [...this.subscriptions.keys()]) if (!participants.some((p) => p.id === id && hears(p))) this.dropSubscription(id);
  }

  private dropSubscription(publisherId: string): void {
    if (publisherId === 'stage') {
      const stage = this.stagePeer;
      this.stagePeer = null;
      stage?.close();
      if (stage) for (let i = 0; i < ROOM_STAGE_SLOTS; i++) this.emit('trackEnded', `stage:${i}`);
      return;
    }
    const pc = this.subscriptions.get(publisherId);
    if (!pc) return;
    this.subscriptions.delete(publisherId);
    pc.close();
    this.emit('trackEnded', publisherId);
  }

  private teardown(): void {
    this.publisher?.close();
    this.publisher = null;
    for (const id of [...this.subscriptions.keys()]) this.dropSubscription(id);
    this.dropSubscription('stage');
    this.offMessages?.();
    this.offMessages = null;
    this.participantId = null;
  }

  private requireJoined(): string {
    if (!this.participantId) throw new Error('Join the room first');
    return this.participantId;
  }
}
