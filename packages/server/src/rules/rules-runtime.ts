import { Histogram, Counter, Gauge } from 'prom-client';
import type { AppContext } from '../app-context.js';
import type { AnyEvent } from '../bus/event-map.js';
import type { Subscription } from '../bus/event-bus.js';
import { parseRuleDefinition } from './rule-definition.js';
import { RuleEngine, type EngineEvent, type EngineOutput, type EngineRule, type Firing } from './rule-engine.js';
import type { RulesRepo } from './rules-repo.js';
import { renderActions } from './rule-templates.js';

/** How long after an action ran events on its interaction count as caused by it (loop protection). */
const CAUSATION_MS = 3000;
const TICK_MS = 100;

export interface RuntimeOptions {
  latenessMs: number;
  /** Write a trace row for rules whose step type matched but whose condition did not. */
  traceNoMatch?: boolean;
}

/** A firing the runtime claimed (its key was new): what the action runner is handed. */
export type ClaimedFiring = Firing & { tenantId: string };

/**
 * Runs the engine live: every bus event (group `rules`, so once across processes) is
 * enriched with its customer, pushed into the tenant's engine and processed up to the
 * watermark; state the engine changed is written to the store after each batch, so
 * open windows survive a restart; each firing is claimed by its key in `rule_effects`
 * (unique) and published as `rules.fired` with that key as its event id (Nats-Msg-Id),
 * so a redelivered event or a replayed log acts once.
 */
export class RulesRuntime {
  private readonly engines = new Map<string, RuleEngine>();
  private readonly customers = new Map<string, string | null>();
  /** Interaction or customer → depth of the firing whose action just touched it, until when. */
  private readonly causedBy = new Map<string, { depth: number; until: number }>();
  private sub?: Subscription;
  private timer?: NodeJS.Timeout;
  private work: Promise<void> = Promise.resolve();
  private closed = false;
  readonly latency: Histogram<'rule'>;
  readonly firings: Counter<'rule' | 'mode'>;
  readonly openWindows: Gauge;

  constructor(
    private readonly ctx: AppContext,
    private readonly repo: RulesRepo,
    private readonly opts: RuntimeOptions,
  ) {
    this.latency = new Histogram({
      name: 'callsight_rule_eval_seconds',
      help: 'Evaluation time of one rule on one event, by rule',
      labelNames: ['rule'],
      buckets: [0.000005, 0.00002, 0.0001, 0.0005, 0.002, 0.01, 0.05],
      registers: [ctx.metrics.registry],
    });
    this.firings = new Counter({ name: 'callsight_rule_firings_total', help: 'Rule firings, by rule and mode', labelNames: ['rule', 'mode'], registers: [ctx.metrics.registry] });
    this.openWindows = new Gauge({
      name: 'callsight_rule_open_windows',
      help: 'Open pattern windows (partial sequences, counts, pending absences)',
      registers: [ctx.metrics.registry],
      collect: () => {
        let n = 0;
        for (const e of this.engines.values()) n += e.openWindows();
        this.openWindows.set(n);
      },
    });
  }

  engine(tenantId: string): RuleEngine {
    let e = this.engines.get(tenantId);
    if (!e) {
      e = new RuleEngine({ latenessMs: this.opts.latenessMs, traceNoMatch: this.opts.traceNoMatch });
      this.engines.set(tenantId, e);
    }
    return e;
  }

  async start(): Promise<void> {
    await this.reload();
    for (const tenantId of await this.repo.stateTenants()) this.engine(tenantId).load(await this.repo.loadState(tenantId));
    this.sub = await this.ctx.bus.subscribe({ group: 'rules' }, (e) => this.onEvent(e));
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.sub?.unsubscribe();
    await this.work.catch(() => {});
  }

  /** Loads the running rule set of every tenant (after a rule changed). */
  async reload(): Promise<void> {
    const running = await this.repo.running();
    const byTenant = new Map<string, EngineRule[]>();
    for (const r of running) {
      const parsed = parseRuleDefinition(r.definition, '');
      if (!parsed.ok) {
        this.ctx.log.warn({ ruleId: r.id, issues: parsed.issues }, 'a stored rule no longer compiles; it is not evaluated');
        continue;
      }
      const list = byTenant.get(r.tenantId) ?? [];
      list.push({ id: r.id, version: r.version, mode: r.mode, definition: parsed.definition, conditions: parsed.conditions });
      byTenant.set(r.tenantId, list);
    }
    for (const tenantId of new Set([...byTenant.keys(), ...this.engines.keys()])) this.engine(tenantId).setRules(byTenant.get(tenantId) ?? []);
  }

  /** Marks events on this interaction/customer for a while as caused by a firing of `depth`. */
  noteAction(f: { interactionId: string | null; customerId: string | null; depth: number }): void {
    const until = Date.now() + CAUSATION_MS;
    for (const k of [f.interactionId && `i:${f.interactionId}`, f.customerId && `c:${f.customerId}`]) if (k) this.causedBy.set(k, { depth: f.depth, until });
  }

