import type { Feature } from '../core/feature.js';
import { echoPurpose } from './echo-purpose.js';
import { RtcSignalling } from './rtc-signalling.js';

declare module '../core/services.js' {
  interface Services {
    /** Browser media sessions over /api/ws; other features add purposes (`registerPurpose('call', …)`). */
    rtc: RtcSignalling;
  }
}

export const webrtcFeature: Feature = {
  name: 'webrtc',
  provides: ['rtc'],
  async setup(ctx, { ws, services }) {
    const signalling = new RtcSignalling(ctx);
    signalling.registerPurpose('echo', echoPurpose);
    signalling.register(ws);
    services.provide('rtc', signalling);
    return async () => {
      signalling.closeAll('shutdown');
      services.remove('rtc');
    };
  },
};
