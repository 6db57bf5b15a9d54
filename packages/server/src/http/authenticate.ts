import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import { hasRole, type Principal } from '../auth/principal.js';
import { SESSION_COOKIE, sessionRef } from '../auth/sessions.js';
import { wsOriginAllowed } from './ws-origin.js';
import { CallsightError, forbidden, unauthorized } from '../core/errors.js';
import type { HttpApp } from './http-types.js';

/** Resolve the caller from `Authorization: Bearer csk_…` or the session cookie. */
export async function resolvePrincipal(ctx: AppContext, req: FastifyRequest): Promise<Principal | null> {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const key = m && (await ctx.apiKeys.verify(m[1]));
    if (!key) return null;
    return { tenantId: key.tenantId, role: key.role, userId: null, apiKeyId: key.id };
  }
  const token = req.cookies?.[SESSION_COOKIE];
  if (token) {
    const user = await ctx.sessions.resolve(token);
    if (user) return { tenantId: user.tenantId, role: user.role, userId: user.id, apiKeyId: null, sessionRef: sessionRef(token) };
  }
  return null;
}

/**
 * One hook guards every API route: routes opt out with `config: { auth: false }` and
 * ask for a minimum role with `config: { role: 'admin' }`, so a forgotten check
 * fails closed.
 */
export function registerAuthHook(app: HttpApp, ctx: AppContext): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config;
    const url = req.routeOptions.url;
    // Only the API is guarded; web assets and the API docs are public.
    if (config?.auth === false || !url || !url.startsWith('/api/') || url.startsWith('/api/docs')) return;
    const principal = await resolvePrincipal(ctx, req);
    if (!principal) throw unauthorized();
    if (config?.role && !hasRole(principal, config.role)) throw forbidden(`Requires role ${config.role}`);
    // A page on another site could open our socket with the user's cookie (cross-site WebSocket hijacking).
    if (url === '/api/ws' && principal.sessionRef && !wsOriginAllowed(req, ctx.config.publicUrl)) {
      throw new CallsightError('origin_not_allowed', 'WebSocket connections with a session cookie must come from this server’s own pages', { status: 403 });
    }
    req.principal = principal;
  });
}
