import type { BacktestResult, CxActionResult, EventTypeSchema, IngestResult, Rule, RuleDefinition, RuleEffect, RuleTraceEntry, RuleVersion } from '@callsight/protocol';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { hasRole, isStaff } from '../auth/principal.js';
import { badRequest, forbidden, notFound, type FieldIssue } from '../core/errors.js';
import { idParam, limitSchema } from '../http/common-schemas.js';
import type { HttpApp } from '../http/http-types.js';
import { wire } from '../http/wire-schema.js';
import type { RulesService } from './rules-service.js';

const definition = z.custom<RuleDefinition>((v) => typeof v === 'object' && v !== null);
const ruleSchema = wire<Rule>()(
  z.object({
    id: z.string(),
    name: z.string(),
    version: z.number(),
    activeVersion: z.number().nullable(),
    mode: z.enum(['active', 'shadow', 'off']),
    definition,
    createdAt: z.number(),
    updatedAt: z.number(),
    hits: z.number().optional(),
    lastFiredAt: z.number().nullable().optional(),
  }),
);
const versionSchema = wire<RuleVersion>()(z.object({ version: z.number(), definition, createdAt: z.number() }));
const resultSchema = wire<CxActionResult>()(
  z.object({
    kind: z.enum(['card', 'whisper', 'chat_message', 'sms', 'route_to_last_agent', 'deflect', 'end_call', 'say', 'callback', 'webhook']),
    status: z.enum(['done', 'failed', 'skipped', 'shadow']),
    detail: z.string(),
  }),
);
const traceSchema = wire<RuleTraceEntry>()(
  z.object({
    id: z.string(),
    time: z.number(),
    eventId: z.string(),
    eventType: z.string(),
    interactionId: z.string().nullable(),
    customerId: z.string().nullable(),
    ruleId: z.string(),
    ruleName: z.string(),
    version: z.number(),
    outcome: z.enum(['fired', 'shadow_fired', 'no_match', 'progressed', 'state_not_met', 'capped', 'once_per_interaction', 'duplicate', 'loop_stopped', 'late']),
    reason: z.string(),
    latencyUs: z.number(),
    effectKey: z.string().nullable(),
    actedOn: z.string().nullable().optional(),
    actions: z.array(resultSchema),
  }),
);
const effectSchema = wire<RuleEffect>()(
  z.object({
    key: z.string(),
    ruleId: z.string(),
    version: z.number(),
    mode: z.enum(['active', 'shadow']),
    eventIds: z.array(z.string()),
    customerId: z.string().nullable(),
    interactionId: z.string().nullable(),
    at: z.number(),
    actions: z.array(resultSchema),
  }),
);
const backtestSchema = wire<BacktestResult>()(
  z.object({
    from: z.number(),
    to: z.number(),
    eventsScanned: z.number(),
    truncated: z.boolean(),
    firings: z.array(
      z.object({
        key: z.string(),
        at: z.number(),
        eventIds: z.array(z.string()),
        eventType: z.string(),
        customerId: z.string().nullable(),
        interactionId: z.string().nullable(),
        actions: z.array(z.custom<BacktestResult['firings'][number]['actions'][number]>()),
        summary: z.string(),
      }),
    ),
  }),
);
const schemaSchema = wire<EventTypeSchema>()(z.object({ type: z.string(), schema: z.record(z.string(), z.unknown()), updatedAt: z.number() }));
export const ingestSchema = wire<IngestResult>()(z.object({ eventId: z.string(), accepted: z.boolean() }));
const typeParam = z.object({ type: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/i, 'an event type such as order.delayed') }).strict();
const issuesSchema = z.object({ valid: z.boolean(), fields: z.array(z.object({ path: z.string(), message: z.string(), position: z.number().optional() })) });

const CLOUDEVENTS_TYPES = ['application/cloudevents+json'];

