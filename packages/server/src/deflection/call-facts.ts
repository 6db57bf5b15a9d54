import type { AppContext } from '../app-context.js';
import { callerTypeOf } from './caller-type.js';
import { factsNeeded, type CallFacts, type DeflectionRule } from './deflection-rules.js';

const DAY_MS = 86_400_000;

/**
 * The facts a number's rules look at for one call, read from the store and
 * routing only when some rule of that direction needs them (most numbers have
 * no history or queue rules, and those reads are the costly part).
 */
export async function gatherFacts(
  ctx: AppContext,
  rules: DeflectionRule[],
  call: { tenantId: string; direction: 'inbound' | 'outbound'; otherParty: string | null; interactionId: string; campaign?: string | null },
): Promise<CallFacts> {
  const need = factsNeeded(rules, call.direction);
  const now = Date.now();
  const facts: CallFacts = {
    direction: call.direction,
    callerType: callerTypeOf(call.otherParty ?? ''),
    callerNumber: call.otherParty,
    now: new Date(now),
    queueWaitSeconds: 0,
    agentsAvailable: 0,
    campaign: call.campaign ?? null,
  };
  const reads: Promise<void>[] = [];
  if (need.routing) reads.push(routingFacts(ctx, call.tenantId).then((r) => void Object.assign(facts, r)));
  if (call.otherParty && need.historyDays.length) {
    const counts = new Map<number, number>();
    facts.callsWithinDays = counts;
    for (const days of need.historyDays) reads.push(earlierCalls(ctx, call.tenantId, call.otherParty, now - days * DAY_MS, call.interactionId).then((n) => void counts.set(days, n)));
  }
  if (call.otherParty && need.openConversation) reads.push(hasOpenConversation(ctx, call.tenantId, call.otherParty, call.interactionId).then((o) => void (facts.openConversation = o)));
  await Promise.all(reads);
  return facts;
}

async function routingFacts(ctx: AppContext, tenantId: string): Promise<{ queueWaitSeconds: number; agentsAvailable: number }> {
  const routing = ctx.services.maybe('routing');
  if (!routing) return { queueWaitSeconds: 0, agentsAvailable: 0 };
  const [{ waiting }, agents] = await Promise.all([routing.repo.queueStats(tenantId, Date.now()), routing.repo.agents(tenantId)]);
  const oldest = Math.min(Date.now(), ...waiting.map((w) => Number(w.oldest ?? Date.now())));
  return { queueWaitSeconds: (Date.now() - oldest) / 1000, agentsAvailable: agents.filter((a) => a.presence === 'available').length };
}

/**
 * Calls whose From is this number (`sip:<n>@…` or `sips:<n>@…`), as index range
 * scans on (tenant, from_uri): '@' + 1 is 'A', so [`sip:n@`, `sip:nA`) is every host.
 */
const fromRanges = (n: string) => ['sip:', 'sips:'].map((s) => [`${s}${n}@`, `${s}${n}A`] as const);

async function earlierCalls(ctx: AppContext, tenantId: string, number: string, since: number, currentInteraction: string): Promise<number> {
  let total = 0;
  for (const [lo, hi] of fromRanges(number)) {
    const r = await ctx.store.db
      .selectFrom('calls')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('from_uri', '>=', lo)
      .where('from_uri', '<', hi)
      .where('created_at', '>=', since)
      .where('interaction_id', '!=', currentInteraction)
      .executeTakeFirst();
    total += Number(r?.n ?? 0);
  }
  return total;
}

/**
 * An open text conversation with this caller other than the current contact: an
 * SMS thread, or a chat a call of theirs was deflected to. (Calls alone do not
 * count: a call's interaction stays open after it ends.)
 */
async function hasOpenConversation(ctx: AppContext, tenantId: string, number: string, currentInteraction: string): Promise<boolean> {
  const sms = ctx.store.db
    .selectFrom('sms_threads')
    .innerJoin('interactions', 'interactions.id', 'sms_threads.interaction_id')
    .select('sms_threads.id')
    .where('sms_threads.tenant_id', '=', tenantId)
    .where('sms_threads.peer', '=', number)
    .where('sms_threads.interaction_id', '!=', currentInteraction)
    .where('interactions.state', '=', 'open')
    .executeTakeFirst();
  const chat = ctx.store.db
    .selectFrom('deflections')
    .innerJoin('interactions', 'interactions.id', 'deflections.interaction_id')
    .select('deflections.id')
    .where('deflections.tenant_id', '=', tenantId)
    .where('deflections.caller', '=', number)
    .where('deflections.conversation_id', 'is not', null)
    .where('deflections.interaction_id', '!=', currentInteraction)
    .where('interactions.state', '=', 'open')
    .executeTakeFirst();
  const [a, b] = await Promise.all([sms, chat]);
  return !!(a || b);
}
