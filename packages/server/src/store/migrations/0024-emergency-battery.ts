import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** A device's last reported battery level (percent), for the registry's list in /admin. */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('emergency_devices').addColumn('battery', 'integer').execute();
}
