import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** Room recordings (Ogg/Opus files: a mixed track and one per speaker), listed per room. */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('room_recordings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id'))
    .addColumn('dir', 'text', (c) => c.notNull())
    .addColumn('tracks', 'text', (c) => c.notNull())
    .addColumn('started_at', ms, (c) => c.notNull())
    .addColumn('duration_seconds', 'real')
    .execute();
  await db.schema.createIndex('room_recordings_room').on('room_recordings').columns(['tenant_id', 'room_id', 'id']).execute();
}
