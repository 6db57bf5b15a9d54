import type { Kysely } from 'kysely';

/** The code a phone caller keys to listen to a conversation (a number whose flow is the `conversation` verb). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('dial_code', 'text').execute();
  await db.schema.createIndex('conversations_dial_code').on('conversations').columns(['tenant_id', 'dial_code']).execute();
}
