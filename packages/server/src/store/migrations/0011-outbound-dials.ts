import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * The calls each user placed, for the outbound policy's per-user rate and
 * concurrency limits across every process (joined with `calls` for which are live).
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('outbound_dials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('call_id', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbound_dials_user').on('outbound_dials').columns(['tenant_id', 'user_id', 'created_at']).execute();
}
