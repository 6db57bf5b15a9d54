import type { AppContext } from '../app-context.js';
import type { Feature } from '../features.js';
import { echoPurpose } from './echo-purpose.js';
import { RtcSignalling } from './rtc-signalling.js';

/**
 * The signalling instance of the running server, so the calls layer can register its
 * 'call' purpose: `rtcSignallingOf(ctx).registerPurpose('call', …)`. One per AppContext
 * (tests run several servers in one process).
 */
const instances = new WeakMap<AppContext, RtcSignalling>();
export const rtcSignallingOf = (ctx: AppContext): RtcSignalling | undefined => instances.get(ctx);

export const webrtcFeature: Feature = {
  name: 'webrtc',
  async start(ctx, { ws }) {
    const signalling = new RtcSignalling(ctx);
    signalling.registerPurpose('echo', echoPurpose);
    signalling.register(ws);
    instances.set(ctx, signalling);
    return async () => {
      signalling.closeAll('shutdown');
      instances.delete(ctx);
    };
  },
};
