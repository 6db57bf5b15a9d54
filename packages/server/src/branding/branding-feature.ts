import type { Feature } from '../core/feature.js';
import { registerBrandingCallHooks } from './branding-call-hooks.js';
import { brandingPublicRoutes } from './branding-public-routes.js';
import { brandingRoutes } from './branding-routes.js';
import { BrandingService } from './branding-service.js';
import { seedDemoBrand } from './demo-brand.js';

/** Branded, verified calls: brand registry, local STI-CA, STIR/SHAKEN signing and verification, lockscreen metadata, call links. */
export const brandingFeature: Feature = {
  name: 'branding',
  provides: ['branding'],
  async setup(ctx, { routes, ws, services, callHooks, baseUrl }) {
    // The listening address is known only after boot; URLs are built per use.
    const service = new BrandingService(ctx, baseUrl, ws);
    await service.init();
    if (ctx.config.seedDemo) await seedDemoBrand(ctx, service);
    services.provide('branding', service);
    const unhook = registerBrandingCallHooks(callHooks, service, ctx.log.child({ component: 'branding' }));
    await routes.register((app) => brandingRoutes(app, ctx));
    await routes.register((app) => brandingPublicRoutes(app, ctx));
    return async () => {
      for (const off of unhook) off();
    };
  },
};
