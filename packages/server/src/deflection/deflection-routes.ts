import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { notFound } from '../core/errors.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { rulesSchema } from './deflection-rules.js';
import { linkPage } from './link-page.js';

const rulesBody = z.object({ rules: rulesSchema }).strict();

/** The public link page and the per-number rules API. */
export async function deflectionRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const tags = ['deflection'];
  const service = () => ctx.services.get('deflection');

  app.get(
    '/d/:token',
    { config: { auth: false }, schema: { hide: true, params: z.object({ token: z.string().max(200) }).strict() } },
    async (req, reply) => {
      const outcome = await service().open(req.params.token);
      // Never cached: the same URL answers differently once used.
      return reply
        .code(outcome.kind === 'chat' ? 200 : outcome.kind === 'invalid' ? 404 : 410)
        .header('cache-control', 'no-store')
        .header('content-type', 'text/html; charset=utf-8')
        .send(linkPage(outcome));
    },
  );

  const number = async (tenantId: string, id: string) => {
    const n = await ctx.services.get('telephony').numbers.get(tenantId, id);
    if (!n) throw notFound('Number');
    return n;
  };

  app.get(
    '/api/numbers/:id/deflection-rules',
    { config: { role: 'supervisor' }, schema: { tags, summary: 'The deflection rules evaluated when a call reaches the number', params: idParam('num'), response: { 200: rulesBody } } },
    async (req) => {
      await number(req.principal.tenantId, req.params.id);
      return { rules: await service().rules(req.principal.tenantId, req.params.id) };
    },
  );

  app.put(
    '/api/numbers/:id/deflection-rules',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: 'Replace the number’s deflection rules (first match wins: deflect_chat or continue)',
        params: idParam('num'),
        body: rulesBody,
        response: { 200: rulesBody },
      },
    },
    async (req) => {
      await number(req.principal.tenantId, req.params.id);
      await service().saveRules(req.principal.tenantId, req.params.id, req.body.rules);
      return { rules: req.body.rules };
    },
  );
}
