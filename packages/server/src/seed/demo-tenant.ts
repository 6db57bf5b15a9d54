import type { AppContext } from '../app-context.js';
import { hashPassword } from '../core/secrets.js';
import type { Role } from '../store/schema.js';

export const DEMO_TENANT = { name: 'Acme Bank', slug: 'acme' } as const;
export const DEMO_USERS: { email: string; name: string; role: Role; phoneNumber: string | null }[] = [
  { email: 'admin@acme.test', name: 'Ada Admin', role: 'admin', phoneNumber: null },
  { email: 'supervisor@acme.test', name: 'Sam Supervisor', role: 'supervisor', phoneNumber: null },
  { email: 'agent@acme.test', name: 'Alex Agent', role: 'agent', phoneNumber: '1001' },
  { email: 'customer@acme.test', name: 'Casey Customer', role: 'customer', phoneNumber: '+15550100' },
];

/** Idempotent: creates what is missing, never overwrites what a person changed. */
export async function seedDemo(ctx: AppContext): Promise<void> {
  let tenant = await ctx.tenants.bySlug(DEMO_TENANT.slug);
  if (!tenant) {
    tenant = await ctx.tenants.create(DEMO_TENANT);
    await ctx.bus.publish({ tenantId: tenant.id, type: 'tenant.created', data: { tenantId: tenant.id, ...DEMO_TENANT } });
  }
  for (const u of DEMO_USERS) {
    if (await ctx.users.byEmailWithHash(u.email)) continue;
    const user = await ctx.users.create({
      tenantId: tenant.id,
      ...u,
      passwordHash: await hashPassword(ctx.config.demoPassword),
    });
    await ctx.bus.publish({ tenantId: tenant.id, type: 'user.created', data: { userId: user.id, email: user.email, role: user.role } });
  }
}
