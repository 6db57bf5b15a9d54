import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** The agent desktop's wrap-ups: the code and notes an agent gives a finished call (or a timeout). */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('desk_wrap_ups')
    .addColumn('item_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('queue_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('notes', 'text')
    .addColumn('timed_out', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('desk_wrap_ups_agent').on('desk_wrap_ups').columns(['tenant_id', 'agent_id', 'done_at']).execute();
}
