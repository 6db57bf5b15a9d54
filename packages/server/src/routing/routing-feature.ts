import type { Feature } from '../features.js';
import { ChatService } from './chat/chat-service.js';
import { chatRoutes } from './chat/chat-routes.js';
import { widgetRoutes } from './chat/widget-routes.js';
import { queueRoutes } from './queue-routes.js';
import { registerRouting, unregisterRouting } from './routing-registry.js';
import { seedRoutingDemo } from './routing-demo.js';
import { RoutingService } from './routing-service.js';
import { workRoutes } from './work-routes.js';

/**
 * Omnichannel routing (voice, video, chat, SMS, email to agents) and web chat.
 * Other features reach the service with `routingOf(ctx)` (routing-registry.ts).
 */
export const routingFeature: Feature = {
  name: 'routing',
  async routes(app, ctx) {
    await queueRoutes(app, ctx);
    await workRoutes(app, ctx);
    await chatRoutes(app, ctx);
    await widgetRoutes(app);
  },
  async start(ctx) {
    const routing = new RoutingService(ctx);
    const chat = new ChatService(ctx, routing);
    registerRouting(ctx, { routing, chat });
    await routing.start();
    await chat.start();
    if (ctx.config.seedDemo) await seedRoutingDemo(ctx, routing);
    return async () => {
      await chat.stop();
      await routing.stop();
      unregisterRouting(ctx);
    };
  },
};
