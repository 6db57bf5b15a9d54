import type { CardField, CardKind, CardValues } from '../cards/card-rules.js';

/**
 * Cross-channel rules: a trigger on event patterns (correlated by customer or
 * interaction) and actions on another channel's live interaction. Conditions are
 * CEL expressions over `event` (`type`, `source`, `time`, `data`) and `customer`
 * (`activeCalls`, `activeChats`, `lastAgentId`).
 */

/** One event of a pattern: its type (`order.delayed`, `call.answered`, `chat.`-prefixes end with a dot) and an optional CEL condition. */
export interface RuleStep {
  type: string;
  when?: string;
}

export type RuleTrigger =
  /** Every matching event. */
  | { kind: 'event'; event: RuleStep }
  /** These steps in order, all within the window of the first. */
  | { kind: 'sequence'; steps: RuleStep[]; withinSeconds: number }
  /** `after`, then no `missing` within the window: fires when the window closes. */
  | { kind: 'absence'; after: RuleStep; missing: RuleStep; withinSeconds: number }
  /** `count` matching events within a sliding window. */
  | { kind: 'count'; event: RuleStep; count: number; withinSeconds: number };

/** A state the customer must be in when the trigger completes ("while a call with that customer is active"). */
export type RuleWhile = 'call_active' | 'chat_active' | 'no_call_active';

/** Texts may use `{{data.orderId}}`, `{{type}}`, `{{customer.lastAgentId}}` from the triggering (last) event. */
export type CxAction =
  | { kind: 'card'; card: { kind: CardKind; title?: string; message?: string; fields?: CardField[]; values?: CardValues; ttlSeconds?: number } }
  | { kind: 'whisper'; text: string }
  | { kind: 'chat_message'; text: string }
  | { kind: 'sms'; text: string }
  | { kind: 'route_to_last_agent' }
  | { kind: 'deflect'; to: 'chat' | 'menu' | 'callback' }
  | { kind: 'end_call' }
  | { kind: 'say'; text: string }
  | { kind: 'callback'; inMinutes: number }
  | { kind: 'webhook'; url: string };

export type CxActionKind = CxAction['kind'];

export interface RuleDefinition {
  name: string;
  description?: string;
  /** Higher runs first when one event completes several rules; 0–1000, default 100. */
  priority?: number;
  /** Whose events are one stream: the customer's (across channels) or one interaction's. Default customer. */
  correlate?: 'customer' | 'interaction';
  trigger: RuleTrigger;
  while?: RuleWhile;
  /** At most once per interaction. */
  oncePerInteraction?: boolean;
  /** Frequency cap per customer: at most `max` firings per `perSeconds`. */
  cap?: { max: number; perSeconds: number };
  actions: CxAction[];
}

/** `active`: fires and acts; `shadow`: evaluated and traced, actions recorded but not taken; `off`: not evaluated. */
export type RuleMode = 'active' | 'shadow' | 'off';

export interface Rule {
  id: string;
  name: string;
  /** The newest saved version (a draft until activated). */
  version: number;
  /** The version being evaluated, null while off. */
  activeVersion: number | null;
  mode: RuleMode;
  definition: RuleDefinition;
  createdAt: number;
  updatedAt: number;
  /** Firings of any version so far (listing only). */
  hits?: number;
  /** Event time of the newest firing, null when it never fired (listing only). */
  lastFiredAt?: number | null;
}

export interface RuleVersion {
  version: number;
  definition: RuleDefinition;
  createdAt: number;
}

/** What happened to one rule on one event, for the explanation trace. */
export type RuleOutcome =
  | 'fired'
  | 'shadow_fired'
  | 'no_match'
  | 'progressed'
  | 'state_not_met'
  | 'capped'
  | 'once_per_interaction'
  | 'duplicate'
  | 'loop_stopped'
  | 'late';

