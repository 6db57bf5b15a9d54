import { z } from 'zod';
import type { Feature } from '../core/feature.js';
import { echoPurpose } from './echo-purpose.js';
import { iceRoutes } from './ice-routes.js';
import { IceServers } from './ice-servers.js';
import { RtcSignalling } from './rtc-signalling.js';

const rtcIceMsg = z.object({ kind: z.literal('rtc.ice'), ref: z.string().max(64).optional() }).strict();

declare module '../core/services.js' {
  interface Services {
    /** Browser media sessions over /api/ws; other features add purposes (`registerPurpose('call', …)`). */
    rtc: RtcSignalling;
  }
}

export const webrtcFeature: Feature = {
  name: 'webrtc',
  provides: ['rtc'],
  async setup(ctx, { ws, services, routes }) {
    const ice = new IceServers(ctx.config);
    const signalling = new RtcSignalling(ctx);
    signalling.registerPurpose('echo', echoPurpose);
    signalling.register(ws);
    // The softphone asks over its socket before each call; other clients use REST.
    ws.handle('rtc.ice', rtcIceMsg, (client) => ({ kind: 'rtc.ice', ...ice.for(client.principal) }));
    await routes.register((app) => iceRoutes(app, ice));
    services.provide('rtc', signalling);
    return async () => {
      signalling.closeAll('shutdown');
      services.remove('rtc');
    };
  },
};
