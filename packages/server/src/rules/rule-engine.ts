import { createHash } from 'node:crypto';
import type { CxAction, RuleDefinition, RuleOutcome, RuleStep } from '@callsight/protocol';
import type { Condition } from './rule-expressions.js';
import { stepsOf } from './rule-definition.js';

/**
 * The rules engine's pure core: events in, firings and a trace out. No store, bus or
 * timers — the runtime (rules-runtime.ts) feeds it, persists what it marks dirty and
 * acts on firings; the backtest feeds it the event log. The same input therefore
 * gives the same firings live, after a restart and in a backtest.
 *
 * - **Event time.** Events are buffered and processed in (time, id) order once the
 *   watermark (`advance(w)`) has passed them; an event older than what was already
 *   processed is still processed (and traced `late`). With `latenessMs` ≥ the
 *   disorder of the input, reordered input gives exactly the in-order result.
 * - **Duplicates** (at-least-once delivery) are dropped by event id for as long as
 *   they could matter (the longest window + lateness); after that a duplicate can
 *   only produce a firing key already taken, which the effect store refuses.
 * - **Keys.** A firing's key is hash(rule id, version, triggering event ids): the
 *   runtime's unique index and the bus's Nats-Msg-Id make its effect happen once.
 * - **Patterns.** `event`; `sequence` (each partial match in its window; on a match,
 *   partials that started before it are dropped — skip past last event); `count`
 *   (sliding window; cleared on firing); `absence` (fires once the watermark passes
 *   the deadline with no `missing` event in the window, ends included).
 * - **State conditions** come from a customer context the engine keeps from the
 *   platform's own events: live calls (`call.created` → `call.ended`), open chats, the
 *   last agent assigned.
 */

export interface EngineEvent {
  id: string;
  type: string;
  time: number;
  customerId: string | null;
  interactionId: string | null;
  source?: string;
  data: Record<string, unknown>;
  /** How many rule firings led to this event (0: none); beyond the limit a firing is stopped as a loop. */
  depth?: number;
}

export interface EngineRule {
  id: string;
  version: number;
  mode: 'active' | 'shadow';
  definition: RuleDefinition;
  conditions: Map<RuleStep, Condition | null>;
}

export interface CustomerContext {
  /** callId → interactionId of the customer's live calls, in the order they started. */
  calls: Record<string, string>;
  /** conversationId → interactionId of open chats. */
  chats: Record<string, string>;
  lastAgentId: string | null;
  /** (time, id) of the newest event applied: a redelivery of it or anything older changes nothing. */
  hw?: [number, string];
}

export interface Firing {
  key: string;
  ruleId: string;
  ruleName: string;
  version: number;
  mode: 'active' | 'shadow';
  priority: number;
  eventIds: string[];
  /** Event time of the completing event (the deadline for absence). */
  at: number;
  customerId: string | null;
  interactionId: string | null;
  /** The event that completed the pattern (the `after` event for absence). */
  event: EngineEvent;
  /** The customer's context when it fired (which call to act on). */
  context: CustomerContext;
  depth: number;
  actions: CxAction[];
}

export interface TraceEntry {
  eventId: string;
  eventType: string;
  time: number;
  interactionId: string | null;
  customerId: string | null;
  ruleId: string;
  ruleName: string;
  version: number;
  outcome: RuleOutcome;
  reason: string;
  latencyUs: number;
  key: string | null;
}

export interface EngineOutput {
  firings: Firing[];
  traces: TraceEntry[];
}

interface Partial {
  ids: string[];
  start: number;
  next: number;
}
interface Pending {
  id: string;
  time: number;
  deadline: number;
  event: EngineEvent;
}
interface RuleState {
  partials?: Partial[];
  counted?: { id: string; time: number }[];
  pending?: Pending[];
  /** Firing times and keys (frequency cap). */
  fired?: [number, string][];
  /** Interactions it fired on, with the key it fired with (once per interaction). */
  once?: [string, string][];
  /** (time, id) of the newest event this state took in: older or equal ones are redeliveries (or too late). */
  hw?: [number, string];
}

