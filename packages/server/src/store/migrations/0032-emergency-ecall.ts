import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** eCall: a car's vehicle data (VIN, category, propulsion) and each emergency's Minimum Set of Data, as JSON. */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('emergency_devices').addColumn('vehicle', 'text').execute();
  await db.schema.alterTable('emergencies').addColumn('msd', 'text').execute();
}
