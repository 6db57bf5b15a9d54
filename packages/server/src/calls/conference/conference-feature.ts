import type { Feature } from '../../core/feature.js';
import { conferenceRoutes } from './conference-routes.js';
import { Conferences } from './conferences.js';

/** Conference rooms over the telephony feature's live calls and media clock. */
export const conferenceFeature: Feature = {
  name: 'conferences',
  needs: ['telephony'],
  provides: ['conferences'],
  async setup(ctx, { routes, services }) {
    const conferences = new Conferences(ctx, services.get('telephony').media.clock);
    services.provide('conferences', conferences);
    await routes.register((app) => conferenceRoutes(app, ctx));
    return async () => {
      conferences.close();
      services.remove('conferences');
    };
  },
};