export interface EngineOptions {
  latenessMs?: number;
  maxDepth?: number;
  /** Microsecond clock for the trace's latency; defaults to performance.now. */
  clockUs?: () => number;
  /** Traces for rules whose step type matched but whose condition did not (default true). */
  traceNoMatch?: boolean;
}

export const DEFAULT_MAX_DEPTH = 3;
const MAX_PARTIALS = 64;
const PRUNE_EVERY_MS = 1000;
const EMPTY_CTX = (): CustomerContext => ({ calls: {}, chats: {}, lastAgentId: null });

export function effectKey(ruleId: string, version: number, eventIds: readonly string[]): string {
  return createHash('sha256').update(`${ruleId}\u0000${version}\u0000${eventIds.join('\u0000')}`).digest('hex').slice(0, 40);
}

const matchesType = (pattern: string, type: string) => pattern === type || (pattern.endsWith('.') && type.startsWith(pattern));

/** A snapshot entry of engine state (what the runtime stores). */
export interface StateEntry {
  scope: string;
  corr: string;
  state: unknown;
}

export class RuleEngine {
  private rules: EngineRule[] = [];
  /** Step type → the rules with a step of that type (exact); prefixes are checked separately. */
  private byType = new Map<string, EngineRule[]>();
  private byScope = new Map<string, EngineRule>();
  /** Position in priority order, to merge exact-type and prefix candidates. */
  private rank = new Map<EngineRule, number>();
  private byPrefix: { prefix: string; rule: EngineRule }[] = [];
  private readonly buffer: EngineEvent[] = [];
  private readonly buffered = new Set<string>();
  /** Processed event ids → time, kept for the longest window + lateness. */
  private readonly seen = new Map<string, number>();
  private readonly states = new Map<string, RuleState>();
  private readonly contexts = new Map<string, CustomerContext>();
  private readonly dirty = new Set<string>();
  /** Absence deadlines: `scope|corr|pendingId` by deadline, kept sorted. */
  private deadlines: { deadline: number; scope: string; corr: string; id: string }[] = [];
  private processedUpTo = -Infinity;
  private prunedAt = -Infinity;
  private watermark = -Infinity;
  private maxWindowMs = 0;
  private readonly latenessMs: number;
  private readonly maxDepth: number;
  private readonly clockUs: () => number;
  private readonly traceNoMatch: boolean;

  constructor(opts: EngineOptions = {}) {
    this.latenessMs = opts.latenessMs ?? 0;
    this.maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.clockUs = opts.clockUs ?? (() => performance.now() * 1000);
    this.traceNoMatch = opts.traceNoMatch ?? true;
  }

  get depthLimit(): number {
    return this.maxDepth;
  }

  get lateness(): number {
    return this.latenessMs;
  }

  get currentWatermark(): number {
    return this.watermark;
  }

  /** Replaces the rule set. State of versions no longer present is dropped. */
  setRules(rules: EngineRule[]): void {
    this.rules = [...rules].sort((a, b) => (b.definition.priority ?? 100) - (a.definition.priority ?? 100) || a.id.localeCompare(b.id));
    this.byType = new Map();
    this.byScope = new Map(this.rules.map((r) => [scopeOf(r), r]));
    this.rank = new Map(this.rules.map((r, i) => [r, i]));
    this.byPrefix = [];
    this.maxWindowMs = 0;
    for (const r of this.rules) {
      const t = r.definition.trigger;
      if (t.kind !== 'event') this.maxWindowMs = Math.max(this.maxWindowMs, t.withinSeconds * 1000);
      if (r.definition.cap) this.maxWindowMs = Math.max(this.maxWindowMs, r.definition.cap.perSeconds * 1000);
      const types = new Set(stepsOf(t).map((s) => s.step.type));
      for (const type of types) {
        if (type.endsWith('.')) this.byPrefix.push({ prefix: type, rule: r });
        else {
          const list = this.byType.get(type) ?? [];
          list.push(r);
          this.byType.set(type, list);
        }
      }
    }
    const scopes = new Set(this.rules.map(scopeOf));
    for (const k of [...this.states.keys()]) if (!scopes.has(k.slice(0, k.indexOf('|')))) this.states.delete(k);
    this.deadlines = this.deadlines.filter((d) => scopes.has(d.scope));
  }

