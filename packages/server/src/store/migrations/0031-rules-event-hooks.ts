import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** Incoming webhooks: other systems' signed deliveries become ingested events. */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('rule_event_hooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scheme', 'text', (c) => c.notNull())
    .addColumn('type_prefix', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('accepted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_delivery_at', ms)
    .addColumn('last_refusal', 'text')
    .addColumn('last_refusal_at', ms)
    .execute();
  await db.schema.createIndex('rule_event_hooks_tenant').on('rule_event_hooks').columns(['tenant_id', 'created_at']).execute();
}
