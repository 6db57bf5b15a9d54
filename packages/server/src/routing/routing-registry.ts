import type { ChatService } from './chat/chat-service.js';
import type { RoutingService } from './routing-service.js';

/** The routing feature's services: `needs: ['routing']` / `['chat']` in a feature, then `ctx.services.get('routing')`. */
declare module '../core/services.js' {
  interface Services {
    routing: RoutingService;
    chat: ChatService;
  }
}