  private depthOf(e: { interactionId: string | null; customerId: string | null }): number {
    const now = Date.now();
    let d = 0;
    for (const k of [e.interactionId && `i:${e.interactionId}`, e.customerId && `c:${e.customerId}`]) {
      if (!k) continue;
      const c = this.causedBy.get(k);
      if (c && c.until > now) d = Math.max(d, c.depth);
      else if (c) this.causedBy.delete(k);
    }
    return d;
  }

  async toEngineEvent(e: AnyEvent): Promise<EngineEvent> {
    const ev = engineEventOf(e);
    if (!ev.customerId && ev.interactionId) ev.customerId = await this.customerOf(e.tenantId, ev.interactionId);
    return ev;
  }

  private async customerOf(tenantId: string, interactionId: string): Promise<string | null> {
    if (this.customers.has(interactionId)) return this.customers.get(interactionId)!;
    const it = await this.ctx.interactions.get(tenantId, interactionId);
    const c = it?.customerId ?? null;
    if (this.customers.size > 50_000) this.customers.clear();
    this.customers.set(interactionId, c);
    return c;
  }

  private async onEvent(e: AnyEvent): Promise<void> {
    if (this.closed || e.type.startsWith('rules.')) return;
    const ev = await this.toEngineEvent(e);
    ev.depth = this.depthOf(ev);
    const engine = this.engine(e.tenantId);
    engine.push(ev);
    // One batch at a time per process: the engine is synchronous, the writes are not.
    await this.enqueue(() => this.run(e.tenantId));
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    const next = this.work.then(fn);
    this.work = next.catch((err) => this.ctx.log.error({ err }, 'rules batch failed'));
    return next;
  }

  private tick(): void {
    if (this.closed) return;
    for (const [tenantId, engine] of this.engines) {
      const deadline = engine.nextDeadline();
      const wm = engine.liveWatermark(Date.now());
      if (engine.pendingEvents > 0 || (deadline !== undefined && deadline < wm)) void this.enqueue(() => this.run(tenantId));
    }
  }

  private async run(tenantId: string): Promise<void> {
    const engine = this.engine(tenantId);
    const out = engine.advance(engine.liveWatermark(Date.now()));
    await this.commit(tenantId, engine, out);
  }

  /** Writes state, claims firings (highest priority first), records the trace, hands active firings on. */
  async commit(tenantId: string, engine: RuleEngine, out: EngineOutput): Promise<void> {
    await this.repo.saveState(tenantId, engine.takeDirty());
    const claimed: ClaimedFiring[] = [];
    const firings = [...out.firings].sort((a, b) => b.priority - a.priority);
    for (const f of firings) {
      const fresh = await this.repo.claimEffect({
        key: f.key,
        tenant_id: tenantId,
        rule_id: f.ruleId,
        version: f.version,
        mode: f.mode,
        event_ids: JSON.stringify(f.eventIds),
        customer_id: f.customerId,
        interaction_id: f.interactionId,
        depth: f.depth,
        at: f.at,
        actions: JSON.stringify(renderActions(f.actions, f.event)),
      });
      if (!fresh) {
        const t = out.traces.find((x) => x.key === f.key);
        if (t) {
          t.outcome = 'duplicate';
          t.reason = 'matched again on the same events: acted on once already';
        }
        // Claimed before but maybe never handed on (a crash between the claim and the
        // publish): publishing again is harmless, the event id is the key.
        const prior = await this.repo.effect(f.key);
        if (prior && prior.actions.length === 0) claimed.push({ ...f, tenantId });
        continue;
      }
      claimed.push({ ...f, tenantId });
    }
    for (const t of out.traces) this.latency.observe({ rule: t.ruleId }, t.latencyUs / 1e6);
    await this.repo.addTraces(tenantId, out.traces);
    for (const t of out.traces) {
      if (t.outcome === 'loop_stopped')
        await this.ctx.bus.publish({
          tenantId,
          type: 'rules.loop.stopped',
          ...(t.interactionId ? { interactionId: t.interactionId } : {}),
          data: { ruleId: t.ruleId, ruleName: t.ruleName, depth: engine.depthLimit + 1, eventId: t.eventId },
        });
    }
    for (const f of claimed) {
      this.firings.inc({ rule: f.ruleId, mode: f.mode });
      await this.ctx.bus.publish({
        id: `rfx_${f.key}`,
        tenantId,
        type: 'rules.fired',
        ...(f.interactionId ? { interactionId: f.interactionId } : {}),
        ...(f.customerId ? { userIds: [f.customerId] } : {}),
        data: {
          ruleId: f.ruleId,
          ruleName: f.ruleName,
          version: f.version,
          key: f.key,
          mode: f.mode,
          eventIds: f.eventIds,
          customerId: f.customerId,
          depth: f.depth,
          actions: f.actions.map((a) => a.kind),
        },
      });
    }
  }
}

/** The engine's view of a bus event: an ingested event as its own type. Its customer, when it names none, is its interaction's. */
export function engineEventOf(e: AnyEvent): EngineEvent {
  const base = { id: e.id, time: e.time, interactionId: e.interactionId ?? null };
  if (e.type !== 'ingest.event') return { ...base, type: e.type, customerId: null, data: e.data as Record<string, unknown> };
  const { eventType, source, customerId, data } = e.data;
  return { ...base, type: eventType, customerId, data, ...(source ? { source } : {}) };
}
