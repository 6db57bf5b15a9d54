import type { AppContext } from '../app-context.js';
import { badRequest } from '../core/errors.js';
import type { HttpApp } from '../http/http-types.js';
import { DEFAULT_OUTBOUND_POLICY, outboundPolicySchema } from './outbound-policy.js';
import { OutboundPolicyRepo } from './outbound-policy-repo.js';

/** The tenant's outbound-calling policy: who may call where (see outbound-policy.ts). */
export async function outboundPolicyRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const policies = new OutboundPolicyRepo(ctx.store);
  const tags = ['calls'];

  app.get(
    '/api/outbound-policy',
    {
      config: { role: 'supervisor' },
      schema: { tags, summary: "Who may place calls where: role and user reach, destination rules and per-user limits", response: { 200: outboundPolicySchema } },
    },
    async (req) => policies.get(req.principal.tenantId),
  );

  app.put(
    '/api/outbound-policy',
    {
      config: { role: 'admin' },
      schema: { tags, summary: 'Replace the outbound-calling policy (applies at once to every process)', body: outboundPolicySchema, response: { 200: outboundPolicySchema } },
    },
    async (req) => {
      const { tenantId } = req.principal;
      for (const userId of Object.keys(req.body.users)) {
        if (!(await ctx.users.get(tenantId, userId))) throw badRequest('unknown_user', 'No such user', [{ path: `body.users.${userId}`, message: 'unknown user' }]);
      }
      const saved = await policies.put(tenantId, req.body);
      await ctx.bus.publish({ tenantId, type: 'outbound.policy.updated', data: { by: req.principal.userId ?? req.principal.apiKeyId } });
      return saved;
    },
  );

  app.get(
    '/api/outbound-policy/default',
    { config: { role: 'supervisor' }, schema: { tags, summary: 'The policy of a tenant that never set one', response: { 200: outboundPolicySchema } } },
    async () => DEFAULT_OUTBOUND_POLICY,
  );
}
