import type { Kysely } from 'kysely';

/** A conversation's recording (a room recording of its room) and who may replay it. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('recording_id', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('replay_access', 'text').execute();
}
