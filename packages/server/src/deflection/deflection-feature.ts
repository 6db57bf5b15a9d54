import type { Feature } from '../core/feature.js';
import { deflectVerb } from './deflect-verb.js';
import { deflectionRoutes } from './deflection-routes.js';
import { DeflectionService } from './deflection-service.js';

/**
 * Call control and deflection: per-number rules and the `deflect` flow verb move
 * a caller (or, after an unanswered campaign call, the called party) to chat, a
 * visual menu or a callback booking through an SMS link; booked callbacks are
 * dialled at their slot. Needs chat; uses telephony, routing and, to send the link,
 * the SMS feature; without SMS every offer fails over to the flow.
 */
export const deflectionFeature: Feature = {
  name: 'deflection',
  needs: ['chat'],
  uses: ['telephony', 'routing', 'sms'],
  provides: ['deflection'],
  async setup(ctx, { routes, services, verbs, callHooks, baseUrl }) {
    // Links must be reachable from the caller's phone: CALLSIGHT_PUBLIC_URL in production.
    const service = new DeflectionService(ctx, baseUrl);
    await service.start();
    services.provide('deflection', service);
    // 'deflected': the caller took the link and the call has ended, so the flow stops.
    verbs.register('deflect', { schema: deflectVerb, run: async (call, verb) => ((await service.deflect(call, verb)) === 'deflected' ? 'ended' : undefined) });
    const unhook = [
      // The number's call-control rules may put a `deflect` in front of its flow.
      callHooks.beforeFlow((call, number) => service.verbsBefore(call, number)),
      callHooks.onOriginated((call, { campaign }) => campaign && service.watchCampaignCall(call, campaign)),
    ];
    await routes.register((app) => deflectionRoutes(app, ctx));
    return async () => {
      for (const off of unhook) off();
      services.remove('deflection');
      await service.stop();
    };
  },
};
