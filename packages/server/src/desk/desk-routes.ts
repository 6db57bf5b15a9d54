import type { Consult, PendingWrapUp, Report, ReportRow, Supervision, Wallboard, WrapUp } from '@callsight/protocol';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { hasRole } from '../auth/principal.js';
import { badRequest } from '../core/errors.js';
import { idParam } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { wire } from '../http/wire-schema.js';
import type { RoutingService } from '../routing/routing-service.js';
import { deskErrors as E } from './desk-errors.js';
import type { DeskService } from './desk-service.js';
import type { Consults } from './consult.js';
import type { Supervisions } from './supervision.js';
import { reassign } from './reassign.js';
import { buildWallboard } from './wallboard.js';

const channel = z.enum(['voice', 'video', 'chat', 'sms', 'email']);
const pendingSchema = wire<PendingWrapUp>()(
  z.object({
    itemId: z.string(),
    interactionId: z.string(),
    queueId: z.string(),
    channel,
    context: z.record(z.string(), z.unknown()),
    endedAt: z.number(),
    dueAt: z.number(),
    codes: z.array(z.string()),
  }),
);
const wrapUpSchema = wire<WrapUp>()(
  z.object({
    itemId: z.string(),
    interactionId: z.string(),
    agentId: z.string(),
    queueId: z.string(),
    code: z.string().nullable(),
    notes: z.string().nullable(),
    timedOut: z.boolean(),
    doneAt: z.number(),
  }),
);
const reportRowSchema = wire<ReportRow>()(
  z.object({
    key: z.string(),
    name: z.string(),
    handled: z.number(),
    abandoned: z.number(),
    avgWaitMs: z.number().nullable(),
    avgHandleMs: z.number().nullable(),
    slaPercent: z.number().nullable(),
    wrapUpCodes: z.record(z.string(), z.number()),
  }),
);
const reportSchema = wire<Report>()(z.object({ from: z.number(), to: z.number(), by: z.enum(['queue', 'agent']), rows: z.array(reportRowSchema) }));

const MAX_RANGE_MS = 366 * 86_400_000;

const superviseMode = z.enum(['monitor', 'whisper', 'barge']);
const supervisionSchema = wire<Supervision>()(z.object({ callId: z.string(), supervisorCallId: z.string(), supervisorId: z.string(), mode: superviseMode }));
const wallboardSchema = wire<Wallboard>()(
  z.object({
    time: z.number(),
    queues: z.array(
      z.object({
        queueId: z.string(),
        name: z.string(),
        waiting: z.number(),
        longestWaitMs: z.number(),
        answered: z.number(),
        abandoned: z.number(),
        slaPercent: z.number().nullable(),
        slaSeconds: z.number(),
        agents: z.record(z.string(), z.number()),
      }),
    ),
    agents: z.array(
      z.object({
        userId: z.string(),
        name: z.string(),
        presence: z.enum(['available', 'away', 'wrap-up', 'offline']),
        since: z.number(),
        work: z.array(
          z.object({
            itemId: z.string(),
            channel,
            queueName: z.string(),
            customer: z.string(),
            since: z.number(),
            callId: z.string().nullable(),
            supervision: supervisionSchema.nullable(),
          }),
        ),
      }),
    ),
  }),
);
const consultSchema = wire<Consult>()(
  z.object({
    callId: z.string(),
    consultCallId: z.string().nullable(),
    agentId: z.string(),
    to: z.string(),
    targetName: z.string().nullable(),
    queueName: z.string().nullable(),
    mode: z.enum(['consult', 'conference']),
    state: z.enum(['queued', 'ringing', 'consulting', 'conference']),
  }),
);
const callParam = z.object({ id: z.string().regex(/^call_[0-9a-z]{26}$/, 'a call id') }).strict();