  /** Queues an event; it is processed once the watermark passes its time. */
  push(e: EngineEvent): void {
    if (this.buffered.has(e.id) || this.seen.has(e.id)) return;
    this.buffered.add(e.id);
    // Keep the buffer sorted by (time, id): most events arrive in order, so search from the end.
    let i = this.buffer.length;
    while (i > 0 && compare(this.buffer[i - 1]!, e) > 0) i--;
    this.buffer.splice(i, 0, e);
  }

  /** The watermark a live runtime uses: the later of the newest event time and the wall clock, minus the lateness. */
  liveWatermark(now: number): number {
    const newest = this.buffer.length ? this.buffer[this.buffer.length - 1]!.time : -Infinity;
    return Math.max(newest, now) - this.latenessMs;
  }

  /** Processes buffered events up to `watermark` (and absence deadlines before it). */
  advance(watermark: number): EngineOutput {
    const out: EngineOutput = { firings: [], traces: [] };
    if (watermark > this.watermark) this.watermark = watermark;
    while (this.buffer.length && this.buffer[0]!.time <= this.watermark) {
      const e = this.buffer.shift()!;
      this.buffered.delete(e.id);
      this.fireDeadlines(e.time, out, false);
      this.process(e, out);
    }
    this.fireDeadlines(this.watermark, out, true);
    this.prune();
    return out;
  }

  /** Processes everything buffered and every pending deadline (end of a backtest). */
  flush(): EngineOutput {
    return this.advance(Infinity);
  }

  get pendingEvents(): number {
    return this.buffer.length;
  }

  /** The next absence deadline, for the runtime's timer. */
  nextDeadline(): number | undefined {
    while (this.deadlines.length && !this.pendingOf(this.deadlines[0]!)) this.deadlines.shift();
    return this.deadlines[0]?.deadline;
  }

  /** Open windows: partial sequences, counted events and pending absences across all rules. */
  openWindows(): number {
    let n = 0;
    for (const s of this.states.values()) n += (s.partials?.length ?? 0) + (s.counted?.length ? 1 : 0) + (s.pending?.length ?? 0);
    return n;
  }

  /** State changed since the last call (to persist); deleted entries have state null. */
  takeDirty(): StateEntry[] {
    const out: StateEntry[] = [];
    for (const k of this.dirty) {
      const [scope, corr] = splitKey(k);
      out.push({ scope, corr, state: scope === 'ctx' ? (this.contexts.get(corr) ?? null) : (this.states.get(k) ?? null) });
    }
    this.dirty.clear();
    return out;
  }

  /** Restores what `takeDirty` gave (after a restart). */
  load(entries: StateEntry[], watermark?: number): void {
    for (const { scope, corr, state } of entries) {
      if (scope === 'ctx') this.contexts.set(corr, state as CustomerContext);
      else if (scope === 'seen') for (const [id, t] of Object.entries(state as Record<string, number>)) this.seen.set(id, t);
      else {
        const s = state as RuleState;
        this.states.set(`${scope}|${corr}`, s);
        for (const p of s.pending ?? []) this.addDeadline({ deadline: p.deadline, scope, corr, id: p.id });
      }
    }
    if (watermark !== undefined && watermark > this.watermark) {
      this.watermark = watermark;
      this.processedUpTo = watermark;
    }
  }

  /** Event ids processed recently (persisted so a restart still drops redeliveries). */
  seenSnapshot(): Record<string, number> {
    return Object.fromEntries(this.seen);
  }