export interface RuleTraceEntry {
  id: string;
  time: number;
  eventId: string;
  eventType: string;
  interactionId: string | null;
  customerId: string | null;
  ruleId: string;
  ruleName: string;
  version: number;
  outcome: RuleOutcome;
  /** A sentence: "amount > 100 was false", "step 2 of 3 (call.created)". */
  reason: string;
  /** Evaluation time of this rule on this event, microseconds. */
  latencyUs: number;
  effectKey: string | null;
  /** The interaction the firing acted on (often another channel's than the event's), null when it did not fire. */
  actedOn?: string | null;
  /** What the actions did, once they ran. */
  actions: CxActionResult[];
}

export interface CxActionResult {
  kind: CxActionKind;
  status: 'done' | 'failed' | 'skipped' | 'shadow';
  detail: string;
}

export interface RuleEffect {
  key: string;
  ruleId: string;
  version: number;
  mode: 'active' | 'shadow';
  eventIds: string[];
  customerId: string | null;
  interactionId: string | null;
  /** Event time of the event that completed the pattern. */
  at: number;
  actions: CxActionResult[];
}

/** A firing a backtest found: when, on which events, and what it would have done. */
export interface BacktestFiring {
  key: string;
  at: number;
  eventIds: string[];
  /** Type of the event that completed the pattern (for absence: the event nobody answered). */
  eventType: string;
  customerId: string | null;
  interactionId: string | null;
  actions: CxAction[];
  /** A sentence saying what would have happened. */
  summary: string;
}

export interface BacktestResult {
  from: number;
  to: number;
  eventsScanned: number;
  firings: BacktestFiring[];
  /** True when the scan stopped at its event limit. */
  truncated: boolean;
}

/** A CloudEvents 1.0 envelope (structured mode, JSON). */
export interface CloudEventInput {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time?: string;
  subject?: string;
  datacontenttype?: string;
  data?: Record<string, unknown>;
  /** Extension attributes: the customer (`usr_…`) and/or interaction (`int_…`) the event is about. */
  customerid?: string;
  interactionid?: string;
}

export interface IngestResult {
  eventId: string;
  /** False when this `source` + `id` was ingested before (nothing new stored). */
  accepted: boolean;
}

/** A JSON Schema (subset: type, properties, required, enum, minimum, maximum, minLength, maxLength, items) for a custom event type's `data`. */
export interface EventTypeSchema {
  type: string;
  schema: Record<string, unknown>;
  updatedAt: number;
}

/**
 * How an incoming webhook's sender signs its deliveries: Standard Webhooks
 * (`webhook-id` / `webhook-timestamp` / `webhook-signature`, also Svix), GitHub
 * (`X-Hub-Signature-256`) or Stripe (`Stripe-Signature`).
 */
export type EventHookScheme = 'standard' | 'github' | 'stripe';

export const EVENT_HOOK_SCHEMES: readonly { scheme: EventHookScheme; label: string; bringsSecret: boolean }[] = [
  { scheme: 'standard', label: 'Standard Webhooks', bringsSecret: false },
  { scheme: 'github', label: 'GitHub', bringsSecret: false },
  // Stripe makes the signing secret (whsec_…) itself: it is pasted, not made here.
  { scheme: 'stripe', label: 'Stripe', bringsSecret: true },
];

/** An incoming webhook: another system's signed deliveries become ingested events `<typePrefix>.<its type>`. */
export interface EventHook {
  id: string;
  name: string;
  scheme: EventHookScheme;
  typePrefix: string;
  /** Path to give the sender, relative to the server's public URL. */
  path: string;
  createdAt: number;
  accepted: number;
  refused: number;
  lastDeliveryAt: number | null;
  /** Why the last refused delivery was refused, in words; null when none was. */
  lastRefusal: string | null;
  lastRefusalAt: number | null;
}

/** Returned once, on creation: the signing secret to give the sender. */
export interface CreatedEventHook extends EventHook {
  secret: string;
}
