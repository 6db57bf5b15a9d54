import type { LoginLock } from '@callsight/protocol';
import { z } from 'zod';
import { wire } from '../http/wire-schema.js';
import type { AppContext } from '../app-context.js';
import { notFound } from '../core/errors.js';
import type { HttpApp } from '../http/http-types.js';

const lockSchema = wire<LoginLock>()(z.object({
  email: z.string(),
  address: z.string(),
  failures: z.number(),
  lastFailureAt: z.number(),
  /** 0: counted, not blocked (yet). */
  blockedUntil: z.number(),
}));

/** Failed-login throttles on the tenant's accounts, per client address: see and clear them. */
export async function loginLockRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/login-locks',
    {
      config: { role: 'admin' },
      schema: { tags: ['auth'], summary: 'Recent failed logins on this tenant’s accounts, per address, and the blocks they caused', response: { 200: z.object({ items: z.array(lockSchema) }) } },
    },
    async (req) => ({ items: await ctx.loginThrottle.list(req.principal.tenantId) }),
  );

  app.post(
    '/api/login-locks/clear',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['auth'],
        summary: 'Clear an account’s failed-login count and block (from one address, or every address)',
        body: z.object({ email: z.string().email().max(320), address: z.string().min(1).max(64).optional() }).strict(),
        response: { 200: z.object({ cleared: z.number() }) },
      },
    },
    async (req) => {
      const { tenantId } = req.principal;
      const email = req.body.email.toLowerCase();
      const cleared = await ctx.loginThrottle.clear(tenantId, email, req.body.address);
      if (cleared === 0) throw notFound('Login lock');
      await ctx.bus.publish({ tenantId, type: 'login.lock.cleared', data: { email, address: req.body.address ?? null, by: req.principal.userId ?? req.principal.apiKeyId } });
      return { cleared };
    },
  );
}
