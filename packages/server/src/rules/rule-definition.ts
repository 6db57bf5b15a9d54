import { CARD_KINDS, type CxAction, type RuleDefinition, type RuleStep, type RuleTrigger } from '@callsight/protocol';
import { z } from 'zod';
import type { FieldIssue } from '../core/errors.js';
import { compileCondition, type Condition } from './rule-expressions.js';

/**
 * The rule definition's schema and its checks: shape (zod), every `when` compiled
 * (position of the error in the expression), windows bounded, and — across a rule set
 * — no rule whose actions produce events that trigger it again (`findLoop`).
 */
const MAX_WINDOW_S = 7 * 86400;
const typeName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'an event type such as order.delayed or a prefix such as chat.');
const step = z.object({ type: typeName, when: z.string().max(2000).optional() }).strict();
const window = z.number().int().min(1).max(MAX_WINDOW_S);
const text = z.string().min(1).max(1000);

const trigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), event: step }).strict(),
  z.object({ kind: z.literal('sequence'), steps: z.array(step).min(2).max(5), withinSeconds: window }).strict(),
  z.object({ kind: z.literal('absence'), after: step, missing: step, withinSeconds: window }).strict(),
  z.object({ kind: z.literal('count'), event: step, count: z.number().int().min(2).max(1000), withinSeconds: window }).strict(),
]);

const action = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('card'),
      card: z
        .object({
          kind: z.enum(CARD_KINDS),
          title: z.string().max(120).optional(),
          message: z.string().max(500).optional(),
          fields: z
            .array(
              z
                .object({
                  name: z.string().min(1).max(40),
                  label: z.string().min(1).max(80),
                  type: z.enum(['string', 'number', 'date', 'enum', 'boolean']),
                  required: z.boolean().optional(),
                  pattern: z.string().max(200).optional(),
                  min: z.number().optional(),
                  max: z.number().optional(),
                  options: z.array(z.string().max(80)).max(20).optional(),
                  readOnly: z.boolean().optional(),
                })
                .strict(),
            )
            .min(1)
            .max(12)
            .optional(),
          values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
          ttlSeconds: z.number().int().min(1).max(86400).optional(),
        })
        .strict(),
    })
    .strict(),
  z.object({ kind: z.literal('whisper'), text }).strict(),
  z.object({ kind: z.literal('chat_message'), text }).strict(),
  z.object({ kind: z.literal('sms'), text: z.string().min(1).max(640) }).strict(),
  z.object({ kind: z.literal('route_to_last_agent') }).strict(),
  z.object({ kind: z.literal('deflect'), to: z.enum(['chat', 'menu', 'callback']) }).strict(),
  z.object({ kind: z.literal('end_call') }).strict(),
  z.object({ kind: z.literal('say'), text }).strict(),
  z.object({ kind: z.literal('callback'), inMinutes: z.number().int().min(0).max(10080) }).strict(),
  z.object({ kind: z.literal('webhook'), url: z.string().url().max(2000) }).strict(),
]);

export const ruleDefinitionSchema = z
  .object({
    name: z.string().min(1).max(120),
    description: z.string().max(1000).optional(),
    priority: z.number().int().min(0).max(1000).optional(),
    correlate: z.enum(['customer', 'interaction']).optional(),
    trigger,
    while: z.enum(['call_active', 'chat_active', 'no_call_active']).optional(),
    oncePerInteraction: z.boolean().optional(),
    cap: z.object({ max: z.number().int().min(1).max(1000), perSeconds: z.number().int().min(1).max(MAX_WINDOW_S) }).strict().optional(),
    actions: z.array(action).min(1).max(10),
  })
  .strict();

/** The steps of a trigger with their JSON paths. */
export function stepsOf(t: RuleTrigger): { step: RuleStep; path: string }[] {
  switch (t.kind) {
    case 'event':
    case 'count':
      return [{ step: t.event, path: 'trigger.event' }];
    case 'sequence':
      return t.steps.map((s, i) => ({ step: s, path: `trigger.steps.${i}` }));
    case 'absence':
      return [
        { step: t.after, path: 'trigger.after' },
        { step: t.missing, path: 'trigger.missing' },
      ];
  }
}

export type ParsedRule = { ok: true; definition: RuleDefinition; conditions: Map<RuleStep, Condition | null> } | { ok: false; issues: FieldIssue[] };

/** Validates a definition; `pathPrefix` (e.g. `body`) starts every issue's path. */
export function parseRuleDefinition(input: unknown, pathPrefix = 'body'): ParsedRule {
  const r = ruleDefinitionSchema.safeParse(input);
  const at = (p: string) => (pathPrefix ? `${pathPrefix}.${p}` : p);
  if (!r.success) {
    return {
      ok: false,
      issues: r.error.issues.flatMap((i) => {
        const base = i.path.map(String).join('.');
        if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: at(base ? `${base}.${k}` : k), message: 'unknown field' }));
        return [{ path: at(base), message: i.message }];
      }),
    };
  }
  const definition = r.data as RuleDefinition;
  const issues: FieldIssue[] = [];
  const conditions = new Map<RuleStep, Condition | null>();
  for (const { step: s, path } of stepsOf(definition.trigger)) {
    if (s.when === undefined || s.when.trim() === '') {
      conditions.set(s, null);
      continue;
    }
    const c = compileCondition(s.when);
    if (c.ok) conditions.set(s, c.fn);
    else issues.push({ path: at(`${path}.when`), message: c.error.message, position: c.error.position });
  }
  if (issues.length) return { ok: false, issues };
  return { ok: true, definition, conditions };
}

/** Event types each action's effect publishes (what a rule could re-trigger itself with). */
export const ACTION_EVENTS: Record<CxAction['kind'], readonly string[]> = {
  card: ['confirm.presented'],
  whisper: ['rules.whisper'],
  chat_message: ['chat.message'],
  sms: ['sms.sent', 'sms.failed'],
  route_to_last_agent: ['routing.offered', 'routing.assigned'],
  deflect: ['deflect.offered', 'deflect.sms.sent', 'deflect.sms.failed', 'sms.sent'],
  end_call: ['call.ended'],
  say: [],
  callback: ['callback.booked'],
  webhook: [],
};

const matchesType = (pattern: string, type: string) => pattern === type || (pattern.endsWith('.') && type.startsWith(pattern));

/**
 * A chain of rules where each one's actions produce an event that triggers the next,
 * back to the first: refused at activation. Returns the names in order, or null.
 */
export function findLoop(rules: { id: string; definition: RuleDefinition }[]): string[] | null {
  const triggers = (r: RuleDefinition, type: string) => stepsOf(r.trigger).some(({ step }) => matchesType(step.type, type));
  const edges = new Map<string, string[]>();
  for (const a of rules) {
    const produced = a.definition.actions.flatMap((x) => ACTION_EVENTS[x.kind]);
    edges.set(
      a.id,
      rules.filter((b) => produced.some((t) => triggers(b.definition, t))).map((b) => b.id),
    );
  }
  const byId = new Map(rules.map((r) => [r.id, r]));
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 2) return null;
    if (state.get(id) === 1) return [...stack.slice(stack.indexOf(id)), id].map((x) => byId.get(x)!.definition.name);
    state.set(id, 1);
    stack.push(id);
    for (const n of edges.get(id) ?? []) {
      const loop = visit(n);
      if (loop) return loop;
    }
    stack.pop();
    state.set(id, 2);
    return null;
  };
  for (const r of rules) {
    const loop = visit(r.id);
    if (loop) return loop;
  }
  return null;
}
