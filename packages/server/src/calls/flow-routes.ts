import { z } from 'zod';
import type { Flow, PhoneNumber } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';
import type { AppContext } from '../app-context.js';
import { badRequest, conflict, notFound } from '../core/errors.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import type { VerbRegistry } from './flows/verb-registry.js';
import { checkVerbUrls } from './flows/verb-urls.js';

const flowSchema = wire<Flow>()(z.object({ id: z.string(), name: z.string(), verbs: z.array(z.unknown()), createdAt: z.number(), updatedAt: z.number() }));
const numberSchema = wire<PhoneNumber>()(z.object({
  id: z.string(),
  number: z.string(),
  flowId: z.string().nullable(),
  userId: z.string().nullable(),
  trunkId: z.string().nullable(),
  createdAt: z.number(),
}));
const flowName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _');
const numberValue = z.string().regex(/^(\+?[0-9]{2,15}|[a-z][a-z0-9_.-]{0,31})$/, 'E.164, an extension, or a SIP user name');

/** Flows (verb lists) and the numbers that route to them. */
/** `verbs`: the server's verb registry, whose schema lists every verb registered by the features running. */
export async function flowRoutes(app: HttpApp, ctx: AppContext, verbs: VerbRegistry): Promise<void> {
  const verbListSchema = verbs.list;
  const tel = () => ctx.services.get('telephony');
  const strip = <T extends { tenantId: string }>({ tenantId: _t, ...rest }: T) => rest;

  app.get('/api/flows', { config: { role: 'supervisor' }, schema: { tags: ['flows'], summary: 'List flows', response: { 200: z.object({ items: z.array(flowSchema) }) } } }, async (req) => ({
    items: (await tel().flows.list(req.principal.tenantId)).map(strip),
  }));

  app.post(
    '/api/flows',
    {
      config: { role: 'admin' },
      schema: { tags: ['flows'], summary: 'Create a flow: verbs run in order on a call (say, play, gather, dial, record, hangup, redirect, webhook, pause, echo, and the verbs of the features running: enqueue, deflect, room…)', body: z.object({ name: flowName, verbs: verbListSchema }).strict(), response: { 201: flowSchema } },
    },
    async (req, reply) => {
      const { tenantId } = req.principal;
      if (await tel().flows.get(tenantId, req.body.name)) throw conflict('flow_name_taken', `A flow named ${req.body.name} exists`);
      await checkVerbUrls(ctx.egress, tenantId, req.body.verbs);
      return reply.code(201).send(strip(await tel().flows.create(tenantId, req.body.name, req.body.verbs)));
    },
  );

  app.get('/api/flows/:id', { config: { role: 'supervisor' }, schema: { tags: ['flows'], summary: 'Get a flow', params: idParam('flw'), response: { 200: flowSchema } } }, async (req) => {
    const flow = await tel().flows.get(req.principal.tenantId, req.params.id);
    if (!flow) throw notFound('Flow');
    return strip(flow);
  });

  app.put(
    '/api/flows/:id',
    { config: { role: 'admin' }, schema: { tags: ['flows'], summary: 'Replace a flow', params: idParam('flw'), body: z.object({ name: flowName.optional(), verbs: verbListSchema }).strict(), response: { 200: flowSchema } } },
    async (req) => {
      const { tenantId } = req.principal;
      if (!(await tel().flows.get(tenantId, req.params.id))) throw notFound('Flow');
      await checkVerbUrls(ctx.egress, tenantId, req.body.verbs);
      return strip((await tel().flows.update(tenantId, req.params.id, req.body))!);
    },
  );

  app.delete('/api/flows/:id', { config: { role: 'admin' }, schema: { tags: ['flows'], summary: 'Delete a flow no number uses', params: idParam('flw'), response: { 204: z.null() } } }, async (req, reply) => {
    const { tenantId } = req.principal;
    if (!(await tel().flows.get(tenantId, req.params.id))) throw notFound('Flow');
    if (!(await tel().flows.remove(tenantId, req.params.id))) throw conflict('flow_in_use', 'A number routes to this flow');
    return reply.code(204).send(null);
  });

  app.get('/api/numbers', { config: { role: 'supervisor' }, schema: { tags: ['numbers'], summary: 'List numbers', response: { 200: z.object({ items: z.array(numberSchema) }) } } }, async (req) => ({
    items: (await tel().numbers.list(req.principal.tenantId)).map(strip),
  }));

  const routeTarget = async (tenantId: string, body: { flowId?: string | null; userId?: string | null; trunkId?: string | null }) => {
    if (body.flowId && !(await tel().flows.get(tenantId, body.flowId))) throw badRequest('unknown_flow', 'No such flow', [{ path: 'body.flowId', message: 'unknown flow' }]);
    if (body.userId && !(await ctx.users.get(tenantId, body.userId))) throw badRequest('unknown_user', 'No such user', [{ path: 'body.userId', message: 'unknown user' }]);
    if (body.trunkId && !(await tel().trunks.list(tenantId)).some((t) => t.id === body.trunkId)) {
      throw badRequest('unknown_trunk', 'No such trunk', [{ path: 'body.trunkId', message: 'unknown trunk' }]);
    }
  };
  const target = {
    flowId: z.string().regex(/^flw_[0-9a-z]{26}$/).nullable().optional(),
    userId: z.string().regex(/^usr_[0-9a-z]{26}$/).nullable().optional(),
    trunkId: z.string().regex(/^trk_[0-9a-z]{26}$/).nullable().optional(),
  };

  app.post(
    '/api/numbers',
    { config: { role: 'admin' }, schema: { tags: ['numbers'], summary: 'Add a number (DID, extension or SIP user name) routed to a flow or a user', body: z.object({ number: numberValue, ...target }).strict(), response: { 201: numberSchema } } },
    async (req, reply) => {
      const { tenantId } = req.principal;
      await routeTarget(tenantId, req.body);
      if (await tel().numbers.lookup(req.body.number)) throw conflict('number_taken', `${req.body.number} is already assigned`);
      return reply.code(201).send(strip(await tel().numbers.create({ tenantId, ...req.body })));
    },
  );

  app.patch(
    '/api/numbers/:id',
    { config: { role: 'admin' }, schema: { tags: ['numbers'], summary: 'Change where a number routes', params: idParam('num'), body: z.object(target).strict(), response: { 200: numberSchema } } },
    async (req) => {
      const { tenantId } = req.principal;
      if (!(await tel().numbers.get(tenantId, req.params.id))) throw notFound('Number');
      await routeTarget(tenantId, req.body);
      return strip((await tel().numbers.update(tenantId, req.params.id, req.body))!);
    },
  );

  app.delete('/api/numbers/:id', { config: { role: 'admin' }, schema: { tags: ['numbers'], summary: 'Remove a number', params: idParam('num'), response: { 204: z.null() } } }, async (req, reply) => {
    if (!(await tel().numbers.remove(req.principal.tenantId, req.params.id))) throw notFound('Number');
    return reply.code(204).send(null);
  });
}
