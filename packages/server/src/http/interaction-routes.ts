import { z } from 'zod';
import { CHANNELS, ROLES, type Interaction, type InteractionDetail, type InteractionPage } from '@callsight/protocol';
import { wire } from './wire-schema.js';
import type { AppContext } from '../app-context.js';
import { isStaff, type Principal } from '../auth/principal.js';
import { badRequest, notFound } from '../core/errors.js';
import { idParam, limitSchema } from './common-schemas.js';
import { eventSchema } from './event-routes.js';
import type { HttpApp } from './http-types.js';

const interactionSchema = wire<Interaction>()(z.object({
  id: z.string(),
  tenantId: z.string(),
  customerId: z.string().nullable(),
  channels: z.array(z.enum(CHANNELS)),
  state: z.enum(['open', 'closed']),
  subject: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  closedAt: z.number().nullable(),
}));

export async function interactionRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/interactions',
    {
      schema: {
        tags: ['interactions'],
        summary: 'Customer contacts across channels, newest first (customers see their own)',
        querystring: z
          .object({
            state: z.enum(['open', 'closed']).optional(),
            customerId: z.string().max(64).optional(),
            before: z.string().max(64).optional().describe('Cursor: an interaction id'),
            limit: limitSchema,
          })
          .strict(),
        response: { 200: z.object({ items: z.array(interactionSchema), nextCursor: z.string().nullable(), onCall: z.array(z.string()) }) },
      },
    },
    async (req): Promise<InteractionPage> => {
      const p = req.principal;
      const items = await ctx.interactions.list({
        tenantId: p.tenantId,
        state: req.query.state,
        customerId: isStaff(p) ? req.query.customerId : (p.userId ?? '-'),
        before: req.query.before,
        limit: req.query.limit,
      });
      const onCall = await ctx.interactions.onCall(p.tenantId, items.map((i) => i.id));
      return { items, nextCursor: items.length === req.query.limit ? items[items.length - 1].id : null, onCall: [...onCall] };
    },
  );

  app.post(
    '/api/interactions',
    {
      config: { role: 'agent' },
      schema: {
        tags: ['interactions'],
        summary: 'Open an interaction for a customer (calls, chats and rooms open theirs themselves)',
        body: z
          .object({
            channel: z.enum(CHANNELS),
            customerId: z.string().regex(/^usr_[0-9a-z]{26}$/).optional(),
            subject: z.string().max(200).optional(),
          })
          .strict(),
        response: { 201: interactionSchema },
      },
    },
    async (req, reply) => {
      const { tenantId } = req.principal;
      const { channel, customerId, subject } = req.body;
      if (customerId) {
        const customer = await ctx.users.get(tenantId, customerId);
        if (!customer || customer.role !== 'customer') {
          throw badRequest('validation_failed', 'customerId is not a customer of this tenant', [{ path: 'body.customerId', message: 'is not a customer' }]);
        }
      }
      const it = await ctx.interactions.create({ tenantId, channel, customerId, subject });
      await ctx.bus.publish({
        tenantId,
        type: 'interaction.created',
        interactionId: it.id,
        userIds: it.customerId ? [it.customerId] : undefined,
        data: { interactionId: it.id, channels: it.channels, customerId: it.customerId },
      });
      return reply.code(201).send(it);
    },
  );

  /** Customers only ever see their own interactions; anything else reads as absent. */
  const load = async (p: Principal, id: string) => {
    const it = await ctx.interactions.get(p.tenantId, id);
    if (!it || (!isStaff(p) && it.customerId !== p.userId)) throw notFound('Interaction');
    return it;
  };

  app.get(
    '/api/interactions/:id',
    {
      schema: { tags: ['interactions'], summary: 'Get an interaction', params: idParam('int'), response: { 200: interactionSchema } },
    },
    async (req) => load(req.principal, req.params.id),
  );

  app.get(
    '/api/interactions/:id/timeline',
    {
      schema: {
        tags: ['interactions'],
        summary: 'The events of an interaction, oldest first',
        params: idParam('int'),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(500) }).strict(),
        response: { 200: z.object({ items: z.array(eventSchema) }) },
      },
    },
    async (req) => {
      const it = await load(req.principal, req.params.id);
      const rows = await ctx.eventLog.query({ tenantId: it.tenantId, interactionId: it.id, limit: req.query.limit });
      return { items: rows.map((r) => r.event) };
    },
  );

  app.get(
    '/api/interactions/:id/detail',
    {
      config: { role: 'supervisor' },
      schema: {
        tags: ['interactions'],
        summary: 'An interaction with its timeline and the names of the people in it (supervisors and admins)',
        params: idParam('int'),
        response: {
          200: z.object({
            interaction: interactionSchema,
            onCall: z.boolean(),
            people: z.array(z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES), phoneNumber: z.string().nullable() })),
            timeline: z.array(eventSchema),
          }),
        },
      },
    },
    async (req): Promise<InteractionDetail> => {
      const it = await load(req.principal, req.params.id);
      const [rows, onCall] = await Promise.all([
        ctx.eventLog.query({ tenantId: it.tenantId, interactionId: it.id, limit: TIMELINE_LIMIT }),
        ctx.interactions.onCall(it.tenantId, [it.id]),
      ]);
      const timeline = rows.map((r) => r.event);
      const ids = new Set([...(it.customerId ? [it.customerId] : []), ...timeline.flatMap((e) => userIdsIn(e.data))]);
      const people = (await Promise.all([...ids].map((id) => ctx.users.get(it.tenantId, id)))).flatMap((u) => (u ? [{ id: u.id, name: u.name, role: u.role, phoneNumber: u.phoneNumber }] : []));
      return { interaction: it, onCall: onCall.has(it.id), people, timeline };
    },
  );
}

const TIMELINE_LIMIT = 500;
const USER_ID = /^(?:user:)?(usr_[0-9a-z]{26})$/;

/** User ids an event's data names at its top level (agentId, customerId, `user:<id>` parties…). */
function userIdsIn(data: unknown): string[] {
  if (!data || typeof data !== 'object') return [];
  return Object.values(data).flatMap((v) => (typeof v === 'string' ? [USER_ID.exec(v)?.[1]] : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? USER_ID.exec(x)?.[1] : undefined)) : [])).filter((id): id is string => !!id);
}
