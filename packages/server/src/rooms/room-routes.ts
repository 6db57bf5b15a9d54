import { z } from 'zod';
import type { RoomParticipant, RoomSummary } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import type { AppContext } from '../app-context.js';
import { forbidden, notFound } from '../core/errors.js';
import { hasRole } from '../auth/principal.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { actorOf } from '../calls/outbound-guard.js';
import { signJoinToken, verifyJoinToken } from './join-token.js';
import type { RoomRegistry } from './room-registry.js';
import type { Room, RoomRepo } from './room-repo.js';
import { ROOM_ROLES } from './room-roles.js';

const roomSchema = wire<RoomSummary>()(z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['audio', 'video']),
  audioCodec: z.enum(['opus', 'pcmu']),
  maxParticipants: z.number(),
  createdAt: z.number(),
  participantCount: z.number(),
  createdBy: z.string().nullable().describe('The user who created it; they (and supervisors) may host it'),
}));
const participantSchema = wire<RoomParticipant>()(z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['host', 'speaker', 'listener']),
  userId: z.string().nullable(),
  publishing: z.array(z.enum(['audio', 'video'])),
  held: z.boolean().describe('A send path negotiated but not heard (a raised hand): subscribe now, it is heard once brought on stage'),
  muted: z.boolean(),
  external: z.boolean(),
  callId: z.string().nullable(),
  joinedAt: z.number(),
}));
const participantParams = z
  .object({ id: idParam('room').shape.id, participantId: z.string().regex(/^ptc_[0-9a-z]{26}$/, 'must be a ptc_… id') })
  .strict();