  context(customerId: string): CustomerContext {
    return this.contexts.get(customerId) ?? EMPTY_CTX();
  }

  private process(e: EngineEvent, out: EngineOutput): void {
    this.seen.set(e.id, e.time);
    const late = e.time < this.processedUpTo;
    if (!late) this.processedUpTo = e.time;
    this.updateContext(e);
    if (e.type.startsWith('rules.')) return;
    // Only the rules with a step of this type, in priority order (byType lists are built in it).
    let candidates: readonly EngineRule[] = this.byType.get(e.type) ?? [];
    const prefixed = this.byPrefix.filter((p) => e.type.startsWith(p.prefix));
    if (prefixed.length) {
      const merged = new Set(candidates);
      for (const p of prefixed) merged.add(p.rule);
      candidates = [...merged].sort((a, b) => this.rank.get(a)! - this.rank.get(b)!);
    }
    const fired: Firing[] = [];
    for (const r of candidates) {
      const t0 = this.clockUs();
      const result = this.evaluate(r, e);
      const latencyUs = Math.max(0, Math.round(this.clockUs() - t0));
      if (!result) continue;
      if (result.firing) fired.push(result.firing);
      if (result.outcome === 'no_match' && !this.traceNoMatch) continue;
      out.traces.push({
        eventId: e.id,
        eventType: e.type,
        time: e.time,
        interactionId: e.interactionId,
        customerId: e.customerId,
        ruleId: r.id,
        ruleName: r.definition.name,
        version: r.version,
        outcome: late && result.outcome === 'no_match' ? 'late' : result.outcome,
        reason: late ? `${result.reason} (arrived after later events)` : result.reason,
        latencyUs,
        key: result.firing?.key ?? null,
      });
    }
    out.firings.push(...fired);
  }

  private corrOf(r: EngineRule, e: { customerId: string | null; interactionId: string | null }): string {
    if ((r.definition.correlate ?? 'customer') === 'interaction') return e.interactionId ? `int:${e.interactionId}` : 'none';
    return e.customerId ? `cus:${e.customerId}` : e.interactionId ? `int:${e.interactionId}` : 'none';
  }

  private stateOf(r: EngineRule, corr: string): RuleState {
    const k = `${scopeOf(r)}|${corr}`;
    let s = this.states.get(k);
    if (!s) {
      s = {};
      this.states.set(k, s);
    }
    this.dirty.add(k);
    return s;
  }

  private test(r: EngineRule, step: RuleStep, e: EngineEvent): boolean {
    if (!matchesType(step.type, e.type)) return false;
    const c = r.conditions.get(step);
    if (!c) return true;
    return c({
      event: { id: e.id, type: e.type, time: e.time, source: e.source ?? 'callsight', data: e.data },
      customer: this.celCustomer(e.customerId),
    });
  }

  private celCustomer(customerId: string | null) {
    const ctx = customerId ? this.context(customerId) : EMPTY_CTX();
    return {
      id: customerId ?? '',
      activeCalls: Object.keys(ctx.calls).length,
      activeChats: Object.keys(ctx.chats).length,
      lastAgentId: ctx.lastAgentId ?? '',
    };
  }

  private evaluate(r: EngineRule, e: EngineEvent): { outcome: RuleOutcome; reason: string; firing?: Firing } | null {
    const t = r.definition.trigger;
    // State that counts events takes each one once, in event-time order.
    const stateful = t.kind !== 'event' || !!r.definition.cap || !!r.definition.oncePerInteraction;
    if (stateful) {
      const k = `${scopeOf(r)}|${this.corrOf(r, e)}`;
      const hw = this.states.get(k)?.hw;
      if (hw && (e.time < hw[0] || (e.time === hw[0] && cmpStr(e.id, hw[1]) <= 0))) {
        return e.id === hw[1] || e.time === hw[0]
          ? { outcome: 'duplicate', reason: 'delivered again: already taken into account' }
          : { outcome: 'late', reason: 'arrived after later events of this customer had been evaluated (beyond the allowed lateness): ignored' };
      }
      const result = this.evaluateState(r, e);
      if (result.outcome !== 'no_match') this.stateOf(r, this.corrOf(r, e)).hw = [e.time, e.id];
      return result;
    }
    return this.evaluateState(r, e);
  }

