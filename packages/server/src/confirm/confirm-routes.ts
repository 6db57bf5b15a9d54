import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { isStaff, type Principal } from '../auth/principal.js';
import { badRequest, notFound } from '../core/errors.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import type { CardTemplates } from './card-templates.js';
import type { CardInput } from '@callsight/protocol';
import {
  answerBodySchema,
  cardSchema,
  chainCheckSchema,
  confirmedSchema,
  linkSchema,
  presentBodySchema,
  recordSchema,
  reviseBodySchema,
  templateSchema,
} from './card-schemas.js';
import { verifyChain } from './confirmation-chain.js';
import type { ConfirmService } from './confirm-service.js';

/** Where links point: the configured public URL, else the origin the agent's request came to. */
export const baseUrlOf = (ctx: AppContext, req: FastifyRequest) => ctx.config.publicUrl ?? `${req.protocol}://${req.host}`;

export function confirmRoutes(service: ConfirmService, templates: CardTemplates) {
  return async (app: HttpApp, ctx: AppContext): Promise<void> => {
    /** Customers reach only their own interactions; anything else reads as absent. */
    const loadInteraction = async (p: Principal, id: string) => {
      const it = await ctx.interactions.get(p.tenantId, id);
      if (!it || (!isStaff(p) && it.customerId !== p.userId)) throw notFound('Interaction');
      return it;
    };

    app.get(
      '/api/card-templates',
      {
        config: { role: 'agent' },
        schema: { tags: ['confirm'], summary: 'Saved card templates of the tenant', response: { 200: z.object({ items: z.array(templateSchema) }) } },
      },
      async (req) => ({ items: await templates.list(req.principal.tenantId) }),
    );

    app.post(
      '/api/interactions/:id/cards',
      {
        config: { role: 'agent' },
        schema: {
          tags: ['confirm'],
          summary: "Present a card on the customer's screen during a live interaction",
          params: idParam('int'),
          body: presentBodySchema,
          response: { 201: z.object({ card: cardSchema, link: linkSchema.nullable() }) },
        },
      },
      async (req, reply) => {
        const { templateId, sms, ...own } = req.body;
        const preset = templateId ? (await templates.get(req.principal.tenantId, templateId))?.preset : {};
        if (!preset) throw notFound('Card template');
        const input = { ...preset, ...own } as CardInput;
        if (!input.kind) throw badRequest('validation_failed', 'A card needs a kind or a templateId', [{ path: 'body.kind', message: 'is required without templateId' }]);
        const card = await service.present(req.principal, req.params.id, input);
        const link = sms ? await service.createLink(req.principal, card.id, baseUrlOf(ctx, req)) : null;
        return reply.code(201).send({ card, link });
      },
    );

    app.get(
      '/api/interactions/:id/cards',
      {
        schema: {
          tags: ['confirm'],
          summary: 'Cards of an interaction, oldest first (customers: their own interactions)',
          params: idParam('int'),
          response: { 200: z.object({ items: z.array(cardSchema) }) },
        },
      },
      async (req) => {
        await loadInteraction(req.principal, req.params.id);
        return { items: await service.list(req.principal, { interactionId: req.params.id }) };
      },
    );

    app.get(
      '/api/interactions/:id/confirmed',
      {
        schema: {
          tags: ['confirm'],
          summary: "The interaction's confirmed data: the values customers confirmed or corrected, per card",
          params: idParam('int'),
          response: { 200: z.object({ items: z.array(confirmedSchema) }) },
        },
      },
      async (req) => {
        const it = await loadInteraction(req.principal, req.params.id);
        return { items: await service.confirmedData(it.tenantId, it.id) };
      },
    );

    app.get(
      '/api/interactions/:id/confirmations/export',
      {
        config: { role: 'agent' },
        schema: {
          tags: ['confirm'],
          summary: 'Every presented card and answer of the interaction as a hash chain, with its verification',
          params: idParam('int'),
          response: {
            200: z.object({ interactionId: z.string(), exportedAt: z.number(), algorithm: z.string(), records: z.array(recordSchema), verification: chainCheckSchema }),
          },
        },
      },
      async (req, reply) => {
        const it = await loadInteraction(req.principal, req.params.id);
        const records = await service.chain.list(it.tenantId, it.id);
        reply.header('content-disposition', `attachment; filename="${it.id}-confirmations.json"`);
        return {
          interactionId: it.id,
          exportedAt: Date.now(),
          algorithm: 'sha256(canonical-json); hash = sha256(canonical {interactionId,seq,cardId,cardVersion,type,actor,at,contentHash,prevHash})',
          records,
          verification: verifyChain(records),
        };
      },
    );

    app.get(
      '/api/interactions/:id/confirmations/verify',
      {
        config: { role: 'agent' },
        schema: {
          tags: ['confirm'],
          summary: "Recompute the interaction's confirmation chain from the stored records",
          params: idParam('int'),
          response: { 200: chainCheckSchema },
        },
      },
      async (req) => {
        const it = await loadInteraction(req.principal, req.params.id);
        return verifyChain(await service.chain.list(it.tenantId, it.id));
      },
    );

    app.get(
      '/api/cards',
      {
        schema: {
          tags: ['confirm'],
          summary: 'Cards, oldest first: a customer sees the cards shown to them (status=presented: what awaits an answer)',
          querystring: z
            .object({
              status: z.enum(['presented', 'confirmed', 'corrected', 'rejected', 'expired']).optional(),
              interactionId: z.string().max(64).optional(),
            })
            .strict(),
          response: { 200: z.object({ items: z.array(cardSchema) }) },
        },
      },
      async (req) => ({ items: await service.list(req.principal, req.query) }),
    );

    app.get(
      '/api/cards/:id',
      { schema: { tags: ['confirm'], summary: 'One card', params: idParam('card'), response: { 200: cardSchema } } },
      async (req) => service.getVisible(req.principal, req.params.id),
    );

    app.put(
      '/api/cards/:id',
      {
        config: { role: 'agent' },
        schema: {
          tags: ['confirm'],
          summary: 'Edit a card: presents a new version; answers naming the old version are refused (409)',
          params: idParam('card'),
          body: reviseBodySchema,
          response: { 200: cardSchema },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return service.revise(req.principal, req.params.id, version, input as CardInput);
      },
    );

    app.post(
      '/api/cards/:id/answer',
      {
        config: { role: 'customer' },
        schema: {
          tags: ['confirm'],
          summary: 'The customer confirms (with optional corrections) or rejects the version they saw',
          params: idParam('card'),
          body: answerBodySchema,
          response: { 200: cardSchema },
        },
      },
      async (req) => service.answer({ via: 'app', principal: req.principal }, req.params.id, req.body),
    );

    app.post(
      '/api/cards/:id/link',
      {
        config: { role: 'agent' },
        schema: {
          tags: ['confirm'],
          summary: 'A one-time link to the card for a caller without the app: texted when an SMS gateway is set up, else returned to read out',
          params: idParam('card'),
          response: { 201: linkSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await service.createLink(req.principal, req.params.id, baseUrlOf(ctx, req))),
    );
  };
}
