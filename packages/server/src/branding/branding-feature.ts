import type { AddressInfo } from 'node:net';
import type { Feature } from '../features.js';
import { brandingPublicRoutes } from './branding-public-routes.js';
import { brandingRoutes } from './branding-routes.js';
import { BrandingService } from './branding-service.js';
import { seedDemoBrand } from './demo-brand.js';

/** Branded, verified calls: brand registry, local STI-CA, STIR/SHAKEN signing and verification, lockscreen metadata, call links. */
export const brandingFeature: Feature = {
  name: 'branding',
  async routes(app, ctx) {
    await brandingRoutes(app, ctx);
    await brandingPublicRoutes(app, ctx);
  },
  async start(ctx, { ws, http }) {
    // The listening address is known only after start; URLs are built per use.
    const publicBase = () => {
      if (ctx.config.publicUrl) return ctx.config.publicUrl.replace(/\/$/, '');
      const addr = http.server.address() as AddressInfo | null;
      const host = !addr || addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.address;
      return `http://${host.includes(':') ? `[${host}]` : host}:${addr?.port ?? ctx.config.httpPort}`;
    };
    const service = new BrandingService(ctx, publicBase, ws);
    await service.init();
    if (ctx.config.seedDemo) await seedDemoBrand(ctx, service);
    ctx.services.provide('branding', service);
  },
};