  private evaluateState(r: EngineRule, e: EngineEvent): { outcome: RuleOutcome; reason: string; firing?: Firing } {
    const t = r.definition.trigger;
    const w = t.kind === 'event' ? 0 : t.withinSeconds * 1000;
    switch (t.kind) {
      case 'event': {
        if (!this.test(r, t.event, e)) return { outcome: 'no_match', reason: conditionReason(t.event) };
        return this.complete(r, e, [e.id], e.time, e);
      }
      case 'count': {
        if (!this.test(r, t.event, e)) return { outcome: 'no_match', reason: conditionReason(t.event) };
        const s = this.stateOf(r, this.corrOf(r, e));
        const counted = (s.counted ?? []).filter((c) => c.time > e.time - w && c.time <= e.time && c.id !== e.id);
        counted.push({ id: e.id, time: e.time });
        counted.sort((a, b) => a.time - b.time || cmpStr(a.id, b.id));
        if (counted.length < t.count) {
          s.counted = counted;
          return { outcome: 'progressed', reason: `${counted.length} of ${t.count} ${t.event.type} within ${t.withinSeconds} s` };
        }
        s.counted = [];
        return this.complete(r, e, counted.slice(-t.count).map((c) => c.id), e.time, e);
      }
      case 'sequence': {
        const s = this.stateOf(r, this.corrOf(r, e));
        const partials = (s.partials ?? []).filter((p) => e.time - p.start <= w);
        let completed: Partial | undefined;
        let progressed = false;
        for (const p of partials) {
          if (completed) break;
          if (p.ids.includes(e.id)) continue;
          if (!this.test(r, t.steps[p.next]!, e)) continue;
          p.ids.push(e.id);
          p.next++;
          progressed = true;
          if (p.next === t.steps.length) completed = p;
        }
        if (completed) {
          s.partials = [];
          return this.complete(r, e, completed.ids, e.time, e);
        }
        // Only events that started or extended no match may start one: one event is one step.
        const extended = partials.some((p) => p.ids[p.ids.length - 1] === e.id);
        if (!extended && this.test(r, t.steps[0]!, e)) {
          partials.push({ ids: [e.id], start: e.time, next: 1 });
          progressed = true;
        }
        s.partials = partials.slice(-MAX_PARTIALS);
        if (!progressed) return { outcome: 'no_match', reason: `not the next step (${t.steps.map((x) => x.type).join(' → ')})` };
        const best = Math.max(...s.partials.map((p) => p.next));
        return { outcome: 'progressed', reason: `step ${best} of ${t.steps.length} (${t.steps.map((x) => x.type).join(' → ')}) within ${t.withinSeconds} s` };
      }
      case 'absence': {
        const corr = this.corrOf(r, e);
        let outcome: { outcome: RuleOutcome; reason: string } | null = null;
        if (this.test(r, t.missing, e)) {
          const s = this.stateOf(r, corr);
          const before = s.pending?.length ?? 0;
          s.pending = (s.pending ?? []).filter((p) => !(e.time >= p.time && e.time <= p.deadline && p.id !== e.id));
          const cancelled = before - s.pending.length;
          // The cancelled windows' deadlines stay queued and are skipped when they come due
          // (fireDeadlines finds no pending entry): rescanning every open deadline here made
          // each arriving "missing" event cost O(all open windows).
          outcome = { outcome: 'no_match', reason: cancelled ? `${t.missing.type} arrived in time: nothing to do` : `${t.missing.type} with nothing waiting for it` };
        }
        if (this.test(r, t.after, e)) {
          const s = this.stateOf(r, corr);
          const deadline = e.time + w;
          if (!(s.pending ?? []).some((p) => p.id === e.id)) {
            (s.pending ??= []).push({ id: e.id, time: e.time, deadline, event: e });
            this.addDeadline({ deadline, scope: scopeOf(r), corr, id: e.id });
          }
          return { outcome: 'progressed', reason: `waiting ${t.withinSeconds} s for ${t.missing.type}` };
        }
        return outcome ?? { outcome: 'no_match', reason: conditionReason(t.after) };
      }
    }
  }

