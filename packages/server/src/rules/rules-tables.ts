/** Row types of the rules tables (migration 0015-rules), merged into the store's Database. */
export interface RulesTable {
  id: string;
  tenant_id: string;
  name: string;
  version: number;
  active_version: number | null;
  mode: 'active' | 'shadow' | 'off';
  created_at: number;
  updated_at: number;
}
export interface RuleVersionsTable {
  rule_id: string;
  version: number;
  tenant_id: string;
  definition: string;
  created_at: number;
}
export interface RuleEventTypesTable {
  tenant_id: string;
  type: string;
  schema: string;
  updated_at: number;
}
export interface RuleIngestedTable {
  tenant_id: string;
  source: string;
  source_id: string;
  event_id: string;
  created_at: number;
}
/** `scope`: `<ruleId>@<version>` for a rule's pattern state, `ctx` for customer context, `wm` for the watermark. */
export interface RuleStateTable {
  tenant_id: string;
  scope: string;
  corr: string;
  state: string;
  updated_at: number;
}
export interface RuleEffectsTable {
  key: string;
  tenant_id: string;
  rule_id: string;
  version: number;
  mode: 'active' | 'shadow';
  event_ids: string;
  customer_id: string | null;
  interaction_id: string | null;
  depth: number;
  /** JSON of the actions with their texts filled in from the triggering event. */
  actions: string;
  /** JSON of the action results, null until the actions ran. */
  results: string | null;
  at: number;
  created_at: number;
}
export interface RuleTracesTable {
  id: string;
  tenant_id: string;
  time: number;
  event_id: string;
  event_type: string;
  interaction_id: string | null;
  customer_id: string | null;
  rule_id: string;
  rule_name: string;
  version: number;
  outcome: string;
  reason: string;
  latency_us: number;
  effect_key: string | null;
}
/** Incoming webhooks (migration 0031-rules-event-hooks); the signing secret is sealed with the master key. */
export interface RuleEventHooksTable {
  id: string;
  tenant_id: string;
  name: string;
  scheme: 'standard' | 'github' | 'stripe';
  type_prefix: string;
  secret_sealed: string;
  created_at: number;
  accepted: number;
  refused: number;
  last_delivery_at: number | null;
  last_refusal: string | null;
  last_refusal_at: number | null;
}

declare module '../store/schema.js' {
  interface Database {
    rules: RulesTable;
    rule_versions: RuleVersionsTable;
    rule_event_types: RuleEventTypesTable;
    rule_ingested: RuleIngestedTable;
    rule_state: RuleStateTable;
    rule_effects: RuleEffectsTable;
    rule_traces: RuleTracesTable;
    rule_event_hooks: RuleEventHooksTable;
  }
}
