import { z } from 'zod';
import type { ApiKey } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import type { AppContext } from '../app-context.js';
import { forbidden, notFound } from '../core/errors.js';
import { idParam, roleSchema } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { hasRole } from './principal.js';

const apiKeySchema = wire<ApiKey>()(z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
  revoked: z.boolean(),
}));

export async function apiKeyRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/api-keys',
    {
      config: { role: 'admin' },
      schema: { tags: ['api-keys'], summary: 'List API keys', response: { 200: z.object({ items: z.array(apiKeySchema) }) } },
    },
    async (req) => ({ items: await ctx.apiKeys.list(req.principal.tenantId) }),
  );

  app.post(
    '/api/api-keys',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key; the key is returned once and stored only as a hash',
        body: z.object({ name: z.string().min(1).max(200), role: roleSchema.default('admin') }).strict(),
        response: { 201: apiKeySchema.extend({ key: z.string() }) },
      },
    },
    async (req, reply) => {
      const p = req.principal;
      if (!hasRole(p, req.body.role)) throw forbidden('Cannot create a key with more rights than your own');
      const { apiKey, key } = await ctx.apiKeys.create({
        tenantId: p.tenantId,
        name: req.body.name,
        role: req.body.role,
        createdBy: p.userId ?? p.apiKeyId,
      });
      await ctx.bus.publish({
        tenantId: p.tenantId,
        type: 'apikey.created',
        data: { apiKeyId: apiKey.id, name: apiKey.name, role: apiKey.role },
      });
      return reply.code(201).send({ ...apiKey, key });
    },
  );

  app.delete(
    '/api/api-keys/:id',
    {
      config: { role: 'admin' },
      schema: { tags: ['api-keys'], summary: 'Revoke an API key', params: idParam('key'), response: { 204: z.null() } },
    },
    async (req, reply) => {
      const { tenantId } = req.principal;
      if (!(await ctx.apiKeys.revoke(tenantId, req.params.id))) throw notFound('API key');
      await ctx.bus.publish({ tenantId, type: 'apikey.revoked', data: { apiKeyId: req.params.id } });
      return reply.code(204).send(null);
    },
  );
}
