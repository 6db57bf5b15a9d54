import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** Rooms (SFU conferences and audio rooms). Live media state is in memory; the room and its token key are here. */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('rooms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('audio_codec', 'text', (c) => c.notNull())
    .addColumn('max_participants', 'integer', (c) => c.notNull())
    .addColumn('token_key_sealed', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('closed_at', ms)
    .execute();
  await db.schema.createIndex('rooms_tenant').on('rooms').columns(['tenant_id', 'id']).execute();
}
