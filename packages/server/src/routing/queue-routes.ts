import { z } from 'zod';
import { notFound } from '../core/errors.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { routingErrors as E } from './routing-errors.js';
import type { QueueInput } from './routing-repo.js';
import type { RoutingService } from './routing-service.js';
import { queueBody, queueSchema, settingsSchema, skillName, skillSchema } from './routing-schemas.js';

/** Configuration: skills, queues and the tenant's volumes and default limit (supervisors edit, agents read). */
export async function queueRoutes(app: HttpApp, routing: RoutingService): Promise<void> {
  const tags = ['routing'];

  app.get(
    '/api/routing/skills',
    { config: { role: 'agent' }, schema: { tags, summary: 'Skills agents and queues can refer to', response: { 200: z.object({ items: z.array(skillSchema) }) } } },
    async (req) => ({ items: await routing.repo.skills(req.principal.tenantId) }),
  );

  app.post(
    '/api/routing/skills',
    {
      config: { role: 'supervisor' },
      schema: { tags, summary: 'Define a skill', body: z.object({ name: skillName, description: z.string().max(200).nullable().default(null) }).strict(), response: { 201: skillSchema } },
    },
    async (req, reply) => {
      const repo = routing.repo;
      if ((await repo.skills(req.principal.tenantId)).some((s) => s.name === req.body.name)) throw E.skillNameTaken(req.body.name);
      return reply.code(201).send(await repo.createSkill(req.principal.tenantId, req.body.name, req.body.description));
    },
  );

  app.get(
    '/api/routing/queues',
    { config: { role: 'agent' }, schema: { tags, summary: 'Queues of your tenant', response: { 200: z.object({ items: z.array(queueSchema) }) } } },
    async (req) => ({ items: await routing.repo.queues(req.principal.tenantId) }),
  );

  /** Rejects references the tenant does not have, so a bad queue never reaches the allocator. */
  async function validate(tenantId: string, q: QueueInput, selfId?: string) {
    await routing.checkSkills(tenantId, q.skills.map((s) => s.skill));
    if (q.overflowQueueId) {
      if (q.overflowQueueId === selfId || !(await routing.repo.queue(tenantId, q.overflowQueueId))) throw E.unknownQueue(q.overflowQueueId);
    }
    const sameName = await routing.repo.queueByName(tenantId, q.name);
    if (sameName && sameName.id !== selfId) throw E.queueNameTaken(q.name);
  }

  app.post(
    '/api/routing/queues',
    { config: { role: 'supervisor' }, schema: { tags, summary: 'Create a queue', body: queueBody, response: { 201: queueSchema } } },
    async (req, reply) => {
      const { tenantId } = req.principal;
      await validate(tenantId, req.body);
      const queue = await routing.repo.createQueue(tenantId, req.body);
      await routing.queueChanged(queue);
      return reply.code(201).send(queue);
    },
  );

  app.put(
    '/api/routing/queues/:id',
    { config: { role: 'supervisor' }, schema: { tags, summary: 'Replace a queue’s settings', params: idParam('rtq'), body: queueBody, response: { 200: queueSchema } } },
    async (req) => {
      const { tenantId } = req.principal;
      const repo = routing.repo;
      if (!(await repo.queue(tenantId, req.params.id))) throw notFound('Queue');
      await validate(tenantId, req.body, req.params.id);
      await repo.updateQueue(tenantId, req.params.id, req.body);
      const queue = (await repo.queue(tenantId, req.params.id))!;
      await routing.queueChanged(queue);
      return queue;
    },
  );

  app.get(
    '/api/routing/settings',
    { config: { role: 'agent' }, schema: { tags, summary: 'Processing volume per text channel and default text limit', response: { 200: settingsSchema } } },
    async (req) => routing.repo.settings(req.principal.tenantId),
  );

  app.put(
    '/api/routing/settings',
    { config: { role: 'supervisor' }, schema: { tags, summary: 'Set volumes per text channel and the default text limit', body: settingsSchema, response: { 200: settingsSchema } } },
    async (req) => {
      await routing.repo.saveSettings(req.principal.tenantId, req.body);
      return req.body;
    },
  );
}
