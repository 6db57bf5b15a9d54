import type { Feature } from '../../features.js';
import { conferenceRoutes } from './conference-routes.js';
import { Conferences } from './conferences.js';

/** Conference rooms over the telephony feature's live calls and media clock (start after telephony). */
export const conferenceFeature: Feature = {
  name: 'conferences',
  routes: conferenceRoutes,
  async start(ctx) {
    const tel = ctx.services.maybe('telephony');
    if (!tel) return;
    const conferences = new Conferences(ctx, tel.media.clock);
    ctx.services.provide('conferences', conferences);
    return async () => {
      conferences.close();
      ctx.services.remove('conferences');
    };
  },
};
