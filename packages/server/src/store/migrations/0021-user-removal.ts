import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Removed users stay as rows (calls, interactions and audits name them), but with
 * their personal data erased and a time of removal that hides them from lists.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('users').addColumn('removed_at', ms).execute();
}
