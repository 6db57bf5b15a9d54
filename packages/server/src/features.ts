import type { AppContext } from './app-context.js';
import type { RouteModule } from './http/http-app.js';
import type { HttpApp } from './http/http-types.js';
import type { WsHub } from './http/ws-hub.js';

/**
 * A capability of callsight (telephony, routing, branding…): its routes and a
 * start hook that subscribes to the bus and opens sockets; the returned function
 * stops it on shutdown. Features are started in this order and stopped in reverse.
 */
export interface Feature {
  name: string;
  routes?: RouteModule;
  start?(ctx: AppContext, services: { ws: WsHub; http: HttpApp }): Promise<(() => Promise<void>) | void>;
}

export const features: Feature[] = [];
