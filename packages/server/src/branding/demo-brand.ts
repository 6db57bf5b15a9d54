import type { AppContext } from '../app-context.js';
import type { BrandingService } from './branding-service.js';

/** A simple Acme Bank mark, so the demo lockscreen has a logo without any download. */
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#1d4ed8"/><path d="M32 12 14 24h36zM18 28h6v18h-6zm11 0h6v18h-6zm11 0h6v18h-6zM14 50h36v4H14z" fill="#fff"/></svg>`;

/** The number the demo brand calls from (and the only one it may sign for). */
export const DEMO_BRAND_NUMBER = '+15550199';

/** Idempotent: Acme Bank's brand, so the demo's branded calls work out of the box. */
export async function seedDemoBrand(ctx: AppContext, service: BrandingService): Promise<void> {
  const tenant = await ctx.tenants.bySlug('acme');
  if (!tenant || (await service.brands.list(tenant.id)).length > 0) return;
  await service.brands.create(tenant.id, {
    name: 'Acme Bank',
    logo: { mime: 'image/svg+xml', bytes: Buffer.from(LOGO) },
    reasons: ['Card delivery', 'Fraud check', 'Appointment reminder'],
    // Stored as digits without '+', like the API's normalised input.
    numbers: [DEMO_BRAND_NUMBER.replace(/^\+/, '')],
    content: { kind: 'order', title: 'Your new card is on its way' },
  });
}
