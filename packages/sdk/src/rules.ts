import type {
  BacktestResult,
  CloudEventInput,
  CreatedEventHook,
  EventHook,
  EventHookScheme,
  EventTypeSchema,
  FieldIssue,
  IngestResult,
  Rule,
  RuleDefinition,
  RuleEffect,
  RuleMode,
  RuleTraceEntry,
  RuleVersion,
} from '@callsight/protocol';
import { enc, type Send } from './request.js';

/** The `client.rules` methods: cross-channel rules, their versions, activation, backtests and traces. */
export function ruleMethods(send: Send) {
  return {
    list: () => send<{ items: Rule[] }>('GET', '/api/rules'),
    get: (id: string) => send<Rule & { versions: RuleVersion[] }>('GET', `/api/rules/${enc(id)}`),
    /** Created off: activate it (or run it in shadow) when ready. */
    create: (definition: RuleDefinition) => send<Rule>('POST', '/api/rules', { body: definition }),
    /** Saves a new version; the active version keeps running until the new one is activated. */
    update: (id: string, definition: RuleDefinition) => send<Rule>('PUT', `/api/rules/${enc(id)}`, { body: definition }),
    activate: (id: string, mode: RuleMode, version?: number) => send<Rule>('POST', `/api/rules/${enc(id)}/activate`, { body: { mode, ...(version ? { version } : {}) } }),
    remove: (id: string) => send<void>('DELETE', `/api/rules/${enc(id)}`),
    /** Problems of a definition by path (and position in an expression), without saving it. */
    validate: (definition: unknown) => send<{ valid: boolean; fields: FieldIssue[] }>('POST', '/api/rules/validate', { body: { definition } }),
    /** When a draft rule would have fired over the last `days` of the event log, and what it would have done. */
    backtest: (definition: RuleDefinition, opts: { days?: number; limit?: number } = {}) => send<BacktestResult>('POST', '/api/rules/backtest', { body: { definition, ...opts } }),
    /** The explanation trace of an interaction (and its customer's other events). */
    trace: (query: { interactionId?: string; customerId?: string; ruleId?: string; limit?: number }) => send<{ items: RuleTraceEntry[] }>('GET', '/api/rules/trace', { query }),
    effects: (query: { ruleId?: string; interactionId?: string; limit?: number } = {}) => send<{ items: RuleEffect[] }>('GET', '/api/rules/effects', { query }),
    webhookSecret: () => send<{ secret: string }>('GET', '/api/rules/webhook-secret'),
  };
}

/** The `client.ingest` methods: business events into callsight (CloudEvents 1.0). */
export function ingestMethods(send: Send) {
  return {
    /** `accepted: false` when this `source` + `id` was ingested before. */
    event: (event: CloudEventInput) => send<IngestResult>('POST', '/api/events/ingest', { body: event }),
    /** Customers: report their own app activity as `app.<action>`. */
    activity: (action: string, data: Record<string, string | number | boolean> = {}) => send<IngestResult>('POST', '/api/events/activity', { body: { action, data } }),
    schemas: () => send<{ items: EventTypeSchema[] }>('GET', '/api/events/schemas'),
    putSchema: (type: string, schema: Record<string, unknown>) => send<EventTypeSchema>('PUT', `/api/events/schemas/${enc(type)}`, { body: { schema } }),
    removeSchema: (type: string) => send<void>('DELETE', `/api/events/schemas/${enc(type)}`),
    /** Incoming webhooks: other systems' signed deliveries, ingested as `<typePrefix>.<their type>`. */
    hooks: () => send<{ items: EventHook[] }>('GET', '/api/events/hooks'),
    /** The signing secret is in the answer only (pass `secret` for a sender that makes its own, as Stripe does). */
    createHook: (input: { name: string; scheme: EventHookScheme; typePrefix?: string; secret?: string }) => send<CreatedEventHook>('POST', '/api/events/hooks', { body: input }),
    removeHook: (id: string) => send<void>('DELETE', `/api/events/hooks/${enc(id)}`),
  };
}
