import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** The card vault: sealed cards (envelope-encrypted numbers, keyed hashes) and the audit of cards spoken into calls. */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('vault_cards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('last4', 'text', (c) => c.notNull())
    .addColumn('exp_month', 'integer', (c) => c.notNull())
    .addColumn('exp_year', 'integer', (c) => c.notNull())
    .addColumn('holder_name', 'text', (c) => c.notNull())
    .addColumn('pan_hash', 'text', (c) => c.notNull())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('key_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('revoked_at', ms)
    .execute();
  await db.schema.createIndex('vault_cards_customer').on('vault_cards').columns(['tenant_id', 'customer_id', 'status']).execute();
  await db.schema.createIndex('vault_cards_hash').on('vault_cards').columns(['tenant_id', 'pan_hash']).execute();
  await db.schema.createIndex('vault_cards_version').on('vault_cards').columns(['key_version']).execute();

  await db.schema
    .createTable('vault_speaks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('card_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('last4', 'text', (c) => c.notNull())
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('other_call_id', 'text')
    .addColumn('started_at', ms, (c) => c.notNull())
    .addColumn('duration_ms', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('markers', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vault_speaks_tenant').on('vault_speaks').columns(['tenant_id', 'started_at']).execute();
}
