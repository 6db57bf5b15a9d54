import { z } from 'zod';

/**
 * Per-number deflection rules: the first rule whose every condition holds
 * decides (`deflect_chat` or `continue`); no match continues the number's flow.
 * Pure: the caller gathers the facts, so it is cheap to test and to run on
 * every inbound call.
 */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');
const timeZone = z.string().refine(isTimeZone, 'must be an IANA time zone (Europe/Paris)');

export const ruleSchema = z
  .object({
    when: z
      .object({
        callerType: z.enum(['mobile', 'landline', 'any']).optional(),
        /** Matches inside [from, to) local time; `to` before `from` spans midnight. */
        hours: z.object({ from: hhmm, to: hhmm, tz: timeZone }).strict().optional(),
        queueWaitAbove: z.number().int().min(0).max(86_400).optional(),
        noAgentsAvailable: z.boolean().optional(),
      })
      .strict(),
    then: z.enum(['deflect_chat', 'continue']),
  })
  .strict();
export const rulesSchema = z.array(ruleSchema).max(100);

export type DeflectionRule = z.output<typeof ruleSchema>;
export type CallerType = 'mobile' | 'landline' | 'unknown';

export interface CallFacts {
  callerType: CallerType;
  now: Date;
  /** The longest current wait among the tenant's queues, seconds. */
  queueWaitSeconds: number;
  agentsAvailable: number;
}

/** Whether any rule looks at routing state (so the caller fetches it only then). */
export const needsRoutingFacts = (rules: DeflectionRule[]) => rules.some((r) => r.when.queueWaitAbove !== undefined || r.when.noAgentsAvailable !== undefined);

export function evaluateRules(rules: DeflectionRule[], facts: CallFacts): DeflectionRule['then'] {
  for (const rule of rules) if (matches(rule.when, facts)) return rule.then;
  return 'continue';
}

function matches(when: DeflectionRule['when'], f: CallFacts): boolean {
  if (when.callerType && when.callerType !== 'any' && when.callerType !== f.callerType) return false;
  if (when.queueWaitAbove !== undefined && !(f.queueWaitSeconds > when.queueWaitAbove)) return false;
  if (when.noAgentsAvailable !== undefined && when.noAgentsAvailable !== (f.agentsAvailable === 0)) return false;
  if (when.hours) {
    const t = minutesIn(when.hours.tz, f.now);
    const from = minutes(when.hours.from);
    const to = minutes(when.hours.to);
    const inside = from <= to ? t >= from && t < to : t >= from || t < to;
    if (!inside) return false;
  }
  return true;
}

const minutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/** Formatters are costly to build; one per zone serves every call. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function minutesIn(tz: string, at: Date): number {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(tz, f);
  }
  let h = 0;
  let m = 0;
  for (const p of f.formatToParts(at)) {
    if (p.type === 'hour') h = Number(p.value);
    else if (p.type === 'minute') m = Number(p.value);
  }
  return h * 60 + m;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