  private pendingOf(d: { scope: string; corr: string; id: string }): Pending | undefined {
    return this.states.get(`${d.scope}|${d.corr}`)?.pending?.find((x) => x.id === d.id);
  }

  private addDeadline(d: { deadline: number; scope: string; corr: string; id: string }): void {
    let i = this.deadlines.length;
    while (i > 0 && (this.deadlines[i - 1]!.deadline > d.deadline || (this.deadlines[i - 1]!.deadline === d.deadline && cmpStr(this.deadlines[i - 1]!.id, d.id) > 0))) i--;
    this.deadlines.splice(i, 0, d);
  }

  /** Absence windows that closed: deadline < `upTo` (inclusive when `inclusive`, i.e. at the watermark). */
  private fireDeadlines(upTo: number, out: EngineOutput, atWatermark: boolean): void {
    while (this.deadlines.length && (this.deadlines[0]!.deadline < upTo || (atWatermark && this.deadlines[0]!.deadline < upTo))) {
      const d = this.deadlines.shift()!;
      const r = this.byScope.get(d.scope);
      const k = `${d.scope}|${d.corr}`;
      const s = this.states.get(k);
      const p = s?.pending?.find((x) => x.id === d.id);
      if (!r || !s || !p) continue;
      s.pending = s.pending!.filter((x) => x.id !== d.id);
      this.dirty.add(k);
      const t0 = this.clockUs();
      const result = this.complete(r, p.event, [p.id, `absence@${p.deadline}`], p.deadline, p.event);
      const t = r.definition.trigger as Extract<RuleDefinition['trigger'], { kind: 'absence' }>;
      out.traces.push({
        eventId: p.id,
        eventType: p.event.type,
        time: p.deadline,
        interactionId: p.event.interactionId,
        customerId: p.event.customerId,
        ruleId: r.id,
        ruleName: r.definition.name,
        version: r.version,
        outcome: result.outcome,
        reason: result.firing ? `no ${t.missing.type} within ${t.withinSeconds} s` : result.reason,
        latencyUs: Math.max(0, Math.round(this.clockUs() - t0)),
        key: result.firing?.key ?? null,
      });
      if (result.firing) out.firings.push(result.firing);
    }
  }