/** Rooms API. Creating rooms and minting tokens is staff work; joining happens over WebSocket with a token. */
export function roomRoutes(repo: RoomRepo, registry: RoomRegistry) {
  const view = (r: Room) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    audioCodec: r.audioCodec,
    maxParticipants: r.maxParticipants,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    participantCount: registry.get(r.id)?.size ?? 0,
  });

  return async function routes(app: HttpApp, ctx: AppContext): Promise<void> {
    const load = async (tenantId: string, id: string) => {
      const room = await repo.get(tenantId, id);
      if (!room || room.closedAt) throw notFound('Room');
      return room;
    };
    const liveParticipant = (roomId: string, participantId: string) => {
      const live = registry.get(roomId);
      if (!live?.has(participantId)) throw notFound('Participant');
      return live;
    };

    app.post(
      '/api/rooms',
      {
        config: { role: 'agent' },
        schema: {
          tags: ['rooms'],
          summary: 'Create a room. audioCodec pcmu lets SIP callers join without transcoding',
          body: z
            .object({
              name: z.string().trim().min(1).max(120),
              kind: z.enum(['audio', 'video']).default('audio'),
              // One process serves a room; 2,000 leaves headroom over the ≥ 1,000 listeners one core forwards to.
              maxParticipants: z.number().int().min(2).max(2000).default(50),
              audioCodec: z.enum(['opus', 'pcmu']).default('opus'),
            })
            .strict(),
          response: { 201: roomSchema },
        },
      },
      async (req, reply) => {
        const { tenantId, userId } = req.principal;
        const room = await repo.create({ tenantId, createdBy: userId, ...req.body });
        await ctx.bus.publish({ tenantId, type: 'room.created', data: { roomId: room.id, name: room.name, kind: room.kind, maxParticipants: room.maxParticipants } });
        return reply.code(201).send(view(room));
      },
    );

    app.get(
      '/api/rooms',
      { config: { role: 'agent' }, schema: { tags: ['rooms'], summary: 'Open rooms with their live participant counts', response: { 200: z.object({ items: z.array(roomSchema) }) } } },
      async (req) => ({ items: (await repo.list(req.principal.tenantId)).map(view) }),
    );

    app.get(
      '/api/rooms/:id',
      { config: { role: 'agent' }, schema: { tags: ['rooms'], summary: 'One room', params: idParam('room'), response: { 200: roomSchema } } },
      async (req) => view(await load(req.principal.tenantId, req.params.id)),
    );

    app.delete(
      '/api/rooms/:id',
      { config: { role: 'agent' }, schema: { tags: ['rooms'], summary: 'Close a room: everyone leaves and its tokens stop working', params: idParam('room'), response: { 204: z.null() } } },
      async (req, reply) => {
        await load(req.principal.tenantId, req.params.id);
        await repo.close(req.principal.tenantId, req.params.id);
        registry.get(req.params.id)?.close('closed');
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/rooms/:id/tokens',
      {
        config: { role: 'agent' },
        schema: {
          tags: ['rooms'],
          summary: 'Mint a join token (signed, expiring) for one role; anyone holding it may join, including guests',
          params: idParam('room'),
          body: z
            .object({
              role: z.enum(ROOM_ROLES as ['host', 'speaker', 'listener']),
              name: z.string().trim().min(1).max(80).optional(),
              ttlSeconds: z.number().int().min(60).max(7 * 24 * 3600).default(3600),
            })
            .strict(),
          response: { 201: z.object({ token: z.string(), role: z.string(), name: z.string(), expiresAt: z.number(), joinUrl: z.string() }) },
        },
      },
      async (req, reply) => {
        const { tenantId, userId } = req.principal;
        const loaded = await load(tenantId, req.params.id);
        // Hosting a room (muting and removing people) is for its creator and for supervisors, not any agent.
        if (req.body.role === 'host' && loaded.createdBy !== userId && !hasRole(req.principal, 'supervisor')) {
          throw forbidden('Only the room’s creator or a supervisor can host it; join as a speaker or listener');
        }
        const found = await repo.withTokenKey(req.params.id);
        const user = userId ? await ctx.users.get(tenantId, userId) : null;
        const name = req.body.name ?? (req.body.role === 'listener' ? 'Listener' : (user?.name ?? 'Guest'));
        const { token, grant } = await signJoinToken(found!.key, found!.room, { role: req.body.role, name, ttlSeconds: req.body.ttlSeconds });
        return reply.code(201).send({ token, role: grant.role, name: grant.name, expiresAt: grant.expiresAt, joinUrl: `/rooms/#token=${token}` });
      },
    );

    app.post(
      '/api/rooms/join-info',
      {
        config: { auth: false },
        schema: {
          tags: ['rooms'],
          summary: 'What a join token opens (the room’s name, the role and name it grants), for the page shown before joining',
          body: z.object({ token: z.string().min(10).max(4000) }).strict(),
          response: { 200: z.object({ room: z.object({ name: z.string(), kind: z.enum(['audio', 'video']) }), role: z.enum(['host', 'speaker', 'listener']), name: z.string(), expiresAt: z.number() }) },
        },
      },
      async (req) => {
        const { grant, room } = await verifyJoinToken(repo, req.body.token);
        return { room: { name: room.name, kind: room.kind }, role: grant.role, name: grant.name, expiresAt: grant.expiresAt };
      },
    );

    app.post(
      '/api/rooms/:id/dial',
      {
        config: { role: 'agent' },
        schema: {
          tags: ['rooms'],
          summary: 'Call a phone (SIP URI, SIP account, user or number) and put it in the room once answered; the room must use audioCodec pcmu',
          params: idParam('room'),
          body: z
            .object({
              to: z.string().min(1).max(500),
              role: z.enum(['speaker', 'listener']).default('speaker'),
              name: z.string().trim().min(1).max(80).optional(),
              from: z.string().min(1).max(200).optional(),
              timeoutSeconds: z.number().int().min(1).max(300).default(30),
            })
            .strict(),
          response: { 201: z.object({ callId: z.string(), roomId: z.string(), role: z.string() }) },
        },
      },
      async (req, reply) => {
        const { tenantId } = req.principal;
        await load(tenantId, req.params.id);
        // Refused before anything rings: an Opus room cannot take a phone call.
        const room = await ctx.services.get('rooms').roomForCall(tenantId, req.params.id);
        const { to, role, name, from, timeoutSeconds } = req.body;
        const call = await ctx.services.get('telephony').manager.originate(tenantId, {
          to,
          actor: actorOf(req.principal),
          via: 'room',
          from,
          timeoutSeconds,
          verbs: [{ verb: 'room', room: room.id, role, ...(name ? { name } : {}) }],
        });
        return reply.code(201).send({ callId: call.id, roomId: room.id, role });
      },
    );

    app.get(
      '/api/rooms/:id/participants',
      {
        config: { role: 'agent' },
        schema: {
          tags: ['rooms'],
          summary: 'Who is in the room now, in join order: all of it, or pages of `limit` following `nextCursor`',
          params: idParam('room'),
          querystring: z
            .object({ limit: z.coerce.number().int().min(1).max(2000).optional(), cursor: z.string().regex(/^\d{1,15}$/, 'must be a nextCursor').optional() })
            .strict(),
          response: { 200: z.object({ items: z.array(participantSchema), nextCursor: z.string().nullable(), activeSpeaker: z.string().nullable() }) },
        },
      },
      async (req) => {
        await load(req.principal.tenantId, req.params.id);
        const live = registry.get(req.params.id);
        const page = live?.list({ after: req.query.cursor ? Number(req.query.cursor) : undefined, limit: req.query.limit }) ?? { items: [], nextCursor: null };
        return { ...page, activeSpeaker: live?.currentActiveSpeaker ?? null };
      },
    );

    app.post(
      '/api/rooms/:id/participants/:participantId/mute',
      {
        config: { role: 'agent' },
        schema: { tags: ['rooms'], summary: 'Mute or unmute a participant on the server (their audio stops being forwarded)', params: participantParams, body: z.object({ muted: z.boolean() }).strict(), response: { 200: participantSchema } },
      },
      async (req) => {
        await load(req.principal.tenantId, req.params.id);
        return liveParticipant(req.params.id, req.params.participantId).setMuted('api', req.params.participantId, req.body.muted);
      },
    );

    app.delete(
      '/api/rooms/:id/participants/:participantId',
      { config: { role: 'agent' }, schema: { tags: ['rooms'], summary: 'Remove a participant; their token cannot rejoin', params: participantParams, response: { 204: z.null() } } },
      async (req, reply) => {
        await load(req.principal.tenantId, req.params.id);
        liveParticipant(req.params.id, req.params.participantId).kick('api', req.params.participantId);
        return reply.code(204).send(null);
      },
    );
  };
}
