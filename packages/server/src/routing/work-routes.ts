import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { hasRole, type Principal } from '../auth/principal.js';
import { badRequest, notFound } from '../core/errors.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import type { AgentRouting } from './routing-model.js';
import type { RoutingService } from './routing-service.js';
import { SLA_WINDOW_MS, queueFigures } from './queue-figures.js';
import {
  agentSchema,
  chosenPresenceSchema,
  enqueueBody,
  itemSchema,
  limitSchema,
  queueStatsSchema,
  skillName,
} from './routing-schemas.js';


/** Work: enqueueing, the agent's own state and offers, supervisor views and actions. */
export async function workRoutes(app: HttpApp, ctx: AppContext, routing: RoutingService): Promise<void> {
  const tags = ['routing'];

  const withUser = async (tenantId: string, a: AgentRouting) => {
    const u = await ctx.users.get(tenantId, a.userId);
    return { ...a, name: u?.name ?? '?', email: u?.email ?? '?' };
  };
  const me = (p: { userId: string | null }) => {
    if (!p.userId) throw badRequest('user_session_required', 'This call acts as an agent: use a user session, not an API key');
    return p.userId;
  };

  app.post(
    '/api/routing/items',
    {
      config: { role: 'agent' },
      schema: { tags, summary: 'Enqueue work for an interaction (what voice, SMS and chat do)', body: enqueueBody, response: { 201: z.object({ itemId: z.string() }) } },
    },
    async (req, reply) => reply.code(201).send(await routing.enqueue({ tenantId: req.principal.tenantId, ...req.body })),
  );

  app.get(
    '/api/routing/items',
    {
      config: { role: 'agent' },
      schema: {
        tags,
        summary: 'Work items (agents see their own unless supervisor)',
        querystring: z
          .object({
            state: z.enum(['queued', 'offered', 'assigned', 'completed', 'cancelled', 'open']).optional(),
            queueId: z.string().max(64).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(itemSchema) }) },
      },
    },
    async (req) => {
      const p = req.principal;
      const q = req.query;
      const states = q.state === 'open' ? (['queued', 'offered', 'assigned'] as const) : q.state ? [q.state] : undefined;
      const agentId = hasRole(p, 'supervisor') ? undefined : me(p);
      return { items: await routing.repo.items({ tenantId: p.tenantId, states: states && [...states], queueId: q.queueId, agentId, limit: q.limit }) };
    },
  );

  app.get(
    '/api/routing/items/:id',
    { config: { role: 'agent' }, schema: { tags, summary: 'Get a work item', params: idParam('rte'), response: { 200: itemSchema } } },
    async (req) => routing.loadItem(req.principal.tenantId, req.params.id),
  );

  /** The agent's answers to an offer and the end of their work: each returns the item as it now is. */
  const completeBody = z.object({ wrapUpCode: z.string().max(60).nullable().default(null) }).strict();
  const agentAction = <B extends z.ZodType>(path: string, summary: string, body: B | null, run: (p: Principal, itemId: string, body: z.output<B>) => Promise<unknown>) =>
    app.post(
      `/api/routing/items/:id/${path}`,
      { config: { role: 'agent' }, schema: { tags, summary, params: idParam('rte'), ...(body ? { body } : {}), response: { 200: itemSchema } } },
      async (req) => {
        await run(req.principal, req.params.id, req.body as z.output<B>);
        return routing.loadItem(req.principal.tenantId, req.params.id);
      },
    );
  agentAction('accept', 'Accept an offer made to you (before it expires)', null, (p, id) => routing.accept(p.tenantId, id, me(p)));
  agentAction('reject', 'Decline an offer made to you: it is offered to someone else', null, (p, id) => routing.reject(p.tenantId, id, me(p)));
  agentAction('complete', 'Finish an item you hold (supervisors: any), with a wrap-up code of its queue', completeBody, (p, id, body) =>
    routing.finish(p.tenantId, id, hasRole(p, 'supervisor') ? null : me(p), body.wrapUpCode),
  );

  app.post(
    '/api/routing/items/:id/cancel',
    {
      config: { role: 'supervisor' },
      schema: { tags, summary: 'Cancel an item (e.g. the customer left)', params: idParam('rte'), body: z.object({ reason: z.string().min(1).max(200) }).strict(), response: { 200: itemSchema } },
    },
    async (req) => {
      await routing.loadItem(req.principal.tenantId, req.params.id);
      await routing.cancel(req.params.id, req.body.reason);
      return routing.loadItem(req.principal.tenantId, req.params.id);
    },
  );

  app.post(
    '/api/routing/items/:id/reassign',
    {
      config: { role: 'supervisor' },
      schema: { tags, summary: 'Give an item to a specific agent (the allocation rule still applies)', params: idParam('rte'), body: z.object({ agentId: z.string().max(64) }).strict(), response: { 200: itemSchema } },
    },
    async (req) => {
      await routing.reassign(req.principal.tenantId, req.params.id, req.body.agentId);
      return routing.loadItem(req.principal.tenantId, req.params.id);
    },
  );

  app.get(
    '/api/routing/me',
    { config: { role: 'agent' }, schema: { tags, summary: 'Your routing state: presence, skills, load and items', response: { 200: z.object({ agent: agentSchema, items: z.array(itemSchema) }) } } },
    async (req) => {
      const userId = me(req.principal);
      const agent = await routing.ensureAgent(req.principal.tenantId, userId);
      const items = await routing.repo.items({ tenantId: req.principal.tenantId, agentId: userId, states: ['offered', 'assigned'], limit: 100 });
      return { agent: await withUser(req.principal.tenantId, agent), items };
    },
  );

  app.put(
    '/api/routing/me/presence',
    { config: { role: 'agent' }, schema: { tags, summary: 'Set your presence', body: z.object({ presence: chosenPresenceSchema }).strict(), response: { 200: agentSchema } } },
    async (req) => withUser(req.principal.tenantId, await routing.setPresence(req.principal.tenantId, me(req.principal), req.body.presence)),
  );

  app.get(
    '/api/routing/agents',
    // Agents read it too: a transfer to a colleague picks them by name and presence.
    { config: { role: 'agent' }, schema: { tags, summary: 'Agents with presence and load', response: { 200: z.object({ items: z.array(agentSchema) }) } } },
    async (req) => {
      const { tenantId } = req.principal;
      const staff = (await ctx.users.list(tenantId)).filter((u) => u.role === 'agent' || u.role === 'supervisor');
      const items = [];
      for (const u of staff) items.push(await withUser(tenantId, await routing.ensureAgent(tenantId, u.id)));
      return { items };
    },
  );

  app.put(
    '/api/routing/agents/:id',
    {
      config: { role: 'supervisor' },
      schema: {
        tags,
        summary: 'Set an agent’s skills (name → level 1–10) and text workload limit',
        params: idParam('usr'),
        body: z.object({ skills: z.record(skillName, z.number().int().min(1).max(10)).optional(), limit: limitSchema.optional() }).strict(),
        response: { 200: agentSchema },
      },
    },
    async (req) => {
      const { tenantId } = req.principal;
      if (!(await ctx.users.get(tenantId, req.params.id))) throw notFound('User');
      return withUser(tenantId, await routing.setAgentProfile(tenantId, req.params.id, req.body));
    },
  );

  app.get(
    '/api/routing/stats',
    { config: { role: 'supervisor' }, schema: { tags, summary: 'Live queue figures: waiting, longest wait, SLA % over the last hour', response: { 200: z.object({ queues: z.array(queueStatsSchema), time: z.number() }) } } },
    async (req) => {
      const { tenantId } = req.principal;
      const now = Date.now();
      const repo = routing.repo;
      const queues = await repo.queues(tenantId);
      const stats = await repo.queueStats(tenantId, now - SLA_WINDOW_MS);
      return {
        time: now,
        queues: queues.map((q) => queueFigures(q, stats, now)),
      };
    },
  );
}
