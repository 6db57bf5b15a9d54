import type { CxAction, CxActionResult, EventTypeSchema, Rule, RuleDefinition, RuleEffect, RuleMode, RuleTraceEntry, RuleVersion } from '@callsight/protocol';
import { newId } from '../core/ids.js';
import { fromJson, toJson, type Store } from '../store/store.js';
import type { StateEntry, TraceEntry } from './rule-engine.js';
import type { RuleEffectsTable, RulesTable } from './rules-tables.js';
import './rules-tables.js';

const toRule = (r: RulesTable, definition: RuleDefinition): Rule => ({
  id: r.id,
  name: r.name,
  version: Number(r.version),
  activeVersion: r.active_version == null ? null : Number(r.active_version),
  mode: r.mode,
  definition,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const toEffect = (r: RuleEffectsTable): RuleEffect => ({
  key: r.key,
  ruleId: r.rule_id,
  version: Number(r.version),
  mode: r.mode,
  eventIds: fromJson<string[]>(r.event_ids),
  customerId: r.customer_id,
  interactionId: r.interaction_id,
  at: Number(r.at),
  actions: r.results ? fromJson<CxActionResult[]>(r.results) : [],
});

/** Rows per multi-row INSERT (SQLite's bound-parameter limit at 14 columns). */
const BATCH = 400;

/** Rules, their versions, ingest dedup, event-type schemas, engine state, effects and traces. */
export class RulesRepo {
  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  // ---- rules ---------------------------------------------------------------------------

  async create(tenantId: string, definition: RuleDefinition): Promise<Rule> {
    const now = Date.now();
    const row: RulesTable = { id: newId('rule'), tenant_id: tenantId, name: definition.name, version: 1, active_version: null, mode: 'off', created_at: now, updated_at: now };
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('rules').values(row).execute();
      await tx.insertInto('rule_versions').values({ rule_id: row.id, version: 1, tenant_id: tenantId, definition: toJson(definition), created_at: now }).execute();
    });
    return toRule(row, definition);
  }

  /** A new version (a draft until activated); the active version keeps running. */
  async addVersion(tenantId: string, id: string, definition: RuleDefinition): Promise<Rule | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const r = await tx.selectFrom('rules').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      if (!r) return undefined;
      const now = Date.now();
      const version = Number(r.version) + 1;
      await tx.insertInto('rule_versions').values({ rule_id: id, version, tenant_id: tenantId, definition: toJson(definition), created_at: now }).execute();
      await tx.updateTable('rules').set({ version, name: definition.name, updated_at: now }).where('id', '=', id).execute();
      return toRule({ ...r, version, name: definition.name, updated_at: now }, definition);
    });
  }

  async setMode(tenantId: string, id: string, mode: RuleMode, version: number | null): Promise<Rule | undefined> {
    const now = Date.now();
    await this.db
      .updateTable('rules')
      .set({ mode, active_version: mode === 'off' ? null : version, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
    return this.get(tenantId, id);
  }

  async get(tenantId: string, id: string): Promise<Rule | undefined> {
    const r = await this.db.selectFrom('rules').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    const v = await this.version(tenantId, id, Number(r.version));
    return toRule(r, v!.definition);
  }

  async version(tenantId: string, id: string, version: number): Promise<RuleVersion | undefined> {
    const v = await this.db
      .selectFrom('rule_versions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('rule_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return v && { version: Number(v.version), definition: fromJson<RuleDefinition>(v.definition), createdAt: Number(v.created_at) };
  }

  async versions(tenantId: string, id: string): Promise<RuleVersion[]> {
    const rows = await this.db.selectFrom('rule_versions').selectAll().where('tenant_id', '=', tenantId).where('rule_id', '=', id).orderBy('version', 'desc').execute();
    return rows.map((v) => ({ version: Number(v.version), definition: fromJson<RuleDefinition>(v.definition), createdAt: Number(v.created_at) }));
  }

  async list(tenantId: string): Promise<Rule[]> {
    const rows = await this.db
      .selectFrom('rules')
      .innerJoin('rule_versions', (j) => j.onRef('rule_versions.rule_id', '=', 'rules.id').onRef('rule_versions.version', '=', 'rules.version'))
      .selectAll('rules')
      .select('rule_versions.definition')
      .where('rules.tenant_id', '=', tenantId)
      .orderBy('rules.created_at', 'asc')
      .execute();
    const hits = await this.db
      .selectFrom('rule_effects')
      .select((eb) => ['rule_id', eb.fn.countAll<number>().as('n'), eb.fn.max('at').as('last')])
      .where('tenant_id', '=', tenantId)
      .groupBy('rule_id')
      .execute();
    const byRule = new Map(hits.map((h) => [h.rule_id, h]));
    return rows.map((r) => {
      const h = byRule.get(r.id);
      return { ...toRule(r, fromJson<RuleDefinition>(r.definition)), hits: Number(h?.n ?? 0), lastFiredAt: h?.last == null ? null : Number(h.last) };
    });
  }

  /** Every rule being evaluated (active or shadow), with the definition of its active version, for every tenant. */
  async running(): Promise<{ tenantId: string; id: string; version: number; mode: 'active' | 'shadow'; definition: RuleDefinition }[]> {
    const rows = await this.db
      .selectFrom('rules')
      .innerJoin('rule_versions', (j) => j.onRef('rule_versions.rule_id', '=', 'rules.id').onRef('rule_versions.version', '=', 'rules.active_version'))
      .select(['rules.tenant_id', 'rules.id', 'rules.active_version', 'rules.mode', 'rule_versions.definition'])
      .where('rules.mode', '!=', 'off')
      .execute();
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      id: r.id,
      version: Number(r.active_version),
      mode: r.mode as 'active' | 'shadow',
      definition: fromJson<RuleDefinition>(r.definition),
    }));
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const res = await this.db.deleteFrom('rules').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    await this.db.deleteFrom('rule_versions').where('tenant_id', '=', tenantId).where('rule_id', '=', id).execute();
    return Number(res.numDeletedRows) > 0;
  }

  // ---- ingestion -------------------------------------------------------------------------

  /** Claims `source` + `id`; false when that event was ingested before. */
  async claimIngest(tenantId: string, source: string, sourceId: string, eventId: string): Promise<{ claimed: boolean; eventId: string }> {
    const res = await this.db
      .insertInto('rule_ingested')
      .values({ tenant_id: tenantId, source, source_id: sourceId, event_id: eventId, created_at: Date.now() })
      .onConflict((oc) => oc.columns(['tenant_id', 'source', 'source_id']).doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0) return { claimed: true, eventId };
    const row = await this.db
      .selectFrom('rule_ingested')
      .select('event_id')
      .where('tenant_id', '=', tenantId)
      .where('source', '=', source)
      .where('source_id', '=', sourceId)
      .executeTakeFirst();
    return { claimed: false, eventId: row?.event_id ?? eventId };
  }

  async releaseIngest(tenantId: string, source: string, sourceId: string): Promise<void> {
    await this.db.deleteFrom('rule_ingested').where('tenant_id', '=', tenantId).where('source', '=', source).where('source_id', '=', sourceId).execute();
  }

  async putSchema(tenantId: string, type: string, schema: Record<string, unknown>): Promise<EventTypeSchema> {
    const now = Date.now();
    await this.db
      .insertInto('rule_event_types')
      .values({ tenant_id: tenantId, type, schema: toJson(schema), updated_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'type']).doUpdateSet({ schema: toJson(schema), updated_at: now }))
      .execute();
    return { type, schema, updatedAt: now };
  }

  async schema(tenantId: string, type: string): Promise<EventTypeSchema | undefined> {
    const r = await this.db.selectFrom('rule_event_types').selectAll().where('tenant_id', '=', tenantId).where('type', '=', type).executeTakeFirst();
    return r && { type: r.type, schema: fromJson<Record<string, unknown>>(r.schema), updatedAt: Number(r.updated_at) };
  }

  async schemas(tenantId: string): Promise<EventTypeSchema[]> {
    const rows = await this.db.selectFrom('rule_event_types').selectAll().where('tenant_id', '=', tenantId).orderBy('type').execute();
    return rows.map((r) => ({ type: r.type, schema: fromJson<Record<string, unknown>>(r.schema), updatedAt: Number(r.updated_at) }));
  }

  async removeSchema(tenantId: string, type: string): Promise<boolean> {
    const res = await this.db.deleteFrom('rule_event_types').where('tenant_id', '=', tenantId).where('type', '=', type).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  // ---- engine state ----------------------------------------------------------------------

  async saveState(tenantId: string, entries: StateEntry[]): Promise<void> {
    if (!entries.length) return;
    const now = Date.now();
    const gone = entries.filter((e) => e.state == null);
    const kept = entries.filter((e) => e.state != null);
    for (let i = 0; i < kept.length; i += BATCH) {
      await this.db
        .insertInto('rule_state')
        .values(kept.slice(i, i + BATCH).map((e) => ({ tenant_id: tenantId, scope: e.scope, corr: e.corr, state: toJson(e.state), updated_at: now })))
        .onConflict((oc) => oc.columns(['tenant_id', 'scope', 'corr']).doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), updated_at: now })))
        .execute();
    }
    for (const e of gone) await this.db.deleteFrom('rule_state').where('tenant_id', '=', tenantId).where('scope', '=', e.scope).where('corr', '=', e.corr).execute();
  }

  async loadState(tenantId: string): Promise<StateEntry[]> {
    const rows = await this.db.selectFrom('rule_state').selectAll().where('tenant_id', '=', tenantId).execute();
    return rows.map((r) => ({ scope: r.scope, corr: r.corr, state: fromJson(r.state) }));
  }

  async stateTenants(): Promise<string[]> {
    const rows = await this.db.selectFrom('rule_state').select('tenant_id').distinct().execute();
    return rows.map((r) => r.tenant_id);
  }

  // ---- effects ---------------------------------------------------------------------------

  /** Claims an effect by its key (unique): false when it was claimed before (a redelivery or a replay). */
  async claimEffect(row: Omit<RuleEffectsTable, 'results' | 'created_at'>): Promise<boolean> {
    const res = await this.db
      .insertInto('rule_effects')
      .values({ ...row, results: null, created_at: Date.now() })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async effect(key: string): Promise<(RuleEffect & { tenantId: string; depth: number; planned: CxAction[] }) | undefined> {
    const r = await this.db.selectFrom('rule_effects').selectAll().where('key', '=', key).executeTakeFirst();
    return r && { ...toEffect(r), tenantId: r.tenant_id, depth: Number(r.depth), planned: fromJson<CxAction[]>(r.actions) };
  }

  /** Results so far (after each action, so a crash retries only what did not finish). */
  async saveResults(key: string, results: CxActionResult[]): Promise<void> {
    await this.db.updateTable('rule_effects').set({ results: toJson(results) }).where('key', '=', key).execute();
  }

  async effects(q: { tenantId: string; ruleId?: string; interactionId?: string; limit: number }): Promise<RuleEffect[]> {
    let sel = this.db.selectFrom('rule_effects').selectAll().where('tenant_id', '=', q.tenantId);
    if (q.ruleId) sel = sel.where('rule_id', '=', q.ruleId);
    if (q.interactionId) sel = sel.where('interaction_id', '=', q.interactionId);
    const rows = await sel.orderBy('at', 'desc').limit(q.limit).execute();
    return rows.map(toEffect);
  }

  // ---- traces ----------------------------------------------------------------------------

  async addTraces(tenantId: string, traces: TraceEntry[]): Promise<void> {
    for (let i = 0; i < traces.length; i += BATCH) {
      await this.db
        .insertInto('rule_traces')
        .values(
          traces.slice(i, i + BATCH).map((t) => ({
            id: newId('rtr'),
            tenant_id: tenantId,
            time: t.time,
            event_id: t.eventId,
            event_type: t.eventType,
            interaction_id: t.interactionId,
            customer_id: t.customerId,
            rule_id: t.ruleId,
            rule_name: t.ruleName,
            version: t.version,
            outcome: t.outcome,
            reason: t.reason,
            latency_us: t.latencyUs,
            effect_key: t.key,
          })),
        )
        .execute();
    }
  }

  /** The trace of an interaction, or of a customer (all their interactions), or of a rule, oldest first, with what each firing did. */
  async traces(q: { tenantId: string; interactionId?: string; customerId?: string; ruleId?: string; limit: number }): Promise<RuleTraceEntry[]> {
    let sel = this.db.selectFrom('rule_traces').selectAll().where('tenant_id', '=', q.tenantId);
    if (q.ruleId) sel = sel.where('rule_id', '=', q.ruleId);
    if (q.interactionId && q.customerId) sel = sel.where((eb) => eb.or([eb('interaction_id', '=', q.interactionId!), eb('customer_id', '=', q.customerId!)]));
    else if (q.interactionId) sel = sel.where('interaction_id', '=', q.interactionId);
    else if (q.customerId) sel = sel.where('customer_id', '=', q.customerId);
    const rows = (await sel.orderBy('time', 'desc').orderBy('id', 'desc').limit(q.limit).execute()).reverse();
    const keys = [...new Set(rows.map((r) => r.effect_key).filter((k): k is string => !!k))];
    const effects = keys.length ? await this.db.selectFrom('rule_effects').select(['key', 'results', 'interaction_id']).where('key', 'in', keys).execute() : [];
    const results = new Map(effects.map((e) => [e.key, e.results ? fromJson<CxActionResult[]>(e.results) : []]));
    const actedOn = new Map(effects.map((e) => [e.key, e.interaction_id]));
    return rows.map((r) => ({
      id: r.id,
      time: Number(r.time),
      eventId: r.event_id,
      eventType: r.event_type,
      interactionId: r.interaction_id,
      customerId: r.customer_id,
      ruleId: r.rule_id,
      ruleName: r.rule_name,
      version: Number(r.version),
      outcome: r.outcome as RuleTraceEntry['outcome'],
      reason: r.reason,
      latencyUs: Number(r.latency_us),
      effectKey: r.effect_key,
      actedOn: (r.effect_key && actedOn.get(r.effect_key)) || null,
      actions: (r.effect_key && results.get(r.effect_key)) || [],
    }));
  }
}
