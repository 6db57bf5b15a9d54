import { z } from 'zod';
import type { CallRule } from '@callsight/protocol';
import { wire } from '../http/wire-schema.js';

/**
 * Per-number call-control rules: the first rule of the call's direction whose
 * every condition holds decides (`deflect_chat`, `deflect_menu`,
 * `deflect_callback` or `continue`); no match continues the number's flow.
 * Pure: the caller gathers the facts (only those some rule looks at, see
 * `factsNeeded`), so it is cheap to test and to run on every call.
 *
 * Stored rules from before directions, calendars, history and options parse
 * unchanged: every new field is optional and `direction` defaults to inbound.
 */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');
const timeZone = z.string().refine(isTimeZone, 'must be an IANA time zone (Europe/Paris)');
const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD');
const phonePrefix = z.string().regex(/^\+?[0-9]{1,15}$/, 'must be digits, optionally after +');
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const ACTIONS = ['deflect_chat', 'deflect_menu', 'deflect_callback', 'continue'] as const;
export type RuleAction = (typeof ACTIONS)[number];

const conditions = z
  .object({
    callerType: z.enum(['mobile', 'landline', 'any']).optional(),
    /** The caller's number (the called party's on outbound calls) starts with one of `prefixes` or is one of `numbers`. */
    callerNumber: z
      .object({ prefixes: z.array(phonePrefix).max(100).optional(), numbers: z.array(phonePrefix).max(1000).optional() })
      .strict()
      .refine((c) => (c.prefixes?.length ?? 0) + (c.numbers?.length ?? 0) > 0, 'give prefixes or numbers')
      .optional(),
    /** Matches inside [from, to) local time; `to` before `from` spans midnight. */
    hours: z.object({ from: hhmm, to: hhmm, tz: timeZone }).strict().optional(),
    /** Matches on these local weekdays or dates (e.g. weekends and holidays, when the centre is closed). */
    calendar: z
      .object({ tz: timeZone, weekdays: z.array(z.enum(WEEKDAYS)).max(7).optional(), dates: z.array(isoDate).max(366).optional() })
      .strict()
      .refine((c) => (c.weekdays?.length ?? 0) + (c.dates?.length ?? 0) > 0, 'give weekdays or dates')
      .optional(),
    queueWaitAbove: z.number().int().min(0).max(86_400).optional(),
    noAgentsAvailable: z.boolean().optional(),
    /** What we know of the caller: at least `callsAtLeast` earlier calls within `withinDays`, and/or an open conversation. */
    history: z
      .object({
        callsAtLeast: z.number().int().min(1).max(1000).optional(),
        withinDays: z.number().int().min(1).max(365).optional().describe('default 30'),
        openConversation: z.boolean().optional(),
      })
      .strict()
      .refine((h) => h.callsAtLeast !== undefined || h.openConversation !== undefined, 'give callsAtLeast or openConversation')
      .optional(),
    /** Outbound only: the call was placed for one of these campaigns. */
    campaign: z.array(z.string().min(1).max(100)).min(1).max(100).optional(),
  })
  .strict();

/** How a deflection is offered; defaults are the `deflect` verb's. */
const options = z
  .object({
    queue: z.string().min(1).max(100).optional(),
    timeoutSeconds: z.number().int().min(2).max(600).optional(),
    announcement: z.string().min(1).max(2000).optional(),
  })
  .strict();

export const ruleSchema = wire<CallRule>()(z
  .object({
    /** Inbound: evaluated when a call reaches the number. Outbound: when a call from it is not answered or rejected. */
    direction: z.enum(['inbound', 'outbound']).optional().describe('default inbound'),
    when: conditions,
    then: z.enum(ACTIONS),
    options: options.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    // An inbound call has no campaign: such a rule could never match, so it is a mistake.
    if (r.when.campaign && r.direction !== 'outbound') ctx.addIssue({ code: 'custom', path: ['when', 'campaign'], message: 'campaign applies to outbound rules only' });
  }));
export const rulesSchema = z.array(ruleSchema).max(100);

export type DeflectionRule = z.output<typeof ruleSchema>;
export type CallerType = 'mobile' | 'landline' | 'unknown';

export interface CallFacts {
  direction?: 'inbound' | 'outbound';
  callerType: CallerType;
  /** E.164-ish digits of the other party, null when not a phone number. */
  callerNumber?: string | null;
  now: Date;
  /** The longest current wait among the tenant's queues, seconds. */
  queueWaitSeconds: number;
  agentsAvailable: number;
  /** Earlier calls from the caller within N days, for each N some rule asks about. */
  callsWithinDays?: ReadonlyMap<number, number>;
  openConversation?: boolean;
  campaign?: string | null;
}

