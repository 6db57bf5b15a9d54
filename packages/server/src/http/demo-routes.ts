import type { DemoInfo } from '@callsight/protocol';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { DEMO_TENANT, DEMO_USERS } from '../seed/demo-tenant.js';
import { roleSchema } from './common-schemas.js';
import type { HttpApp } from './http-types.js';
import { wire } from './wire-schema.js';

/**
 * The demo logins, for the landing page to show while the server runs with the
 * demo tenant (the default; CALLSIGHT_SEED_DEMO=false removes it). The password
 * is shown only when it is the well-known default, never a configured one.
 */
export async function demoRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/demo',
    {
      config: { auth: false },
      schema: {
        tags: ['health'],
        summary: 'The demo tenant and its logins, when the server seeds them',
        response: {
          200: wire<DemoInfo>()(z.object({
            enabled: z.boolean(),
            tenant: z.string().nullable(),
            password: z.string().nullable(),
            users: z.array(z.object({ email: z.string(), name: z.string(), role: roleSchema })),
          })),
        },
      },
    },
    async () => {
      if (!ctx.config.seedDemo) return { enabled: false, tenant: null, password: null, users: [] };
      return {
        enabled: true,
        tenant: DEMO_TENANT.name,
        password: ctx.config.demoPassword === 'demo' ? 'demo' : null,
        users: DEMO_USERS.map(({ email, name, role }) => ({ email, name, role })),
      };
    },
  );
}
