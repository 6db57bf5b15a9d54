import { brandingFeature } from './branding/branding-feature.js';
import type { AppContext } from './app-context.js';
import { appPhoneFeature } from './calls/app-phone-feature.js';
import { telephonyFeature } from './calls/telephony-feature.js';
import { conferenceFeature } from './calls/conference/conference-feature.js';
import type { RouteModule } from './http/http-app.js';
import type { HttpApp } from './http/http-types.js';
import type { WsHub } from './http/ws-hub.js';
import { roomsFeature } from './rooms/rooms-feature.js';
import { webrtcFeature } from './webrtc/webrtc-feature.js';
import { routingFeature } from './routing/routing-feature.js';
import { confirmFeature } from './confirm/confirm-feature.js';
import { smsFeature } from './sms/sms-feature.js';
import { deflectionFeature } from './deflection/deflection-feature.js';

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

export const features: Feature[] = [telephonyFeature, conferenceFeature, webrtcFeature, appPhoneFeature, routingFeature, roomsFeature, brandingFeature, confirmFeature, smsFeature, deflectionFeature];
