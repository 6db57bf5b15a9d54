import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** Keypad captures of the vault: who collected a card on which call, how it ended, the connector's token (never the number). */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('vault_captures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('customer_call_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('brand', 'text')
    .addColumn('last4', 'text')
    .addColumn('payment_token', 'text')
    .addColumn('amount', 'integer')
    .addColumn('currency', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('started_at', ms, (c) => c.notNull())
    .addColumn('ended_at', ms)
    .addColumn('markers', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vault_captures_key').on('vault_captures').columns(['tenant_id', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('vault_captures_tenant').on('vault_captures').columns(['tenant_id', 'started_at']).execute();
}