  /** A trigger completed: state condition, loop limit, caps, then the firing. */
  private complete(r: EngineRule, e: EngineEvent, eventIds: string[], at: number, last: EngineEvent): { outcome: RuleOutcome; reason: string; firing?: Firing } {
    const d = r.definition;
    const ctx = e.customerId ? this.context(e.customerId) : EMPTY_CTX();
    const liveCalls = Object.values(ctx.calls);
    if (d.while === 'call_active' && liveCalls.length === 0 && !(e.interactionId && e.type.startsWith('call.') && e.type !== 'call.ended'))
      return { outcome: 'state_not_met', reason: 'matched, but no call with the customer was active' };
    if (d.while === 'chat_active' && Object.keys(ctx.chats).length === 0) return { outcome: 'state_not_met', reason: 'matched, but no chat with the customer was open' };
    if (d.while === 'no_call_active' && liveCalls.length > 0) return { outcome: 'state_not_met', reason: 'matched, but a call with the customer was active' };
    const depth = (last.depth ?? 0) + 1;
    const key = effectKey(r.id, r.version, eventIds);
    if (depth > this.maxDepth) return { outcome: 'loop_stopped', reason: `stopped: its own actions triggered it ${depth - 1} times in a row (limit ${this.maxDepth})` };
    // The interaction acted on: the event's own, else the customer's newest live call, else open chat.
    const interactionId = e.interactionId ?? liveCalls[liveCalls.length - 1] ?? Object.values(ctx.chats).pop() ?? null;
    const corr = this.corrOf(r, e);
    if (d.oncePerInteraction && interactionId) {
      const s = this.stateOf(r, corr);
      const prior = s.once?.find(([i]) => i === interactionId);
      if (prior && prior[1] !== key) return { outcome: 'once_per_interaction', reason: 'already fired once on this interaction' };
      if (!prior) {
        (s.once ??= []).push([interactionId, key]);
        if (s.once.length > 100) s.once.shift();
      }
    }
    if (d.cap) {
      const s = this.stateOf(r, corr);
      const recent = (s.fired ?? []).filter(([t]) => t > at - d.cap!.perSeconds * 1000);
      if (!recent.some(([, k]) => k === key)) {
        if (recent.length >= d.cap.max) {
          s.fired = recent;
          return { outcome: 'capped', reason: `frequency cap: already ${recent.length} times in ${d.cap.perSeconds} s` };
        }
        recent.push([at, key]);
      }
      s.fired = recent;
    }
    const firing: Firing = {
      key,
      ruleId: r.id,
      ruleName: d.name,
      version: r.version,
      mode: r.mode,
      priority: d.priority ?? 100,
      eventIds,
      at,
      customerId: e.customerId,
      interactionId,
      event: last,
      context: structuredClone(ctx),
      depth,
      actions: d.actions,
    };
    return r.mode === 'shadow'
      ? { outcome: 'shadow_fired', reason: 'matched (shadow mode: actions recorded, not taken)', firing }
      : { outcome: 'fired', reason: 'matched', firing };
  }

  private updateContext(e: EngineEvent): void {
    if (!e.customerId) return;
    const t = e.type;
    if (!(t === 'call.created' || t === 'call.ended' || t === 'chat.message' || t === 'chat.closed' || t === 'routing.assigned')) return;
    const ctx = structuredClone(this.context(e.customerId));
    if (ctx.hw && (e.time < ctx.hw[0] || (e.time === ctx.hw[0] && cmpStr(e.id, ctx.hw[1]) <= 0))) return;
    ctx.hw = [e.time, e.id];
    const d = e.data as Record<string, string | undefined>;
    if (t === 'call.created' && d.callId && e.interactionId) ctx.calls[d.callId] = e.interactionId;
    else if (t === 'call.ended' && d.callId) delete ctx.calls[d.callId];
    else if (t === 'chat.message' && d.conversationId && e.interactionId) ctx.chats[d.conversationId] = e.interactionId;
    else if (t === 'chat.closed' && d.conversationId) delete ctx.chats[d.conversationId];
    else if (t === 'routing.assigned' && d.agentId) ctx.lastAgentId = d.agentId;
    this.contexts.set(e.customerId, ctx);
    this.dirty.add(`ctx|${e.customerId}`);
  }

  private prune(): void {
    const horizon = this.watermark - this.maxWindowMs - this.latenessMs - 1000;
    if (!Number.isFinite(horizon)) return;
    // A sweep walks every id still remembered: once per second of event time, not per advance,
    // or a busy stream pays O(events in the window) for each event.
    if (this.watermark - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = this.watermark;
    for (const [id, t] of this.seen) if (t < horizon) this.seen.delete(id);
  }
}

function conditionReason(step: RuleStep): string {
  return step.when ? `${step.type}: ${step.when} was false` : `not ${step.type}`;
}

const scopeOf = (r: { id: string; version: number }) => `${r.id}@${r.version}`;

function splitKey(k: string): [string, string] {
  const i = k.indexOf('|');
  return [k.slice(0, i), k.slice(i + 1)];
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compare(a: EngineEvent, b: EngineEvent): number {
  return a.time - b.time || cmpStr(a.id, b.id);
}
