import type { BacktestResult, EventTypeSchema, IngestResult, Rule, RuleDefinition, RuleMode } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import { badRequest, notFound, type FieldIssue } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { checkSchema, validate, type SchemaNode } from './event-schema.js';
import { describeAction, type RuleActions } from './rules-actions.js';
import { findLoop, parseRuleDefinition } from './rule-definition.js';
import { RuleEngine } from './rule-engine.js';
import { renderActions } from './rule-templates.js';
import type { RulesRepo } from './rules-repo.js';
import type { RulesRuntime } from './rules-runtime.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BACKTEST_PAGE = 1000;
const BACKTEST_MAX = 200_000;

/** What the rules routes call: ingestion, rule versions and activation, backtests. */
export class RulesService {
  constructor(
    readonly ctx: AppContext,
    readonly repo: RulesRepo,
    readonly runtime: RulesRuntime,
    readonly actions: RuleActions,
  ) {}

  /** Problems of a definition, by path (empty when it is valid). */
  check(input: unknown, prefix = 'body'): FieldIssue[] {
    const r = parseRuleDefinition(input, prefix);
    return r.ok ? [] : r.issues;
  }

  private parse(input: unknown): RuleDefinition {
    const r = parseRuleDefinition(input, 'body');
    if (!r.ok) throw badRequest('rule_invalid', `Invalid rule: ${r.issues.map((i) => i.path).join(', ')}`, r.issues);
    return r.definition;
  }

  async create(tenantId: string, input: unknown): Promise<Rule> {
    return this.repo.create(tenantId, this.parse(input));
  }

  async update(tenantId: string, id: string, input: unknown): Promise<Rule> {
    const rule = await this.repo.addVersion(tenantId, id, this.parse(input));
    if (!rule) throw notFound('Rule');
    await this.published(tenantId, rule);
    return rule;
  }

