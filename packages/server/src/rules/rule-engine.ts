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
/** Bounds the per-type candidate cache when event types are unbounded (ingested custom types). */
const MAX_CACHED_TYPES = 10_000;
const MAX_INTERNED = 1_000_000;

/** Contexts are shared, never changed in place (a firing keeps the one it saw): frozen. */
function freezeContext(ctx: CustomerContext): CustomerContext {
  Object.freeze(ctx.calls);
  Object.freeze(ctx.chats);
  if (ctx.hw) Object.freeze(ctx.hw);
  return Object.freeze(ctx);
}
const EMPTY_CTX: CustomerContext = freezeContext({ calls: {}, chats: {}, lastAgentId: null });

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

type Result = { outcome: RuleOutcome; reason: string; firing?: Firing };
const result = (outcome: RuleOutcome, reason: string): Result => Object.freeze({ outcome, reason });
const DUPLICATE = result('duplicate', 'delivered again: already taken into account');
const LATE = result('late', 'arrived after later events of this customer had been evaluated (beyond the allowed lateness): ignored');
const NO_CALL = result('state_not_met', 'matched, but no call with the customer was active');
const NO_CHAT = result('state_not_met', 'matched, but no chat with the customer was open');
const IN_CALL = result('state_not_met', 'matched, but a call with the customer was active');
const ONCE = result('once_per_interaction', 'already fired once on this interaction');

interface Step {
  type: string;
  cond: Condition | null;
  /** The result when this step does not match (shared: built once per rule). */
  noMatch: Result;
}

/**
 * A rule prepared for evaluation. Its state lives in its own map keyed by the event's
 * correlation (computed once per event), and the texts its traces repeat are built
 * once here: building `scope|corr` keys and reason strings per rule and event was most
 * of the engine's time and garbage.
 */
interface Slot {
  rule: EngineRule;
  scope: string;
  rank: number;
  windowMs: number;
  /** Takes each event once, in event-time order (cap and once-per-interaction count too). */
  stateful: boolean;
  byInteraction: boolean;
  steps: Step[];
  /** corr → state: the engine's map for this scope, so state loaded before setRules is kept. */
  states: Map<string, RuleState>;
  /** corrs whose state changed since takeDirty. */
  dirty: Set<string>;
  /** Trace results by progress (sequence: step reached; count: events counted). */
  progress: Result[];
  notNext?: Result;
  answered?: Result;
  unanswered?: Result;
  waiting?: Result;
}

/** A rule an event type can touch, with the steps (bit i: step i) whose type matches it. */
interface Candidate {
  slot: Slot;
  steps: number;
}

interface Deadline {
  deadline: number;
  scope: string;
  corr: string;
  id: string;
}

