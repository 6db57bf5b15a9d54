import type { AppContext } from '../app-context.js';
import type { ChatService } from './chat/chat-service.js';
import type { RoutingService } from './routing-service.js';

declare module '../core/services.js' {
  interface Services {
    routing: RoutingService;
    chat: ChatService;
  }
}

/**
 * The running routing and chat services of a server, for other features:
 *   `routingOf(ctx).enqueue({ tenantId, interactionId, channel: 'voice', queueName: 'support' })`.
 * Registered in `ctx.services` by the routing feature's start.
 */
export const routingOf = (ctx: AppContext): RoutingService => ctx.services.get('routing');
export const chatOf = (ctx: AppContext): ChatService => ctx.services.get('chat');

export function registerRouting(ctx: AppContext, runtime: { routing: RoutingService; chat: ChatService }): void {
  ctx.services.provide('routing', runtime.routing);
  ctx.services.provide('chat', runtime.chat);
}

export function unregisterRouting(ctx: AppContext): void {
  ctx.services.remove('routing');
  ctx.services.remove('chat');
}
