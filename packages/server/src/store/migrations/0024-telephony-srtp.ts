import type { Kysely } from 'kysely';

/** Each SIP account and trunk says whether its media is SDES-SRTP: off, optional (the default) or required. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sip_accounts').addColumn('srtp', 'text', (c) => c.notNull().defaultTo('optional')).execute();
  await db.schema.alterTable('trunks').addColumn('srtp', 'text', (c) => c.notNull().defaultTo('optional')).execute();
}
