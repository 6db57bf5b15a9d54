import type { Feature } from '../core/feature.js';
import { deskRoutes } from './desk-routes.js';
import { DeskService } from './desk-service.js';
import { Consults } from './consult.js';
import { Supervisions } from './supervision.js';

/**
 * The agent desktop and supervisor console's server side: wrap-ups after calls,
 * interactions that close themselves, historical reports, the live wallboard and
 * supervisors on calls (monitor, whisper, barge) and agents' consult transfers and conferences (through telephony when it runs). Built on routing.
 */
export const deskFeature: Feature = {
  name: 'desk',
  needs: ['routing'],
  // Supervising calls joins their media; without telephony the console still shows the wallboard and reports.
  uses: ['telephony'],
  async setup(ctx, { routes, services }) {
    const routing = services.get('routing');
    const desk = new DeskService(ctx, routing);
    await desk.start();
    const supervisions = new Supervisions(ctx);
    const consults = new Consults(ctx, routing);
    await routes.register((app) => deskRoutes(app, ctx, desk, routing, supervisions, consults));
    return () => desk.stop();
  },
};
