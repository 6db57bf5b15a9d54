import { EVENT_HOOK_SCHEMES, type CreatedEventHook, type EventHook, type EventHookScheme } from '@callsight/protocol';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { wire } from '../http/wire-schema.js';
import type { EventHooks } from './event-hooks.js';
import { ingestSchema } from './rules-routes.js';

const schemes = EVENT_HOOK_SCHEMES.map((s) => s.scheme) as [EventHookScheme, ...EventHookScheme[]];

const hookFields = {
  id: z.string(),
  name: z.string(),
  scheme: z.enum(schemes),
  typePrefix: z.string(),
  path: z.string(),
  createdAt: z.number(),
  accepted: z.number(),
  refused: z.number(),
  lastDeliveryAt: z.number().nullable(),
  lastRefusal: z.string().nullable(),
  lastRefusalAt: z.number().nullable(),
};
const hookSchema = wire<EventHook>()(z.object(hookFields));
const createdSchema = wire<CreatedEventHook>()(z.object({ ...hookFields, secret: z.string() }));

/** Incoming webhooks: admins manage them; senders deliver to them unauthenticated, proven by their signature. */
export function eventHookRoutes(hooks: EventHooks) {
  return async (app: HttpApp): Promise<void> => {
    const tags = ['rules'];

    app.get('/api/events/hooks', { config: { role: 'admin' }, schema: { tags, summary: 'Incoming webhooks, with their delivery counts', response: { 200: z.object({ items: z.array(hookSchema) }) } } }, async (req) => ({
      items: await hooks.list(req.principal.tenantId),
    }));

    app.post(
      '/api/events/hooks',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Create an incoming webhook; the signing secret is returned only now (pass `secret` for a sender that makes its own, as Stripe does)',
          body: z
            .object({
              name: z.string().trim().min(1).max(100),
              scheme: z.enum(schemes),
              typePrefix: z.string().max(30).optional(),
              secret: z.string().max(200).optional(),
            })
            .strict(),
          response: { 201: createdSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await hooks.create(req.principal.tenantId, req.body)),
    );

    app.delete('/api/events/hooks/:id', { config: { role: 'admin' }, schema: { tags, summary: 'Delete an incoming webhook: later deliveries get 404', params: idParam('hook') } }, async (req, reply) => {
      await hooks.remove(req.principal.tenantId, req.params.id);
      return reply.code(204).send();
    });

    // The signature covers the exact bytes sent, so this scope keeps the body as text.
    await app.register(async (scope) => {
      const raw = scope.withTypeProvider<ZodTypeProvider>();
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));
      raw.post(
        '/api/events/hooks/:id',
        {
          config: { auth: false },
          schema: {
            tags,
            summary: 'A signed delivery from another system (Standard Webhooks, GitHub or Stripe signing): 202 ingested, 200 a repeat, 401 a bad signature',
            security: [],
            params: idParam('hook'),
            response: { 200: ingestSchema, 202: ingestSchema },
          },
        },
        async (req, reply) => {
          const result = await hooks.deliver(req.params.id, typeof req.body === 'string' ? req.body : '', req.headers);
          return reply.code(result.accepted ? 202 : 200).send(result);
        },
      );
    });
  };
}