/** Ingestion, event-type schemas, rules (versions, activation, validation, backtest), traces and effects. */
export function rulesRoutes(service: RulesService) {
  return async (app: HttpApp, _ctx: AppContext): Promise<void> => {
    const tags = ['rules'];
    for (const t of CLOUDEVENTS_TYPES)
      app.addContentTypeParser(t, { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
        try {
          done(null, JSON.parse(String(body)));
        } catch {
          done(badRequest('event_invalid', 'The body is not JSON', [{ path: 'body', message: 'not valid JSON' }]), undefined);
        }
      });

    app.post(
      '/api/events/ingest',
      {
        config: { role: 'agent' },
        schema: {
          tags,
          summary: 'Ingest a business event (CloudEvents 1.0, structured JSON): deduplicated by source + id, checked against its type’s schema, fed to the rules',
          body: z.unknown(),
          response: { 200: ingestSchema, 202: ingestSchema },
        },
      },
      async (req, reply) => {
        if (!req.principal.apiKeyId && req.principal.role !== 'admin') throw forbidden('Events are ingested with an API key');
        const result = await service.ingest(req.principal.tenantId, req.body);
        return reply.code(result.accepted ? 202 : 200).send(result);
      },
    );

    app.get('/api/events/schemas', { config: { role: 'supervisor' }, schema: { tags, summary: 'Schemas of custom event types', response: { 200: z.object({ items: z.array(schemaSchema) }) } } }, async (req) => ({
      items: await service.repo.schemas(req.principal.tenantId),
    }));

    app.put(
      '/api/events/schemas/:type',
      {
        config: { role: 'admin' },
        schema: { tags, summary: 'Declare the JSON Schema an ingested event type’s data must match', params: typeParam, body: z.object({ schema: z.record(z.string(), z.unknown()) }).strict(), response: { 200: schemaSchema } },
      },
      async (req) => service.putSchema(req.principal.tenantId, req.params.type, req.body.schema),
    );

    app.delete('/api/events/schemas/:type', { config: { role: 'admin' }, schema: { tags, summary: 'Remove an event type’s schema', params: typeParam } }, async (req, reply) => {
      if (!(await service.repo.removeSchema(req.principal.tenantId, req.params.type))) throw notFound('Event type schema');
      return reply.code(204).send();
    });

    app.get('/api/rules', { config: { role: 'supervisor' }, schema: { tags, summary: 'Every rule with its newest version', response: { 200: z.object({ items: z.array(ruleSchema) }) } } }, async (req) => ({
      items: await service.repo.list(req.principal.tenantId),
    }));

    app.post(
      '/api/rules/validate',
      { config: { role: 'supervisor' }, schema: { tags, summary: 'Check a rule definition without saving it: each problem with its path (and position in an expression)', body: z.object({ definition: z.unknown() }).strict(), response: { 200: issuesSchema } } },
      async (req) => {
        const fields: FieldIssue[] = service.check(req.body.definition, 'definition');
        return { valid: fields.length === 0, fields };
      },
    );

    app.post(
      '/api/rules',
      { config: { role: 'admin' }, schema: { tags, summary: 'Create a rule (off until activated)', body: z.unknown(), response: { 201: ruleSchema } } },
      async (req, reply) => reply.code(201).send(await service.create(req.principal.tenantId, req.body)),
    );

    app.get(
      '/api/rules/trace',
      {
        config: { role: 'agent' },
        schema: {
          tags,
          summary: 'The explanation trace of an interaction (and/or a customer): which rules matched or not, why, what they did, how long each took',
          querystring: z
            .object({ interactionId: z.string().max(64).optional(), customerId: z.string().max(64).optional(), ruleId: z.string().max(64).optional(), limit: limitSchema })
            .strict(),
          response: { 200: z.object({ items: z.array(traceSchema) }) },
        },
      },
      async (req) => {
        const q = req.query;
        if (!q.interactionId && !q.customerId && !q.ruleId)
          throw badRequest('validation_failed', 'Give an interactionId, a customerId or a ruleId', [{ path: 'querystring.interactionId', message: 'required (or customerId, or ruleId)' }]);
        // A rule's trace spans every customer: what supervisors see, not an agent.
        if (q.ruleId && !q.interactionId && !q.customerId && !hasRole(req.principal, 'supervisor')) throw forbidden('A rule’s whole trace is for supervisors');
        let customerId = q.customerId;
        if (q.interactionId && !customerId) customerId = (await service.ctx.interactions.get(req.principal.tenantId, q.interactionId))?.customerId ?? undefined;
        return { items: await service.repo.traces({ tenantId: req.principal.tenantId, interactionId: q.interactionId, customerId, ruleId: q.ruleId, limit: q.limit }) };
      },
    );

    app.get(
      '/api/rules/effects',
      {
        config: { role: 'supervisor' },
        schema: {
          tags,
          summary: 'What rules did: one row per firing (its exactly-once key, the events, each action’s result)',
          querystring: z.object({ ruleId: z.string().max(64).optional(), interactionId: z.string().max(64).optional(), limit: limitSchema }).strict(),
          response: { 200: z.object({ items: z.array(effectSchema) }) },
        },
      },
      async (req) => ({ items: await service.repo.effects({ tenantId: req.principal.tenantId, ...req.query }) }),
    );

    app.get(
      '/api/rules/webhook-secret',
      { config: { role: 'admin' }, schema: { tags, summary: 'The secret rule webhooks are signed with (callsight-signature, as event webhooks)', response: { 200: z.object({ secret: z.string() }) } } },
      async (req) => ({ secret: service.actions.webhookSecret(req.principal.tenantId) }),
    );

    app.post(
      '/api/rules/backtest',
      {
        config: { role: 'supervisor' },
        schema: {
          tags,
          summary: 'Run a draft rule over the event log (the last `days`, default 7) and list exactly when it would have fired and what it would have done',
          body: z.object({ definition: z.unknown(), days: z.number().min(0.001).max(90).optional(), limit: z.number().int().min(1).max(200_000).optional() }).strict(),
          response: { 200: backtestSchema },
        },
      },
      async (req) => service.backtest(req.principal.tenantId, req.body.definition, { days: req.body.days ?? 7, limit: req.body.limit }),
    );

    app.get(
      '/api/rules/:id',
      { config: { role: 'supervisor' }, schema: { tags, summary: 'A rule and its versions', params: idParam('rule'), response: { 200: ruleSchema.extend({ versions: z.array(versionSchema) }) } } },
      async (req) => {
        const rule = await service.repo.get(req.principal.tenantId, req.params.id);
        if (!rule) throw notFound('Rule');
        return { ...rule, versions: await service.repo.versions(req.principal.tenantId, rule.id) };
      },
    );

    app.put(
      '/api/rules/:id',
      { config: { role: 'admin' }, schema: { tags, summary: 'Save a new version of a rule (the active version keeps running until the new one is activated)', params: idParam('rule'), body: z.unknown(), response: { 200: ruleSchema } } },
      async (req) => service.update(req.principal.tenantId, req.params.id, req.body),
    );

    app.post(
      '/api/rules/:id/activate',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Run a version of the rule: `active` (acts), `shadow` (evaluated and traced, acts on nothing) or `off`',
          params: idParam('rule'),
          body: z.object({ mode: z.enum(['active', 'shadow', 'off']), version: z.number().int().min(1).optional() }).strict(),
          response: { 200: ruleSchema },
        },
      },
      async (req) => service.activate(req.principal.tenantId, req.params.id, req.body.mode, req.body.version),
    );

    app.delete('/api/rules/:id', { config: { role: 'admin' }, schema: { tags, summary: 'Delete a rule and its versions', params: idParam('rule') } }, async (req, reply) => {
      await service.remove(req.principal.tenantId, req.params.id);
      return reply.code(204).send();
    });

    // Customers' own app activity ("tapped cancel") is an event about themselves.
    app.post(
      '/api/events/activity',
      {
        config: { role: 'customer' },
        schema: {
          tags,
          summary: 'Report app activity of the signed-in customer (`app.<action>`), e.g. {"action":"order.cancel_tapped"}',
          body: z.object({ action: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,60}$/), data: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).optional() }).strict(),
          response: { 202: ingestSchema },
        },
      },
      async (req, reply) => {
        const p = req.principal;
        if (isStaff(p) || !p.userId) throw forbidden('App activity is reported by customers for themselves');
        return reply.code(202).send(await service.activity(p.tenantId, p.userId, req.body.action, req.body.data ?? {}));
      },
    );
  };
}
