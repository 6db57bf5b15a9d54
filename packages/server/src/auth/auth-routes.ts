import { z } from 'zod';
import type { Tenant } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import type { AppContext } from '../app-context.js';
import { CallsightError, unauthorized } from '../core/errors.js';
import { verifyPassword } from '../core/secrets.js';
import type { HttpApp } from '../http/http-types.js';
import { userSchema } from './user-routes.js';
import { SESSION_COOKIE, sessionRef } from './sessions.js';

const tenantSchema = wire<Tenant>()(z.object({ id: z.string(), name: z.string(), slug: z.string() }));

export async function authRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.post(
    '/api/auth/login',
    {
      config: { auth: false },
      schema: {
        tags: ['auth'],
        summary: 'Log in with email and password; sets an HTTP-only session cookie',
        body: z.object({ email: z.string().email().max(320), password: z.string().min(1).max(1024) }).strict(),
        response: { 200: z.object({ user: userSchema, tenant: tenantSchema }) },
      },
    },
    async (req, reply) => {
      const email = req.body.email.toLowerCase();
      // req.ip is the peer, or X-Forwarded-For's client only when the peer is a configured proxy.
      const wait = await ctx.loginThrottle.retryAfter(email, req.ip);
      if (wait > 0) {
        throw new CallsightError('rate_limited', 'Too many failed logins; try again later', {
          status: 429,
          fields: [{ path: 'retryAfter', message: String(Math.ceil(wait / 1000)) }],
        });
      }
      const user = await ctx.users.byEmailWithHash(email);
      // Verify against a dummy hash when the user is unknown so timing does not reveal which emails exist.
      const ok = await verifyPassword(req.body.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !user.passwordHash || !ok || user.disabled) {
        await ctx.loginThrottle.fail(email, req.ip, user?.tenantId ?? null);
        throw unauthorized('Wrong email or password');
      }
      await ctx.loginThrottle.succeed(email, req.ip);
      const session = await ctx.sessions.create(user);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: req.protocol === 'https',
        expires: new Date(session.expiresAt),
      });
      await ctx.bus.publish({ tenantId: user.tenantId, type: 'user.login', data: { userId: user.id } });
      const tenant = (await ctx.tenants.get(user.tenantId))!;
      const { passwordHash: _hash, ...publicUser } = user;
      return { user: publicUser, tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug } };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { auth: false }, schema: { tags: ['auth'], summary: 'End the session', response: { 204: z.null() } } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) {
        const user = await ctx.sessions.resolve(token);
        await ctx.sessions.destroy(token);
        if (user) await ctx.bus.publish({ tenantId: user.tenantId, type: 'session.ended', data: { userId: user.id, sessionRef: sessionRef(token), reason: 'logout' } });
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The logged-in user (or API key) and its tenant',
        response: {
          200: z.object({
            user: userSchema.nullable(),
            apiKeyId: z.string().nullable(),
            role: z.string(),
            tenant: tenantSchema,
          }),
        },
      },
    },
    async (req) => {
      const p = req.principal;
      const tenant = (await ctx.tenants.get(p.tenantId))!;
      const user = p.userId ? ((await ctx.users.get(p.tenantId, p.userId)) ?? null) : null;
      return { user, apiKeyId: p.apiKeyId, role: p.role, tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug } };
    },
  );
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
