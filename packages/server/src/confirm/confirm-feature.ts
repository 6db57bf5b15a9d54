import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import type { Feature } from '../features.js';
import { DEMO_TENANT } from '../seed/demo-tenant.js';
import type { SendSms } from './card-links.js';
import { answerBodySchema } from './card-schemas.js';
import { CardTemplates, DEMO_TEMPLATES } from './card-templates.js';
import type { Card } from './card-types.js';
import { confirmRoutes } from './confirm-routes.js';
import { ConfirmService } from './confirm-service.js';
import { linkPageRoutes } from './link-page.js';

/** How often each process looks for cards past their expiry. */
const EXPIRY_SWEEP_MS = 500;

interface ConfirmParts {
  service: ConfirmService;
  templates: CardTemplates;
  /** Set once the WebSocket hub exists (start runs after routes). */
  pushLocally?: (tenantId: string, card: Card) => void;
}

/**
 * Confirm cards as a feature. `sendSms` comes from the SMS gateway when one is
 * configured; without it, links are returned for the agent to read out.
 */
export function createConfirmFeature(opts: { sendSms?: SendSms } = {}): Feature {
  // Per server: tests run several servers in one process.
  const byServer = new WeakMap<AppContext, ConfirmParts>();
  const partsFor = (ctx: AppContext): ConfirmParts => {
    let parts = byServer.get(ctx);
    if (!parts) {
      const p: ConfirmParts = {
        templates: new CardTemplates(ctx.store),
        service: new ConfirmService(ctx, { sendSms: opts.sendSms, onPresented: (tenantId, card) => p.pushLocally?.(tenantId, card) }),
      };
      byServer.set(ctx, (parts = p));
    }
    return parts;
  };

  return {
    name: 'confirm',
    routes: async (app, ctx) => {
      const { service, templates } = partsFor(ctx);
      await confirmRoutes(service, templates)(app, ctx);
      await linkPageRoutes(service)(app, ctx);
    },
    async start(ctx, { ws }) {
      const parts = partsFor(ctx);
      // Fast path to the customer's sockets on this process; the confirm.presented
      // event (userIds: [customer]) reaches their sockets on every other process.
      parts.pushLocally = (tenantId, card) => ws.sendToUser(tenantId, card.customerId, { kind: 'card.presented', card });

      ws.handle(
        'card.answer',
        answerBodySchema.extend({ kind: z.literal('card.answer'), ref: z.string().max(64).optional(), cardId: z.string().max(64) }),
        async (client, { kind: _k, ref: _r, cardId, ...answer }) => {
          const card = await parts.service.answer({ via: 'app', principal: client.principal }, cardId, answer);
          return { kind: 'card.answered', card };
        },
      );

      if (ctx.config.seedDemo) {
        const tenant = await ctx.tenants.bySlug(DEMO_TENANT.slug);
        if (tenant) for (const t of DEMO_TEMPLATES) await parts.templates.ensure(tenant.id, t);
      }

      let sweeping = false;
      const timer = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        parts.service
          .expireDue()
          .catch((err) => ctx.log.warn({ err }, 'card expiry sweep failed'))
          .finally(() => (sweeping = false));
      }, EXPIRY_SWEEP_MS);
      timer.unref();
      return async () => clearInterval(timer);
    },
  };
}

export const confirmFeature = createConfirmFeature();
