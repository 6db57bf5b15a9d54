import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Cross-channel rules (rules/): rule versions, ingested-event dedup, per-tenant
 * schemas of custom event types, pattern state (open windows, counts) and customer
 * context that survive a restart, effects with their exactly-once key, and the
 * explanation trace.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('active_version', 'integer')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rules_tenant').on('rules').columns(['tenant_id']).execute();
  await db.schema
    .createTable('rule_versions')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('rule_versions_pk', ['rule_id', 'version'])
    .execute();
  await db.schema
    .createTable('rule_event_types')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('schema', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('rule_event_types_pk', ['tenant_id', 'type'])
    .execute();
  await db.schema
    .createTable('rule_ingested')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('rule_ingested_pk', ['tenant_id', 'source', 'source_id'])
    .execute();
  await db.schema
    .createTable('rule_state')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('corr', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('rule_state_pk', ['tenant_id', 'scope', 'corr'])
    .execute();
  await db.schema
    .createTable('rule_effects')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('event_ids', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('interaction_id', 'text')
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('results', 'text')
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rule_effects_rule').on('rule_effects').columns(['tenant_id', 'rule_id', 'at']).execute();
  await db.schema
    .createTable('rule_traces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('time', ms, (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('interaction_id', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('latency_us', 'integer', (c) => c.notNull())
    .addColumn('effect_key', 'text')
    .execute();
  await db.schema.createIndex('rule_traces_interaction').on('rule_traces').columns(['tenant_id', 'interaction_id', 'time']).execute();
  await db.schema.createIndex('rule_traces_customer').on('rule_traces').columns(['tenant_id', 'customer_id', 'time']).execute();
}
