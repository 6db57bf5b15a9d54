import { z } from 'zod';
import { forbidden, notFound } from '../core/errors.js';
import { joinTokenRoomId, verifyJoinToken, type JoinGrant } from './join-token.js';
import { JoinOrder } from './join-order.js';
import type { LiveRoom } from './live-room.js';
import type { RoomRegistry } from './room-registry.js';
import type { Room, RoomRepo } from './room-repo.js';
import { RoomLayouts, roomLayoutMessage } from './spatial-layout.js';

/** The part of a socket room signalling needs; met by /api/ws clients and guest sockets. */
export interface SignalClient {
  /** The signed-in user's tenant and id; null for guests. */
  readonly tenantId: string | null;
  readonly userId: string | null;
  send(message: object): void;
  /** Sends an already encoded message: room pushes are encoded once for every socket. */
  sendText(text: string): void;
  onClose(listener: () => void): void;
}

const ref = z.string().max(64).optional();
const pid = z.string().regex(/^ptc_[0-9a-z]{26}$/, 'must be a ptc_… id');
const sdp = z.string().min(1).max(64_000);

export const roomMessages = {
  /** `name`: what the joiner calls themself (a guest with a shared link); the token still decides the role. */
  'room.join': z.object({ kind: z.literal('room.join'), ref, token: z.string().min(10).max(4000), name: z.string().trim().min(1).max(80).optional() }).strict(),
  /** `held`: a listener negotiates its send path ahead of being brought on stage (nothing is heard until then). */
  /** `camera: false`: the offer's video is an idle send path until `room.camera` switches it on. */
  'room.publish': z.object({ kind: z.literal('room.publish'), ref, participantId: pid, sdp, held: z.boolean().optional(), camera: z.boolean().optional() }).strict(),
  'room.subscribe': z.object({ kind: z.literal('room.subscribe'), ref, participantId: pid, publisherId: pid, sdp }).strict(),
  /** One recvonly offer of audio m-lines (up to STAGE_SLOTS) that carries everyone heard on stage. */
  'room.subscribe_stage': z.object({ kind: z.literal('room.subscribe_stage'), ref, participantId: pid, sdp }).strict(),
  /** `publisherId: 'stage'` ends the stage subscription. */
  'room.unsubscribe': z.object({ kind: z.literal('room.unsubscribe'), ref, participantId: pid, publisherId: z.union([pid, z.literal('stage')]) }).strict(),
  'room.camera': z.object({ kind: z.literal('room.camera'), ref, participantId: pid, on: z.boolean() }).strict(),
  'room.mute': z.object({ kind: z.literal('room.mute'), ref, participantId: pid, targetId: pid, muted: z.boolean() }).strict(),
  'room.kick': z.object({ kind: z.literal('room.kick'), ref, participantId: pid, targetId: pid }).strict(),
  'room.leave': z.object({ kind: z.literal('room.leave'), ref, participantId: pid }).strict(),
  'room.layout': roomLayoutMessage,
} as const;

type Msg<K extends keyof typeof roomMessages> = z.output<(typeof roomMessages)[K]>;
export type RoomHandler = (client: SignalClient, msg: never) => Promise<object>;

/**
 * Room signalling: `room.join {token}` makes the socket a participant; every other
 * message names the participant it acts as, which must have joined on the same socket.
 * Closing the socket leaves every room it joined.
 */
export class RoomSignalling {
  /** socket → participantId → room */
  private readonly joined = new WeakMap<SignalClient, Map<string, LiveRoom>>();
  private readonly joinOrder = new JoinOrder();
  private readonly layouts = new RoomLayouts();

  constructor(
    private readonly repo: RoomRepo,
    private readonly registry: RoomRegistry,
  ) {}

