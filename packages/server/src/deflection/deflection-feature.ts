import type { AddressInfo } from 'node:net';
import type { Feature } from '../features.js';
import { deflectionRoutes } from './deflection-routes.js';
import { DeflectionService } from './deflection-service.js';

/**
 * Call control and deflection: per-number rules and the `deflect` flow verb move
 * a caller (or, after an unanswered campaign call, the called party) to chat, a
 * visual menu or a callback booking through an SMS link; booked callbacks are
 * dialled at their slot. Needs telephony, routing (chat) and, to send the link,
 * the SMS feature; without SMS every offer fails over to the flow.
 */
export const deflectionFeature: Feature = {
  name: 'deflection',
  routes: deflectionRoutes,
  async start(ctx, { http }) {
    // Links must be reachable from the caller's phone: CALLSIGHT_PUBLIC_URL in production.
    const baseUrl = () => ctx.config.publicUrl?.replace(/\/$/, '') ?? `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
    const service = new DeflectionService(ctx, baseUrl);
    await service.start();
    ctx.services.provide('deflection', service);
    return async () => {
      ctx.services.remove('deflection');
      await service.stop();
    };
  },
};