export class RuleEngine {
  private slots: Slot[] = [];
  private byScope = new Map<string, Slot>();
  /** Event type → the rules with a step matching it (exact or prefix), in priority order. */
  private candidates = new Map<string, Candidate[]>();
  /** Correlation keys (`cus:…`, `int:…`) by id, one string each: the per-rule state maps then compare keys by identity. */
  private readonly corrOfCustomer = new Map<string, string>();
  private readonly corrOfInteraction = new Map<string, string>();
  private readonly scopeStates = new Map<string, Map<string, RuleState>>();
  private readonly scopeDirty = new Map<string, Set<string>>();
  private readonly buffer: EngineEvent[] = [];
  private readonly buffered = new Set<string>();
  /** Processed event ids → time, kept for the longest window + lateness. */
  private readonly seen = new Map<string, number>();
  private readonly contexts = new Map<string, CustomerContext>();
  private readonly dirtyContexts = new Set<string>();
  /** Absence deadlines, sorted by (deadline, id). */
  private deadlines: Deadline[] = [];
  private processedUpTo = -Infinity;
  private prunedAt = -Infinity;
  private watermark = -Infinity;
  private maxWindowMs = 0;
  /** CEL variables of the event being processed, built on its first condition. */
  private vars: { event: unknown; customer: unknown } | null = null;
  private curSlot: Slot | undefined;
  private curCorr = '';
  private curState: RuleState | undefined;
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
    const sorted = [...rules].sort((a, b) => (b.definition.priority ?? 100) - (a.definition.priority ?? 100) || a.id.localeCompare(b.id));
    this.slots = sorted.map((r, i) => this.slotOf(r, i));
    this.byScope = new Map(this.slots.map((s) => [s.scope, s]));
    this.candidates = new Map();
    this.maxWindowMs = 0;
    for (const s of this.slots) {
      this.maxWindowMs = Math.max(this.maxWindowMs, s.windowMs);
      if (s.rule.definition.cap) this.maxWindowMs = Math.max(this.maxWindowMs, s.rule.definition.cap.perSeconds * 1000);
    }
    for (const scope of [...this.scopeStates.keys()]) if (!this.byScope.has(scope)) this.scopeStates.delete(scope);
    for (const scope of [...this.scopeDirty.keys()]) if (!this.byScope.has(scope)) this.scopeDirty.delete(scope);
    this.deadlines = this.deadlines.filter((d) => this.byScope.has(d.scope));
  }

  private slotOf(r: EngineRule, rank: number): Slot {
    const t = r.definition.trigger;
    const scope = scopeOf(r);
    const steps = stepsOf(t).map(({ step }) => ({
      type: step.type,
      cond: r.conditions.get(step) ?? null,
      noMatch: result('no_match', conditionReason(step)),
    }));
    const s: Slot = {
      rule: r,
      scope,
      rank,
      windowMs: t.kind === 'event' ? 0 : t.withinSeconds * 1000,
      stateful: t.kind !== 'event' || !!r.definition.cap || !!r.definition.oncePerInteraction,
      byInteraction: (r.definition.correlate ?? 'customer') === 'interaction',
      steps,
      states: getOrSet(this.scopeStates, scope, () => new Map()),
      dirty: getOrSet(this.scopeDirty, scope, () => new Set()),
      progress: [],
    };
    if (t.kind === 'sequence') {
      const chain = t.steps.map((x) => x.type).join(' → ');
      s.notNext = result('no_match', `not the next step (${chain})`);
      for (let k = 1; k <= t.steps.length; k++) s.progress[k] = result('progressed', `step ${k} of ${t.steps.length} (${chain}) within ${t.withinSeconds} s`);
    } else if (t.kind === 'absence') {
      s.answered = result('no_match', `${t.missing.type} arrived in time: nothing to do`);
      s.unanswered = result('no_match', `${t.missing.type} with nothing waiting for it`);
      s.waiting = result('progressed', `waiting ${t.withinSeconds} s for ${t.missing.type}`);
    }
    return s;
  }

  private candidatesOf(type: string): Candidate[] {
    let list = this.candidates.get(type);
    if (!list) {
      list = [];
      for (const slot of this.slots) {
        let steps = 0;
        slot.steps.forEach((st, i) => {
          if (matchesType(st.type, type)) steps |= 1 << i;
        });
        if (steps) list.push({ slot, steps });
      }
      if (this.candidates.size >= MAX_CACHED_TYPES) this.candidates.clear();
      this.candidates.set(type, list);
    }
    return list;
  }

  private corrKey(byId: Map<string, string>, prefix: string, id: string): string {
    let k = byId.get(id);
    if (k === undefined) {
      // A cache only (equal strings still find the same state): bounded for unbounded interaction ids.
      if (byId.size >= MAX_INTERNED) byId.clear();
      k = prefix + id;
      byId.set(id, k);
    }
    return k;
  }

  /** The canonical string for a stored correlation key. */
  private internCorr(corr: string): string {
    if (corr.startsWith('cus:')) return this.corrKey(this.corrOfCustomer, 'cus:', corr.slice(4));
    if (corr.startsWith('int:')) return this.corrKey(this.corrOfInteraction, 'int:', corr.slice(4));
    return corr;
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
      this.fireDeadlines(e.time, out);
      this.process(e, out);
    }
    this.fireDeadlines(this.watermark, out);
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
    for (const states of this.scopeStates.values())
      for (const s of states.values()) n += (s.partials?.length ?? 0) + (s.counted?.length ? 1 : 0) + (s.pending?.length ?? 0);
    return n;
  }

  /** State changed since the last call (to persist); deleted entries have state null. */
  takeDirty(): StateEntry[] {
    const out: StateEntry[] = [];
    for (const [scope, corrs] of this.scopeDirty) {
      const states = this.scopeStates.get(scope);
      for (const corr of corrs) out.push({ scope, corr, state: states?.get(corr) ?? null });
      corrs.clear();
    }
    for (const id of this.dirtyContexts) out.push({ scope: 'ctx', corr: id, state: this.contexts.get(id) ?? null });
    this.dirtyContexts.clear();
    return out;
  }

  /** Restores what `takeDirty` gave (after a restart). */
  load(entries: StateEntry[], watermark?: number): void {
    for (const { scope, corr, state } of entries) {
      if (scope === 'ctx') this.contexts.set(corr, freezeContext(state as CustomerContext));
      else if (scope === 'seen') for (const [id, t] of Object.entries(state as Record<string, number>)) this.seen.set(id, t);
      else {
        const s = state as RuleState;
        const key = this.internCorr(corr);
        getOrSet(this.scopeStates, scope, () => new Map()).set(key, s);
        for (const p of s.pending ?? []) this.addDeadline({ deadline: p.deadline, scope, corr: key, id: p.id });
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

  /** The customer's live context. Frozen: it is shared with the firings that saw it. */
  context(customerId: string): CustomerContext {
    return this.contexts.get(customerId) ?? EMPTY_CTX;
  }

  private process(e: EngineEvent, out: EngineOutput): void {
    this.seen.set(e.id, e.time);
    const late = e.time < this.processedUpTo;
    if (!late) this.processedUpTo = e.time;
    this.updateContext(e);
    if (e.type.startsWith('rules.')) return;
    const candidates = this.candidatesOf(e.type);
    if (!candidates.length) return;
    this.vars = null;
    const byInteraction = e.interactionId ? this.corrKey(this.corrOfInteraction, 'int:', e.interactionId) : 'none';
    const byCustomer = e.customerId ? this.corrKey(this.corrOfCustomer, 'cus:', e.customerId) : byInteraction;
    let t0 = this.clockUs();
    for (const { slot: s, steps } of candidates) {
      const result = this.evaluate(s, steps, e, s.byInteraction ? byInteraction : byCustomer);
      const t1 = this.clockUs();
      const latencyUs = Math.max(0, Math.round(t1 - t0));
      t0 = t1;
      if (result.firing) out.firings.push(result.firing);
      if (result.outcome === 'no_match' && !this.traceNoMatch) continue;
      out.traces.push({
        eventId: e.id,
        eventType: e.type,
        time: e.time,
        interactionId: e.interactionId,
        customerId: e.customerId,
        ruleId: s.rule.id,
        ruleName: s.rule.definition.name,
        version: s.rule.version,
        outcome: late && result.outcome === 'no_match' ? 'late' : result.outcome,
        reason: late ? `${result.reason} (arrived after later events)` : result.reason,
        latencyUs,
        key: result.firing?.key ?? null,
      });
    }
  }

  /** Looks up the state of the rule and correlation about to be evaluated: once, not per use. */
  private enter(s: Slot, corr: string): RuleState | undefined {
    this.curSlot = s;
    this.curCorr = corr;
    return (this.curState = s.states.get(corr));
  }

  /** The state to change (created if new), marked for persisting. */
  private stateOf(s: Slot, corr: string): RuleState {
    let st = s === this.curSlot && corr === this.curCorr ? this.curState : s.states.get(corr);
    if (!st) {
      st = {};
      s.states.set(corr, st);
      if (s === this.curSlot && corr === this.curCorr) this.curState = st;
    }
    s.dirty.add(corr);
    return st;
  }

  /** Whether step `i` matches: its type (from the candidate's mask), then its condition. */
  private test(s: Slot, matching: number, i: number, e: EngineEvent): boolean {
    if (!((matching >> i) & 1)) return false;
    const step = s.steps[i]!;
    if (!step.cond) return true;
    this.vars ??= {
      event: { id: e.id, type: e.type, time: e.time, source: e.source ?? 'callsight', data: e.data },
      customer: this.celCustomer(e.customerId),
    };
    return step.cond(this.vars);
  }

  private celCustomer(customerId: string | null) {
    const ctx = customerId ? this.context(customerId) : EMPTY_CTX;
    return {
      id: customerId ?? '',
      activeCalls: countKeys(ctx.calls),
      activeChats: countKeys(ctx.chats),
      lastAgentId: ctx.lastAgentId ?? '',
    };
  }

  private evaluate(s: Slot, m: number, e: EngineEvent, corr: string): Result {
    const hw = this.enter(s, corr)?.hw;
    if (!s.stateful) return this.evaluateState(s, m, e, corr);
    // State that counts events takes each one once, in event-time order. The patterns
    // below rely on it: an event that reaches them is newer than all they hold.
    if (hw && (e.time < hw[0] || (e.time === hw[0] && cmpStr(e.id, hw[1]) <= 0))) return e.id === hw[1] || e.time === hw[0] ? DUPLICATE : LATE;
    const res = this.evaluateState(s, m, e, corr);
    if (res.outcome !== 'no_match') {
      const st = this.stateOf(s, corr);
      if (st.hw) {
        st.hw[0] = e.time;
        st.hw[1] = e.id;
      } else st.hw = [e.time, e.id];
    }
    return res;
  }

  private evaluateState(s: Slot, m: number, e: EngineEvent, corr: string): Result {
    const t = s.rule.definition.trigger;
    const w = s.windowMs;
    switch (t.kind) {
      case 'event': {
        if (!this.test(s, m, 0, e)) return s.steps[0]!.noMatch;
        return this.complete(s, e, [e.id], e.time, e, corr);
      }
      case 'count': {
        if (!this.test(s, m, 0, e)) return s.steps[0]!.noMatch;
        const st = this.stateOf(s, corr);
        const counted = (st.counted ??= []);
        let j = 0;
        for (const c of counted) if (c.time > e.time - w && c.time <= e.time && c.id !== e.id) counted[j++] = c;
        counted.length = j;
        let i = j;
        while (i > 0 && (counted[i - 1]!.time > e.time || (counted[i - 1]!.time === e.time && cmpStr(counted[i - 1]!.id, e.id) > 0))) i--;
        counted.splice(i, 0, { id: e.id, time: e.time });
        if (counted.length < t.count)
          return (s.progress[counted.length] ??= result('progressed', `${counted.length} of ${t.count} ${t.event.type} within ${t.withinSeconds} s`));
        const ids = counted.slice(-t.count).map((c) => c.id);
        st.counted = [];
        return this.complete(s, e, ids, e.time, e, corr);
      }
      case 'sequence': {
        const partials = this.curState?.partials;
        let changed = false;
        let completed: Partial | undefined;
        let progressed = false;
        if (partials?.length) {
          // Partials are in start order: the expired ones lead.
          let k = 0;
          while (k < partials.length && e.time - partials[k]!.start > w) k++;
          if (k) {
            partials.splice(0, k);
            changed = true;
          }
          // Only when the event's type is a later step (bit 0 is the first step) can it extend one.
          if (m & ~1)
            for (const p of partials) {
              if (!this.test(s, m, p.next, e)) continue;
              p.ids.push(e.id);
              p.next++;
              progressed = true;
              if (p.next === s.steps.length) {
                completed = p;
                break;
              }
            }
        }
        if (completed) {
          this.stateOf(s, corr).partials = [];
          return this.complete(s, e, completed.ids, e.time, e, corr);
        }
        // Only events that started or extended no match may start one: one event is one step.
        if (!progressed && this.test(s, m, 0, e)) {
          const list = (this.stateOf(s, corr).partials ??= []);
          list.push({ ids: [e.id], start: e.time, next: 1 });
          if (list.length > MAX_PARTIALS) list.splice(0, list.length - MAX_PARTIALS);
          progressed = true;
        }
        if (!progressed) {
          if (changed) s.dirty.add(corr);
          return s.notNext!;
        }
        s.dirty.add(corr);
        let best = 0;
        if (s.steps.length === 2) best = 1;
        else for (const p of this.stateOf(s, corr).partials!) if (p.next > best) best = p.next;
        return s.progress[best]!;
      }
      case 'absence': {
        let outcome: Result | null = null;
        if (this.test(s, m, 1, e)) {
          const pending = this.curState?.pending;
          let cancelled = 0;
          if (pending?.length) {
            let j = 0;
            for (const p of pending) if (!(e.time >= p.time && e.time <= p.deadline && p.id !== e.id)) pending[j++] = p;
            cancelled = pending.length - j;
            pending.length = j;
            if (cancelled) s.dirty.add(corr);
          }
          // The cancelled windows' deadlines stay queued and are skipped when they come due
          // (fireDeadlines finds no pending entry): rescanning every open deadline here made
          // each arriving "missing" event cost O(all open windows).
          outcome = cancelled ? s.answered! : s.unanswered!;
        }
        if (this.test(s, m, 0, e)) {
          const deadline = e.time + w;
          (this.stateOf(s, corr).pending ??= []).push({ id: e.id, time: e.time, deadline, event: e });
          this.addDeadline({ deadline, scope: s.scope, corr, id: e.id });
          return s.waiting!;
        }
        return outcome ?? s.steps[0]!.noMatch;
      }
    }
  }

  private pendingOf(d: Deadline): Pending | undefined {
    return this.scopeStates.get(d.scope)?.get(d.corr)?.pending?.find((x) => x.id === d.id);
  }

  private addDeadline(d: Deadline): void {
    let i = this.deadlines.length;
    while (i > 0 && (this.deadlines[i - 1]!.deadline > d.deadline || (this.deadlines[i - 1]!.deadline === d.deadline && cmpStr(this.deadlines[i - 1]!.id, d.id) > 0))) i--;
    this.deadlines.splice(i, 0, d);
  }

  /** Absence windows that closed before `upTo`. */
  private fireDeadlines(upTo: number, out: EngineOutput): void {
    while (this.deadlines.length && this.deadlines[0]!.deadline < upTo) {
      const d = this.deadlines.shift()!;
      const s = this.byScope.get(d.scope);
      const pending = s && this.enter(s, d.corr)?.pending;
      const at = pending ? pending.findIndex((x) => x.id === d.id) : -1;
      if (!s || at < 0) continue;
      const p = pending![at]!;
      pending!.splice(at, 1);
      s.dirty.add(d.corr);
      const t0 = this.clockUs();
      const res = this.complete(s, p.event, [p.id, `absence@${p.deadline}`], p.deadline, p.event, d.corr);
      const t = s.rule.definition.trigger as Extract<RuleDefinition['trigger'], { kind: 'absence' }>;
      out.traces.push({
        eventId: p.id,
        eventType: p.event.type,
        time: p.deadline,
        interactionId: p.event.interactionId,
        customerId: p.event.customerId,
        ruleId: s.rule.id,
        ruleName: s.rule.definition.name,
        version: s.rule.version,
        outcome: res.outcome,
        reason: res.firing ? `no ${t.missing.type} within ${t.withinSeconds} s` : res.reason,
        latencyUs: Math.max(0, Math.round(this.clockUs() - t0)),
        key: res.firing?.key ?? null,
      });
      if (res.firing) out.firings.push(res.firing);
    }
  }

  /** A trigger completed: state condition, loop limit, caps, then the firing. */
  private complete(s: Slot, e: EngineEvent, eventIds: string[], at: number, last: EngineEvent, corr: string): Result {
    const r = s.rule;
    const d = r.definition;
    const ctx = e.customerId ? this.context(e.customerId) : EMPTY_CTX;
    const liveCalls = countKeys(ctx.calls);
    if (d.while === 'call_active' && liveCalls === 0 && !(e.interactionId && e.type.startsWith('call.') && e.type !== 'call.ended')) return NO_CALL;
    if (d.while === 'chat_active' && countKeys(ctx.chats) === 0) return NO_CHAT;
    if (d.while === 'no_call_active' && liveCalls > 0) return IN_CALL;
    const depth = (last.depth ?? 0) + 1;
    if (depth > this.maxDepth) return result('loop_stopped', `stopped: its own actions triggered it ${depth - 1} times in a row (limit ${this.maxDepth})`);
    const key = effectKey(r.id, r.version, eventIds);
    // The interaction acted on: the event's own, else the customer's newest live call, else open chat.
    const interactionId = e.interactionId ?? lastValue(ctx.calls) ?? lastValue(ctx.chats) ?? null;
    if (d.oncePerInteraction && interactionId) {
      const st = this.stateOf(s, corr);
      const prior = st.once?.find(([i]) => i === interactionId);
      if (prior && prior[1] !== key) return ONCE;
      if (!prior) {
        (st.once ??= []).push([interactionId, key]);
        if (st.once.length > 100) st.once.shift();
      }
    }
    if (d.cap) {
      const st = this.stateOf(s, corr);
      const recent = (st.fired ?? []).filter(([t]) => t > at - d.cap!.perSeconds * 1000);
      if (!recent.some(([, k]) => k === key)) {
        if (recent.length >= d.cap.max) {
          st.fired = recent;
          return { outcome: 'capped', reason: `frequency cap: already ${recent.length} times in ${d.cap.perSeconds} s` };
        }
        recent.push([at, key]);
      }
      st.fired = recent;
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
      context: ctx,
      depth,
      actions: d.actions,
    };
    return r.mode === 'shadow'
      ? { outcome: 'shadow_fired', reason: 'matched (shadow mode: actions recorded, not taken)', firing }
      : { outcome: 'fired', reason: 'matched', firing };
  }

  /** Copy on write: a context already handed to a firing or a CEL evaluation never changes. */
  private updateContext(e: EngineEvent): void {
    if (!e.customerId) return;
    const t = e.type;
    if (!(t === 'call.created' || t === 'call.ended' || t === 'chat.message' || t === 'chat.closed' || t === 'routing.assigned')) return;
    const cur = this.context(e.customerId);
    if (cur.hw && (e.time < cur.hw[0] || (e.time === cur.hw[0] && cmpStr(e.id, cur.hw[1]) <= 0))) return;
    const ctx: CustomerContext = { calls: cur.calls, chats: cur.chats, lastAgentId: cur.lastAgentId, hw: [e.time, e.id] };
    const d = e.data as Record<string, string | undefined>;
    if (t === 'call.created' && d.callId && e.interactionId) ctx.calls = { ...cur.calls, [d.callId]: e.interactionId };
    else if (t === 'call.ended' && d.callId && d.callId in cur.calls) ctx.calls = without(cur.calls, d.callId);
    else if (t === 'chat.message' && d.conversationId && e.interactionId) {
      if (cur.chats[d.conversationId] !== e.interactionId) ctx.chats = { ...cur.chats, [d.conversationId]: e.interactionId };
    } else if (t === 'chat.closed' && d.conversationId && d.conversationId in cur.chats) ctx.chats = without(cur.chats, d.conversationId);
    else if (t === 'routing.assigned' && d.agentId) ctx.lastAgentId = d.agentId;
    this.contexts.set(e.customerId, freezeContext(ctx));
    this.dirtyContexts.add(e.customerId);
  }

  private prune(): void {
    const horizon = this.watermark - this.maxWindowMs - this.latenessMs - 1000;
    if (!Number.isFinite(horizon)) return;
    // Once per second of event time, not per advance. Ids are remembered in processing
    // order, which is event-time order but for late events, so the sweep stops at the
    // first one still needed (a late one may be kept a little longer: harmless).
    if (this.watermark - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = this.watermark;
    for (const [id, t] of this.seen) {
      if (t >= horizon) break;
      this.seen.delete(id);
    }
  }
}

function conditionReason(step: RuleStep): string {
  return step.when ? `${step.type}: ${step.when} was false` : `not ${step.type}`;
}

const scopeOf = (r: { id: string; version: number }) => `${r.id}@${r.version}`;

function getOrSet<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) {
    v = make();
    m.set(k, v);
  }
  return v;
}

function countKeys(o: Record<string, string>): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

function lastValue(o: Record<string, string>): string | undefined {
  let v: string | undefined;
  for (const k in o) v = o[k];
  return v;
}

function without(o: Record<string, string>, key: string): Record<string, string> {
  const copy = { ...o };
  delete copy[key];
  return copy;
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compare(a: EngineEvent, b: EngineEvent): number {
  return a.time - b.time || cmpStr(a.id, b.id);
}