  readonly handlers: { [K in keyof typeof roomMessages]: (client: SignalClient, msg: Msg<K>) => Promise<object> } = {
    'room.join': async (client, msg) => {
      // Joins to one room are admitted as they arrived, whatever order their token checks finish in
      // (an unreadable token fails its check in a line of its own).
      const verified = verifyJoinToken(this.repo, msg.token);
      return this.joinOrder.run(joinTokenRoomId(msg.token) ?? '', verified, ({ grant, room }) => this.admit(client, msg, grant, room));
    },
    'room.publish': async (client, msg) => {
      const answer = await this.room(client, msg.participantId).publishMedia(msg.participantId, msg.sdp, { held: msg.held, camera: msg.camera });
      return { kind: 'room.publish.answer', participantId: msg.participantId, sdp: answer };
    },
    'room.subscribe': async (client, msg) => {
      const answer = await this.room(client, msg.participantId).subscribe(msg.participantId, msg.publisherId, msg.sdp);
      return { kind: 'room.subscribe.answer', participantId: msg.participantId, publisherId: msg.publisherId, sdp: answer };
    },
    'room.subscribe_stage': async (client, msg) => {
      const { sdp: answer, slots } = await this.room(client, msg.participantId).subscribeStage(msg.participantId, msg.sdp);
      return { kind: 'room.subscribe_stage.answer', participantId: msg.participantId, sdp: answer, slots };
    },
    'room.unsubscribe': async (client, msg) => {
      this.room(client, msg.participantId).unsubscribe(msg.participantId, msg.publisherId);
      return { kind: 'room.unsubscribed', publisherId: msg.publisherId };
    },
    'room.camera': async (client, msg) => ({ kind: 'room.camera.done', participant: this.room(client, msg.participantId).setCamera(msg.participantId, msg.on) }),
    'room.mute': async (client, msg) => {
      const target = this.room(client, msg.participantId).setMuted(msg.participantId, msg.targetId, msg.muted);
      return { kind: 'room.mute.done', participant: target };
    },
    'room.kick': async (client, msg) => {
      this.room(client, msg.participantId).kick(msg.participantId, msg.targetId);
      return { kind: 'room.kick.done', targetId: msg.targetId };
    },
    'room.leave': async (client, msg) => {
      this.room(client, msg.participantId).leave(msg.participantId, 'left');
      this.joined.get(client)?.delete(msg.participantId);
      return { kind: 'room.left', participantId: msg.participantId };
    },
    'room.layout': async (client, msg) => ({ kind: 'room.layout.done', layout: this.layouts.set(this.room(client, msg.participantId), msg) }),
  };

  /** Makes the socket a participant of a verified join; runs in the room's arrival order. */
  private admit(client: SignalClient, msg: Msg<'room.join'>, grant: JoinGrant, room: Room): object {
    const live = this.registry.open(room);
    // The token is the authority; a user id is recorded only for the room's own tenant.
    const userId = client.tenantId === room.tenantId ? client.userId : null;
    const me = live.join(msg.name ? { ...grant, name: msg.name } : grant, { userId, send: (text) => client.sendText(text) });
    let mine = this.joined.get(client);
    if (!mine) {
      mine = new Map();
      this.joined.set(client, mine);
      const rooms = mine;
      client.onClose(() => {
        for (const [participantId, r] of rooms) r.leave(participantId, 'disconnected');
        rooms.clear();
      });
    }
    mine.set(me.id, live);
    return {
      kind: 'room.joined',
      room: { id: room.id, name: room.name, kind: room.kind, audioCodec: room.audioCodec },
      participantId: me.id,
      role: me.role,
      ...live.snapshotFor(me.id),
      ...(this.layouts.of(live) ? { layout: this.layouts.of(live) } : {}),
    };
  }

  private room(client: SignalClient, participantId: string): LiveRoom {
    const room = this.joined.get(client)?.get(participantId);
    if (!room) throw notFound('Participant on this connection');
    if (!room.has(participantId)) {
      this.joined.get(client)?.delete(participantId);
      throw forbidden('You are no longer in this room');
    }
    return room;
  }
}
