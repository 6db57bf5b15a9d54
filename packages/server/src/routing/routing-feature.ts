import type { Feature } from '../core/feature.js';
import { ChatService } from './chat/chat-service.js';
import { chatRoutes } from './chat/chat-routes.js';
import { widgetRoutes } from './chat/widget-routes.js';
import { enqueueVerbHandler } from './enqueue-verb.js';
import { queueRoutes } from './queue-routes.js';
import { seedRoutingDemo } from './routing-demo.js';
import type {} from './routing-registry.js';
import { RoutingService } from './routing-service.js';
import { workRoutes } from './work-routes.js';

/**
 * Omnichannel routing (voice, video, chat, SMS, email to agents) and web chat.
 * Other features declare `needs: ['routing']` (or `'chat'`) and use `ctx.services.get('routing')`.
 */
export const routingFeature: Feature = {
  name: 'routing',
  uses: ['telephony'],
  provides: ['routing', 'chat'],
  async setup(ctx, { routes, services, verbs }) {
    const routing = new RoutingService(ctx);
    const chat = new ChatService(ctx, routing);
    services.provide('routing', routing);
    services.provide('chat', chat);
    // Voice calls reach agents through flows: `{ verb: 'enqueue', queue: 'support' }`.
    verbs.register('enqueue', enqueueVerbHandler(ctx, routing));
    await routing.start();
    await chat.start();
    if (ctx.config.seedDemo) await seedRoutingDemo(ctx, routing);
    await routes.register((app) => queueRoutes(app, routing));
    await routes.register((app) => workRoutes(app, ctx, routing));
    await routes.register((app) => chatRoutes(app, ctx, chat, routing));
    await routes.register(widgetRoutes);
    return async () => {
      await chat.stop();
      await routing.stop();
      services.remove('routing');
      services.remove('chat');
    };
  },
};