/** The agent desktop's wrap-ups and the supervisor console's reports. */
export async function deskRoutes(app: HttpApp, ctx: AppContext, desk: DeskService, routing: RoutingService, supervisions: Supervisions, consults: Consults): Promise<void> {
  const tags = ['desk'];
  const me = (p: { userId: string | null }) => {
    if (!p.userId) throw badRequest('user_session_required', 'This is done by a person: use a user session, not an API key');
    return p.userId;
  };

  app.get(
    '/api/desk/wrap-ups',
    { config: { role: 'agent' }, schema: { tags, summary: 'Your finished calls waiting for a wrap-up (code, notes)', response: { 200: z.object({ items: z.array(pendingSchema) }) } } },
    async (req) => ({ items: await desk.pending(req.principal.tenantId, me(req.principal)) }),
  );

  app.post(
    '/api/desk/wrap-ups/:id',
    {
      config: { role: 'agent' },
      schema: {
        tags,
        summary: "Wrap up a finished call (a code of its queue, notes): ends your wrap-up time; the interaction closes when nothing else of it is live",
        params: idParam('rte'),
        body: z.object({ code: z.string().max(60).nullable().optional(), notes: z.string().max(4000).nullable().optional() }).strict(),
        response: { 200: wrapUpSchema },
      },
    },
    async (req) => {
      const p = req.principal;
      return desk.wrapUp(p.tenantId, hasRole(p, 'supervisor') ? (p.userId === null ? null : await ownOrAny(p.tenantId, req.params.id, p.userId)) : me(p), req.params.id, req.body);
    },
  );

  /** A supervisor wraps up their own calls as an agent, and anyone's as a supervisor. */
  async function ownOrAny(tenantId: string, itemId: string, userId: string): Promise<string | null> {
    const item = await routing.repo.item(itemId);
    return item && item.tenantId === tenantId && item.agentId === userId ? userId : null;
  }

  app.get(
    '/api/interactions/:id/wrap-ups',
    { config: { role: 'agent' }, schema: { tags, summary: 'Wrap-ups of an interaction’s calls', params: idParam('int'), response: { 200: z.object({ items: z.array(wrapUpSchema) }) } } },
    async (req) => ({ items: await desk.ofInteraction(req.principal.tenantId, req.params.id) }),
  );

  app.get(
    '/api/desk/wallboard',
    { config: { role: 'supervisor' }, schema: { tags, summary: 'Live queues (waiting, longest wait, SLA, abandoned, agents by state) and agents (state, since when, current work)', response: { 200: wallboardSchema } } },
    async (req) => buildWallboard(ctx, routing, supervisions, req.principal.tenantId),
  );

  app.post(
    '/api/desk/calls/:id/supervise',
    {
      config: { role: 'supervisor' },
      schema: {
        tags,
        summary: "Monitor (listen), whisper (talk to the agent only) or barge (talk to both) on an agent's call: rings your phones, joins on answer; again to change the mode",
        params: callParam,
        body: z.object({ mode: superviseMode }).strict(),
        response: { 200: supervisionSchema },
      },
    },
    async (req) => supervisions.supervise(req.principal.tenantId, me(req.principal), req.params.id, req.body.mode),
  );

  app.delete(
    '/api/desk/calls/:id/supervise',
    { config: { role: 'supervisor' }, schema: { tags, summary: 'Leave a call you supervise (hangs up your side)', params: callParam, response: { 204: z.null() } } },
    async (req, reply) => {
      await supervisions.stop(req.principal.tenantId, me(req.principal), req.params.id);
      return reply.code(204).send(null);
    },
  );

  // Consult transfers: the agent on the call, or a supervisor (the service checks which call is whose).
  const consultRoute = { role: 'agent' as const };
  app.post(
    '/api/desk/calls/:id/consult',
    {
      config: consultRoute,
      schema: {
        tags,
        summary:
          "Consult before transferring: puts the customer on hold and rings an agent (`user:<id>`), whoever a queue finds (`queue:<id>`) or a number; once they answer you talk, the customer hears neither of you. `mode: conference` adds them instead: you and the customer go on talking while they ring, then all three hear each other",
        params: callParam,
        body: z.object({ to: z.string().min(1).max(500), mode: z.enum(['consult', 'conference']).optional() }).strict(),
        response: { 201: consultSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await consults.start(req.principal, req.params.id, req.body.to, req.body.mode)),
  );

  app.get(
    '/api/desk/calls/:id/consult',
    { config: consultRoute, schema: { tags, summary: 'The consult under way on a call, if any', params: callParam, response: { 200: z.object({ consult: consultSchema.nullable() }) } } },
    async (req) => {
      const consult = consults.of(req.principal.tenantId, req.params.id);
      // Only someone who may act on the call reads its consult.
      if (consult) await consults.authorize(req.principal, req.params.id);
      return { consult };
    },
  );

  app.post(
    '/api/desk/calls/:id/consult/conference',
    { config: consultRoute, schema: { tags, summary: 'Join the customer in: you, the customer and the consulted party all hear each other', params: callParam, response: { 200: consultSchema } } },
    async (req) => consults.conference(req.principal, req.params.id),
  );

  app.post(
    '/api/desk/calls/:id/consult/complete',
    { config: consultRoute, schema: { tags, summary: 'Complete the transfer: the customer and the consulted party are connected, your call ends (your wrap-up starts)', params: callParam, response: { 204: z.null() } } },
    async (req, reply) => {
      await consults.complete(req.principal, req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/desk/calls/:id/consult',
    { config: consultRoute, schema: { tags, summary: 'Cancel the consult: hangs up the consulted party, you and the customer hear each other again', params: callParam, response: { 204: z.null() } } },
    async (req, reply) => {
      await consults.cancel(req.principal, req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/desk/calls/:id/transfer',
    {
      config: consultRoute,
      schema: {
        tags,
        summary: 'Blind transfer: to a queue (`queue:<id>`) the caller waits there for its next agent and your call ends at once; to an agent (`user:<id>`) or a number they ring, and the caller is handed over when they answer',
        params: callParam,
        body: z.object({ to: z.string().min(1).max(500) }).strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await consults.transfer(req.principal, req.params.id, req.body.to);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/desk/items/:id/reassign',
    {
      config: { role: 'supervisor' },
      schema: {
        tags,
        summary: "Move work to another agent or queue. A call an agent is on leaves them (their wrap-up starts) and rings the chosen agent, or waits in the chosen queue; waiting work moves in routing",
        params: idParam('rte'),
        body: z.union([z.object({ agentId: z.string().min(1).max(64) }).strict(), z.object({ queueId: z.string().min(1).max(64) }).strict()]),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await reassign(ctx, routing, consults, req.principal.tenantId, req.params.id, req.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/desk/reports',
    {
      config: { role: 'supervisor' },
      schema: {
        tags,
        summary: 'Handled, abandoned, average wait and handle time, SLA and wrap-up codes per queue or agent over a period',
        querystring: z.object({ from: z.coerce.number().int(), to: z.coerce.number().int(), by: z.enum(['queue', 'agent']).default('queue') }).strict(),
        response: { 200: reportSchema },
      },
    },
    async (req) => {
      const { from, to, by } = req.query;
      if (!(to > from)) throw E.badRange('the end must be after the start');
      if (to - from > MAX_RANGE_MS) throw E.badRange('at most 366 days at a time');
      const { tenantId } = req.principal;
      const items = await ctx.store.db
        .selectFrom('routing_items')
        .leftJoin('desk_wrap_ups', 'desk_wrap_ups.item_id', 'routing_items.id')
        .select(['routing_items.queue_id', 'routing_items.agent_id', 'routing_items.state', 'routing_items.enqueued_at', 'routing_items.assigned_at', 'routing_items.closed_at', 'routing_items.wrap_up_code', 'desk_wrap_ups.code as desk_code'])
        .where('routing_items.tenant_id', '=', tenantId)
        .where('routing_items.state', 'in', ['completed', 'cancelled'])
        .where('routing_items.closed_at', '>=', from)
        .where('routing_items.closed_at', '<', to)
        .execute();
      const queues = new Map((await routing.repo.queues(tenantId)).map((q) => [q.id, q]));
      const users = new Map((await ctx.users.list(tenantId)).map((u) => [u.id, u.name]));
      const rows = new Map<string, { row: ReportRow; waits: number[]; handles: number[]; inSla: number }>();
      const rowOf = (key: string, name: string) => {
        let r = rows.get(key);
        if (!r) rows.set(key, (r = { row: { key, name, handled: 0, abandoned: 0, avgWaitMs: null, avgHandleMs: null, slaPercent: null, wrapUpCodes: {} }, waits: [], handles: [], inSla: 0 }));
        return r;
      };
      if (by === 'queue') for (const q of queues.values()) rowOf(q.id, q.name);
      for (const it of items) {
        const taken = it.assigned_at != null && it.agent_id != null;
        const key = by === 'queue' ? it.queue_id : it.agent_id;
        if (!key) continue;
        const r = rowOf(key, by === 'queue' ? (queues.get(key)?.name ?? 'Deleted queue') : (users.get(key) ?? 'Former agent'));
        if (it.state === 'cancelled' && !taken) {
          r.row.abandoned++;
          continue;
        }
        if (!taken) continue;
        r.row.handled++;
        const wait = Number(it.assigned_at) - Number(it.enqueued_at);
        r.waits.push(wait);
        r.handles.push(Number(it.closed_at) - Number(it.assigned_at));
        if (wait <= (queues.get(it.queue_id)?.slaSeconds ?? 30) * 1000) r.inSla++;
        const code = it.desk_code ?? it.wrap_up_code;
        if (code) r.row.wrapUpCodes[code] = (r.row.wrapUpCodes[code] ?? 0) + 1;
      }
      const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
      const out = [...rows.values()].map(({ row, waits, handles, inSla }) => ({
        ...row,
        avgWaitMs: mean(waits),
        avgHandleMs: mean(handles),
        slaPercent: row.handled ? Math.round((inSla / row.handled) * 100) : null,
      }));
      out.sort((a, b) => a.name.localeCompare(b.name));
      return { from, to, by, rows: out };
    },
  );
}
