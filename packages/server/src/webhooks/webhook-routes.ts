import { z } from 'zod';
import type { Webhook, WebhookDelivery } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import type { AppContext } from '../app-context.js';
import { notFound } from '../core/errors.js';
import { eventTypePrefix, idParam, limitSchema } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';

const webhookSchema = wire<Webhook>()(z.object({
  id: z.string(),
  url: z.string(),
  types: z.array(z.string()),
  description: z.string().nullable(),
  createdAt: z.number(),
}));

const deliverySchema = wire<WebhookDelivery>()(z.object({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.number(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.number(),
  deliveredAt: z.number().nullable(),
}));

export async function webhookRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/webhooks',
    {
      config: { role: 'admin' },
      schema: { tags: ['webhooks'], summary: 'List webhook subscriptions', response: { 200: z.object({ items: z.array(webhookSchema) }) } },
    },
    async (req) => ({ items: await ctx.webhooks.list(req.principal.tenantId) }),
  );

  app.post(
    '/api/webhooks',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe a URL to events. Deliveries are signed: callsight-signature: t=<unix>,v1=<HMAC-SHA256(secret, "<t>.<body>")>',
        body: z
          .object({
            url: z.string().url().max(2000).refine((u) => /^https?:\/\//.test(u), 'must be http(s)'),
            types: z.array(eventTypePrefix).max(50).default([]),
            description: z.string().max(500).optional(),
          })
          .strict(),
        response: { 201: webhookSchema.extend({ secret: z.string() }) },
      },
    },
    async (req, reply) => {
      const { tenantId } = req.principal;
      // Deliveries are checked again each time (names can be re-pointed); this catches the obvious at once.
      await ctx.egress.checkField(req.body.url, tenantId, 'body.url');
      const { webhook, secret } = await ctx.webhooks.create({ tenantId, ...req.body });
      await ctx.bus.publish({
        tenantId,
        type: 'webhook.created',
        data: { webhookId: webhook.id, url: webhook.url, types: webhook.types },
      });
      const { tenantId: _t, ...out } = webhook;
      return reply.code(201).send({ ...out, secret });
    },
  );

  app.delete(
    '/api/webhooks/:id',
    {
      config: { role: 'admin' },
      schema: { tags: ['webhooks'], summary: 'Remove a subscription', params: idParam('whk'), response: { 204: z.null() } },
    },
    async (req, reply) => {
      const { tenantId } = req.principal;
      if (!(await ctx.webhooks.disable(tenantId, req.params.id))) throw notFound('Webhook');
      await ctx.bus.publish({ tenantId, type: 'webhook.deleted', data: { webhookId: req.params.id } });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/webhooks/:id/deliveries',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: 'Delivery log of a subscription, newest first',
        params: idParam('whk'),
        querystring: z.object({ limit: limitSchema }).strict(),
        response: { 200: z.object({ items: z.array(deliverySchema) }) },
      },
    },
    async (req) => {
      const { tenantId } = req.principal;
      if (!(await ctx.webhooks.get(tenantId, req.params.id))) throw notFound('Webhook');
      return { items: await ctx.webhooks.deliveries(tenantId, req.params.id, req.query.limit) };
    },
  );
}