/** The facts some rule of `direction` looks at, so the caller fetches nothing else. */
export interface FactsNeeded {
  routing: boolean;
  /** The `withinDays` windows of history conditions. */
  historyDays: number[];
  openConversation: boolean;
}

export function factsNeeded(rules: DeflectionRule[], direction: 'inbound' | 'outbound' = 'inbound'): FactsNeeded {
  const days = new Set<number>();
  let routing = false;
  let open = false;
  for (const r of rules) {
    if ((r.direction ?? 'inbound') !== direction) continue;
    if (r.when.queueWaitAbove !== undefined || r.when.noAgentsAvailable !== undefined) routing = true;
    if (r.when.history?.callsAtLeast !== undefined) days.add(r.when.history.withinDays ?? 30);
    if (r.when.history?.openConversation !== undefined) open = true;
  }
  return { routing, historyDays: [...days], openConversation: open };
}

/** Whether any rule looks at routing state (so the caller fetches it only then). */
export const needsRoutingFacts = (rules: DeflectionRule[]) => factsNeeded(rules).routing;

/** The first rule of the call's direction that matches, if any. */
export function matchRule(rules: DeflectionRule[], facts: CallFacts): DeflectionRule | undefined {
  const direction = facts.direction ?? 'inbound';
  const local = new LocalTime(facts.now);
  for (const rule of rules) if ((rule.direction ?? 'inbound') === direction && matches(rule.when, facts, local)) return rule;
  return undefined;
}

export function evaluateRules(rules: DeflectionRule[], facts: CallFacts): RuleAction {
  return matchRule(rules, facts)?.then ?? 'continue';
}

function matches(when: DeflectionRule['when'], f: CallFacts, local: LocalTime): boolean {
  if (when.callerType && when.callerType !== 'any' && when.callerType !== f.callerType) return false;
  if (when.queueWaitAbove !== undefined && !(f.queueWaitSeconds > when.queueWaitAbove)) return false;
  if (when.noAgentsAvailable !== undefined && when.noAgentsAvailable !== (f.agentsAvailable === 0)) return false;
  if (when.campaign && !(f.campaign && when.campaign.includes(f.campaign))) return false;
  if (when.callerNumber) {
    const n = f.callerNumber;
    if (!n || !(when.callerNumber.numbers?.includes(n) || when.callerNumber.prefixes?.some((p) => n.startsWith(p)))) return false;
  }
  if (when.history) {
    const h = when.history;
    if (h.callsAtLeast !== undefined && !((f.callsWithinDays?.get(h.withinDays ?? 30) ?? 0) >= h.callsAtLeast)) return false;
    if (h.openConversation !== undefined && h.openConversation !== (f.openConversation ?? false)) return false;
  }
  if (when.hours) {
    const t = local.in(when.hours.tz).minutes;
    const from = minutes(when.hours.from);
    const to = minutes(when.hours.to);
    const inside = from <= to ? t >= from && t < to : t >= from || t < to;
    if (!inside) return false;
  }
  if (when.calendar) {
    const day = local.in(when.calendar.tz);
    if (!(when.calendar.weekdays?.includes(day.weekday) || when.calendar.dates?.includes(day.date))) return false;
  }
  return true;
}

const minutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/** Formatters are costly to build; one per zone serves every call. */
const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY_OF: Record<string, Weekday> = { Sun: 'sun', Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat' };

interface LocalParts {
  minutes: number;
  weekday: Weekday;
  /** YYYY-MM-DD */
  date: string;
}

/**
 * One instant in several zones. Formatting is the costly part of evaluating
 * rules (µs per zone), and local time only changes at minute boundaries (every
 * zone offset is whole minutes), so each zone is formatted once per minute
 * however many calls and rules ask.
 */
class LocalTime {
  private static readonly byZone = new Map<string, { minute: number; parts: LocalParts }>();
  private readonly minute: number;
  constructor(private readonly at: Date) {
    this.minute = Math.floor(at.getTime() / 60_000);
  }

  in(tz: string): LocalParts {
    const hit = LocalTime.byZone.get(tz);
    if (hit?.minute === this.minute) return hit.parts;
    const parts = localParts(tz, this.at);
    LocalTime.byZone.set(tz, { minute: this.minute, parts });
    return parts;
  }
}

function localParts(tz: string, at: Date): LocalParts {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(tz, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(at)) p[part.type] = part.value;
  return { minutes: Number(p.hour) * 60 + Number(p.minute), weekday: WEEKDAY_OF[p.weekday], date: `${p.year}-${p.month}-${p.day}` };
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
