import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Deflection to a visual menu or a callback, outbound (campaign) deflections and
 * deflection stats: the number and flow a deflection came from and its context
 * (campaign, menu choice); callbacks booked from links; an index for the
 * "caller history" rule condition (earlier calls from a number).
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema.alterTable('deflections').addColumn('number_id', 'text').execute();
  await db.schema.alterTable('deflections').addColumn('flow_id', 'text').execute();
  await db.schema.alterTable('deflections').addColumn('context', 'text').execute();
  await db.schema.alterTable('deflections').addColumn('completed_at', ms).execute();
  await db.schema.createIndex('deflections_stats').on('deflections').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('callbacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('interaction_id', 'text', (c) => c.notNull().references('interactions.id'))
    .addColumn('deflection_id', 'text')
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('from_number', 'text')
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('slot_at', ms, (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('call_id', 'text')
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('callbacks_due').on('callbacks').columns(['state', 'slot_at']).execute();
  await db.schema.createIndex('callbacks_tenant').on('callbacks').columns(['tenant_id', 'slot_at']).execute();

  await db.schema.createIndex('calls_from').on('calls').columns(['tenant_id', 'from_uri', 'created_at']).execute();
}