  async activate(tenantId: string, id: string, mode: RuleMode, version?: number): Promise<Rule> {
    const rule = await this.repo.get(tenantId, id);
    if (!rule) throw notFound('Rule');
    const v = version ?? rule.version;
    const chosen = await this.repo.version(tenantId, id, v);
    if (!chosen) throw badRequest('rule_invalid', `Rule ${rule.name} has no version ${v}`, [{ path: 'body.version', message: `no such version (newest is ${rule.version})` }]);
    if (mode === 'active') {
      // Rules that act, with this one's chosen version: none may trigger itself through the others.
      const acting = (await this.repo.running()).filter((r) => r.tenantId === tenantId && r.mode === 'active' && r.id !== id);
      const loop = findLoop([...acting, { id, definition: chosen.definition }]);
      if (loop)
        throw badRequest('rule_loop', `Activating it would make a loop: ${loop.join(' → ')}`, [
          { path: 'body.mode', message: `its actions would trigger ${loop.length === 2 ? 'itself' : 'a chain back to itself'}: ${loop.join(' → ')}` },
        ]);
    }
    const updated = (await this.repo.setMode(tenantId, id, mode, v))!;
    await this.published(tenantId, updated);
    return updated;
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!(await this.repo.remove(tenantId, id))) throw notFound('Rule');
    await this.runtime.reload();
  }

  private async published(tenantId: string, rule: Rule): Promise<void> {
    await this.runtime.reload();
    await this.ctx.bus.publish({ tenantId, type: 'rules.rule.saved', data: { ruleId: rule.id, version: rule.version, mode: rule.mode, activeVersion: rule.activeVersion } });
  }

  async putSchema(tenantId: string, type: string, schema: Record<string, unknown>): Promise<EventTypeSchema> {
    const issues = checkSchema(schema);
    if (issues.length) throw badRequest('event_schema_invalid', `Invalid schema for ${type}`, issues);
    return this.repo.putSchema(tenantId, type, schema);
  }

  /** A CloudEvents 1.0 envelope → one `ingest.event` on the bus (once per source + id). */
  async ingest(tenantId: string, body: unknown): Promise<IngestResult> {
    const issues: FieldIssue[] = [];
    const ce = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    if (!body || typeof body !== 'object' || Array.isArray(body)) issues.push({ path: 'body', message: 'must be a CloudEvents object' });
    const str = (k: string, max: number, required: boolean) => {
      const v = ce[k];
      if (v === undefined) {
        if (required) issues.push({ path: `body.${k}`, message: 'is required' });
        return undefined;
      }
      if (typeof v !== 'string' || v.length === 0 || v.length > max) {
        issues.push({ path: `body.${k}`, message: `must be a non-empty string of at most ${max} characters` });
        return undefined;
      }
      return v;
    };
    if (ce.specversion !== '1.0') issues.push({ path: 'body.specversion', message: 'must be "1.0"' });
    const id = str('id', 200, true);
    const source = str('source', 500, true);
    const type = str('type', 100, true);
    const time = str('time', 40, false);
    const subject = str('subject', 200, false);
    const customerId = str('customerid', 64, false);
    const interactionId = str('interactionid', 64, false);
    if (type && !/^[a-z0-9][a-z0-9_.-]*$/i.test(type)) issues.push({ path: 'body.type', message: 'letters, digits, dots, dashes and underscores' });
    if (type && /^(call|chat|sms|routing|rules|confirm|deflect|callback|room|user|session|apikey|ingest)\./.test(type))
      issues.push({ path: 'body.type', message: 'platform event types cannot be ingested' });
    let at = Date.now();
    if (time !== undefined) {
      const t = Date.parse(time);
      if (!RFC3339.test(time) || Number.isNaN(t)) issues.push({ path: 'body.time', message: 'must be an RFC 3339 timestamp' });
      else at = t;
    }
    if (ce.datacontenttype !== undefined && ce.datacontenttype !== 'application/json') issues.push({ path: 'body.datacontenttype', message: 'only application/json data is accepted' });
    const data = ce.data === undefined ? {} : ce.data;
    if (!data || typeof data !== 'object' || Array.isArray(data)) issues.push({ path: 'body.data', message: 'must be a JSON object' });
    if (JSON.stringify(data ?? {}).length > 64 * 1024) issues.push({ path: 'body.data', message: 'at most 64 KB' });
    if (issues.length) throw badRequest('event_invalid', `Invalid event: ${issues.map((i) => i.path).join(', ')}`, issues);
    const schema = await this.repo.schema(tenantId, type!);
    if (schema) {
      const bad = validate(schema.schema as SchemaNode, data);
      if (bad.length) throw badRequest('event_invalid', `The data does not match the schema of ${type}`, bad);
    }
    if (customerId) {
      const user = await this.ctx.users.get(tenantId, customerId);
      if (!user) throw badRequest('event_invalid', 'Unknown customer', [{ path: 'body.customerid', message: 'no such customer in this tenant' }]);
    }
    if (interactionId && !(await this.ctx.interactions.get(tenantId, interactionId)))
      throw badRequest('event_invalid', 'Unknown interaction', [{ path: 'body.interactionid', message: 'no such interaction in this tenant' }]);
    const eventId = newId('evt');
    const claim = await this.repo.claimIngest(tenantId, source!, id!, eventId);
    if (!claim.claimed) return { eventId: claim.eventId, accepted: false };
    try {
      await this.ctx.bus.publish({
        id: eventId,
        tenantId,
        type: 'ingest.event',
        time: at,
        ...(interactionId ? { interactionId } : {}),
        ...(customerId ? { userIds: [customerId] } : {}),
        data: { eventType: type!, source: source!, sourceId: id!, subject: subject ?? null, customerId: customerId ?? null, data: data as Record<string, unknown> },
      });
    } catch (err) {
      // Not on the bus: let the sender's retry go through.
      await this.repo.releaseIngest(tenantId, source!, id!);
      throw err;
    }
    return { eventId, accepted: true };
  }

  /** A signed-in customer's app activity as `app.<action>` (source: the app). */
  async activity(tenantId: string, customerId: string, action: string, data: Record<string, unknown>): Promise<IngestResult> {
    const eventId = newId('evt');
    await this.ctx.bus.publish({
      id: eventId,
      tenantId,
      type: 'ingest.event',
      userIds: [customerId],
      data: { eventType: `app.${action}`, source: 'callsight:/phone', sourceId: eventId, subject: null, customerId, data },
    });
    return { eventId, accepted: true };
  }

  /**
   * A draft rule over the event log: the same engine as live, fed the tenant's events of
   * the last `days` in log order, then flushed (every window closes at the end).
   */
  async backtest(tenantId: string, input: unknown, opts: { days: number; limit?: number }): Promise<BacktestResult> {
    const parsed = parseRuleDefinition(input, 'body.definition');
    if (!parsed.ok) throw badRequest('rule_invalid', `Invalid rule: ${parsed.issues.map((i) => i.path).join(', ')}`, parsed.issues);
    const to = Date.now();
    const from = to - Math.round(opts.days * 86400_000);
    const limit = Math.min(opts.limit ?? BACKTEST_MAX, BACKTEST_MAX);
    const engine = new RuleEngine({ latenessMs: this.runtime.engine(tenantId).lateness });
    engine.setRules([{ id: 'backtest', version: 1, mode: 'active', definition: parsed.definition, conditions: parsed.conditions }]);
    const result = await backtestOver(engine, async (after) => {
      const rows = await this.ctx.eventLog.query({ tenantId, from, to, after, limit: BACKTEST_PAGE });
      return Promise.all(rows.map(async (r) => ({ seq: r.seq, event: await this.runtime.toEngineEvent(r.event) })));
    }, limit, to);
    return {
      from,
      to,
      eventsScanned: result.scanned,
      truncated: result.truncated,
      firings: result.firings.map((f) => {
        const actions = renderActions(f.actions, f.event);
        return {
          key: f.key,
          at: f.at,
          eventIds: f.eventIds,
          eventType: f.event.type,
          customerId: f.customerId,
          interactionId: f.interactionId,
          actions,
          summary: actions.map(describeAction).join('; '),
        };
      }),
    };
  }
}

/** Pages through a log into an engine, advancing the watermark as event time moves on. */
export async function backtestOver(
  engine: RuleEngine,
  page: (after: number | undefined) => Promise<{ seq: number; event: import('./rule-engine.js').EngineEvent }[]>,
  limit: number,
  endAt = Infinity,
) {
  const firings: import('./rule-engine.js').Firing[] = [];
  let after: number | undefined;
  let scanned = 0;
  let truncated = false;
  for (;;) {
    const rows = await page(after);
    for (const r of rows) {
      engine.push(r.event);
      firings.push(...engine.advance(engine.liveWatermark(-Infinity)).firings);
    }
    scanned += rows.length;
    if (rows.length === 0 || rows.length < BACKTEST_PAGE) break;
    after = rows[rows.length - 1]!.seq;
    if (scanned >= limit) {
      truncated = true;
      break;
    }
  }
  // Windows still open at the end of the range have not closed: they did not fire yet.
  firings.push(...engine.advance(endAt).firings);
  return { firings, scanned, truncated };
}
