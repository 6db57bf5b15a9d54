import type { EgressPolicy } from '@callsight/protocol';
import { z } from 'zod';
import { wire } from './wire-schema.js';
import type { AppContext } from '../app-context.js';
import { isCidr } from '../core/egress-addresses.js';
import type { HttpApp } from './http-types.js';

const policySchema = wire<EgressPolicy>()(z
  .object({
    allow: z
      .array(z.string().max(50).refine(isCidr, 'must be an IP address or CIDR (10.0.0.0/8, fd00::/8)'))
      .max(100)
      .describe('Internal addresses (CIDRs) this tenant’s webhooks, flow verbs and audio URLs may reach; the public internet needs no entry'),
  })
  .strict());

/** The tenant admin's egress allow-list (see core/egress.ts). */
export async function egressRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/egress-policy',
    { config: { role: 'admin' }, schema: { tags: ['webhooks'], summary: 'Internal addresses this tenant’s server-initiated requests may reach', response: { 200: policySchema } } },
    async (req) => ({ allow: await ctx.egressPolicies.allow(req.principal.tenantId) }),
  );

  app.put(
    '/api/egress-policy',
    {
      config: { role: 'admin' },
      schema: { tags: ['webhooks'], summary: 'Replace the egress allow-list (loopback, private and link-local addresses are refused unless listed)', body: policySchema, response: { 200: policySchema } },
    },
    async (req) => {
      const { tenantId } = req.principal;
      const allow = [...new Set(req.body.allow.map((a) => a.trim()))];
      await ctx.egressPolicies.setAllow(tenantId, allow);
      await ctx.bus.publish({ tenantId, type: 'egress.policy.updated', data: { allow, by: req.principal.userId ?? req.principal.apiKeyId } });
      return { allow };
    },
  );
}
