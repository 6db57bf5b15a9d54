import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Refused attempts to read a saved card into a call (or to repeat one), with why: the
 * audit shows who tried what, and nothing was read. Only ids that exist in the tenant
 * are kept (a card, a call), never what a caller typed.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('vault_refusals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('attempt', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('card_id', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('brand', 'text')
    .addColumn('last4', 'text')
    .addColumn('call_id', 'text')
    .execute();
  await db.schema.createIndex('vault_refusals_tenant').on('vault_refusals').columns(['tenant_id', 'at']).execute();
}
