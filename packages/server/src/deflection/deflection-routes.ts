import type { FastifyReply } from 'fastify';
import type { Callback } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { notFound } from '../core/errors.js';
import { idParam } from '../http/common-schemas.js';
import { acceptFormBodies } from '../http/form-body.js';
import type { HttpApp } from '../http/http-types.js';
import { rulesSchema } from './deflection-rules.js';
import { deflectionStats } from './deflection-stats.js';
import type { LinkOutcome } from './link-actions.js';
import { linkPage } from './link-page.js';

const rulesBody = z.object({ rules: rulesSchema }).strict();
const tokenParam = z.object({ token: z.string().max(200) }).strict();
const linkForm = z
  .object({
    action: z.enum(['chat', 'message', 'callback']),
    choice: z.string().max(32).optional(),
    message: z.string().max(2000).optional(),
    slotAt: z.coerce.number().int().positive().optional(),
  })
  .strip();

const STATUS: Record<LinkOutcome['kind'], number> = { chat: 200, menu: 200, callback: 200, message_sent: 200, callback_booked: 200, invalid: 404, used: 410, expired: 410 };

const callbackSchema = wire<Callback>()(z.object({
  id: z.string(),
  interactionId: z.string(),
  deflectionId: z.string().nullable(),
  caller: z.string(),
  fromNumber: z.string().nullable(),
  queue: z.string(),
  slotAt: z.number(),
  state: z.enum(['booked', 'dialing', 'connected', 'failed', 'cancelled']),
  callId: z.string().nullable(),
  context: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
}));

function sendPage(reply: FastifyReply, status: number, html: string) {
  // Never cached: the same URL answers differently once used; the token must not leak to other origins.
  return reply.code(status).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('content-type', 'text/html; charset=utf-8').send(html);
}

/** The public link pages, the per-number rules API, deflection stats and callbacks. */
export async function deflectionRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const tags = ['deflection'];
  const service = () => ctx.services.get('deflection');

  // Plain HTML forms post urlencoded bodies; the parser is scoped to the link routes.
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    acceptFormBodies(plain);

    scope.get('/d/:token', { config: { auth: false }, schema: { hide: true, params: tokenParam } }, async (req, reply) => {
      const outcome = await service().pages.open(req.params.token);
      return sendPage(reply, STATUS[outcome.kind], linkPage(outcome));
    });

    scope.post('/d/:token', { config: { auth: false }, schema: { hide: true, params: tokenParam, body: linkForm } }, async (req, reply) => {
      // A wrong choice, an empty message or a stale slot is a 400 problem naming the field; nothing changes, the link still works.
      const outcome = await service().pages.act(req.params.token, { ...req.body, choice: req.body.choice || undefined });
      return sendPage(reply, STATUS[outcome.kind], linkPage(outcome));
    });
  });

  const number = async (tenantId: string, id: string) => {
    const n = await ctx.services.get('telephony').numbers.get(tenantId, id);
    if (!n) throw notFound('Number');
    return n;
  };

  app.get(
    '/api/numbers/:id/deflection-rules',
    { config: { role: 'supervisor' }, schema: { tags, summary: 'The call-control rules evaluated for calls to (inbound) and from (outbound, campaign) the number', params: idParam('num'), response: { 200: rulesBody } } },
    async (req) => {
      await number(req.principal.tenantId, req.params.id);
      return { rules: await service().rules(req.principal.tenantId, req.params.id) };
    },
  );

  app.put(
    '/api/numbers/:id/deflection-rules',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: 'Replace the number’s call-control rules (first match of the call’s direction wins: deflect_chat, deflect_menu, deflect_callback or continue)',
        params: idParam('num'),
        body: rulesBody,
        response: { 200: rulesBody },
      },
    },
    async (req) => {
      await number(req.principal.tenantId, req.params.id);
      await service().saveRules(req.principal.tenantId, req.params.id, req.body.rules);
      return { rules: req.body.rules };
    },
  );

  app.get(
    '/api/deflection/stats',
    {
      config: { role: 'supervisor' },
      schema: {
        tags,
        summary: 'Deflections per number over a window: offered, opened, completed, SMS failures, expired, and the rate opened/offered',
        querystring: z.object({ windowHours: z.coerce.number().min(0.01).max(24 * 90).default(24) }).strict(),
        response: {
          200: z.object({
            windowHours: z.number(),
            items: z.array(
              z.object({
                numberId: z.string().nullable(),
                number: z.string().nullable(),
                offered: z.number(),
                opened: z.number(),
                completed: z.number(),
                smsFailed: z.number(),
                expired: z.number(),
                byTarget: z.object({ chat: z.number(), menu: z.number(), callback: z.number() }),
                rate: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ windowHours: req.query.windowHours, items: await deflectionStats(ctx, req.principal.tenantId, req.query.windowHours * 3_600_000) }),
  );

  app.get(
    '/api/callbacks',
    {
      config: { role: 'agent' },
      schema: {
        tags,
        summary: 'Booked callbacks, by slot time',
        querystring: z.object({ state: callbackSchema.shape.state.optional() }).strict(),
        response: { 200: z.object({ items: z.array(callbackSchema) }) },
      },
    },
    async (req) => ({ items: await service().callbacks.list(req.principal.tenantId, req.query) }),
  );

  app.post(
    '/api/callbacks/:id/cancel',
    { config: { role: 'agent' }, schema: { tags, summary: 'Cancel a booked callback (409 callback_not_cancellable once dialled)', params: idParam('cb'), response: { 200: callbackSchema } } },
    async (req) => service().callbacks.cancel(req.principal.tenantId, req.params.id),
  );
}
