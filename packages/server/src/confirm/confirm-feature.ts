import { z } from 'zod';
import type { Feature } from '../core/feature.js';
import { DEMO_TENANT } from '../seed/demo-tenant.js';
import type { SendSms } from './card-links.js';
import { answerBodySchema } from './card-schemas.js';
import { CardTemplates, DEMO_TEMPLATES } from './card-templates.js';
import type { Card } from '@callsight/protocol';
import { confirmRoutes } from './confirm-routes.js';
import { ConfirmService } from './confirm-service.js';
import { linkPageRoutes } from './link-page.js';

/** How often each process looks for cards past their expiry. */
const EXPIRY_SWEEP_MS = 500;

/**
 * Confirm cards as a feature. `sendSms` comes from the SMS gateway when one is
 * configured; without it, links are returned for the agent to read out.
 */
export function createConfirmFeature(opts: { sendSms?: SendSms } = {}): Feature {
  return {
    name: 'confirm',
    uses: ['sms', 'telephony'],
    provides: ['confirm'],
    async setup(ctx, { routes, ws }) {
      const templates = new CardTemplates(ctx.store);
      // Fast path to the customer's sockets on this process; the confirm.presented
      // event (userIds: [customer]) reaches their sockets on every other process.
      const service = new ConfirmService(ctx, {
        sendSms: opts.sendSms,
        onPresented: (tenantId, card: Card) => ws.sendToUser(tenantId, card.customerId, { kind: 'card.presented', card }),
      });
      ctx.services.provide('confirm', service);
      await routes.register(async (app) => {
        await confirmRoutes(service, templates)(app, ctx);
        await linkPageRoutes(service)(app, ctx);
      });

      ws.handle(
        'card.answer',
        answerBodySchema.extend({ kind: z.literal('card.answer'), ref: z.string().max(64).optional(), cardId: z.string().max(64) }),
        async (client, { kind: _k, ref: _r, cardId, ...answer }) => {
          const card = await service.answer({ via: 'app', principal: client.principal }, cardId, answer);
          return { kind: 'card.answered', card };
        },
      );

      if (ctx.config.seedDemo) {
        const tenant = await ctx.tenants.bySlug(DEMO_TENANT.slug);
        if (tenant) for (const t of DEMO_TEMPLATES) await templates.ensure(tenant.id, t);
      }

      // Cards close with their call: once the last live call of an interaction ends,
      // its open cards expire (once across processes: a work-queue group).
      const callEnds = await ctx.bus.subscribe({ group: 'confirm-call-end', types: ['call.ended', 'interaction.closed'] }, async (e) => {
        if (!e.interactionId) return;
        if (e.type === 'call.ended') {
          const calls = ctx.services.maybe('telephony')?.calls;
          const others = calls ? await calls.list({ tenantId: e.tenantId, interactionId: e.interactionId, limit: 50 }) : [];
          if (others.some((c) => c.state !== 'ended')) return;
        }
        await service.closeWithInteraction(e.tenantId, e.interactionId);
      });

      let sweeping = false;
      const timer = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        service
          .expireDue()
          .catch((err) => ctx.log.warn({ err }, 'card expiry sweep failed'))
          .finally(() => (sweeping = false));
      }, EXPIRY_SWEEP_MS);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await callEnds.unsubscribe();
      };
    },
  };
}

export const confirmFeature = createConfirmFeature();
