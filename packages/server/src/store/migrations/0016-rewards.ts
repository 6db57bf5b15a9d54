import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Rewards: programs, the double-entry ledger (accounts, immutable entries), activities
 * seen (once per activity id), cap counters per period, redemptions, payout settings
 * and the Merkle seals over the ledger.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  const big = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('reward_programs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('budget', big, (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('target', 'integer', (c) => c.notNull())
    .addColumn('weights', 'text', (c) => c.notNull())
    .addColumn('user_cap', big)
    .addColumn('device_cap', big)
    .addColumn('room_minutes', 'integer', (c) => c.notNull())
    .addColumn('starts_at', ms, (c) => c.notNull())
    .addColumn('ends_at', ms)
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reward_programs_tenant').on('reward_programs').columns(['tenant_id', 'starts_at']).execute();

  // One row per account: balances are kept with each entry, inside its transaction, and
  // re-derivable from the entries (the ledger check compares them).
  await db.schema
    .createTable('reward_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('debits', big, (c) => c.notNull())
    .addColumn('credits', big, (c) => c.notNull())
    .addColumn('entries', 'integer', (c) => c.notNull())
    /** 1: debits may never exceed credits (user balances, period budgets, pending holds). */
    .addColumn('guarded', 'integer', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reward_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    // Ledger order: a sequence on Postgres; on SQLite (one writer at a time) max + 1 in the entry's transaction.
    .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.notNull().unique())
    .addColumn('transfer_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('debit_account', 'text', (c) => c.notNull())
    .addColumn('credit_account', 'text', (c) => c.notNull())
    .addColumn('amount', big, (c) => c.notNull())
    .addColumn('program_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', ms, (c) => c.notNull())
    .addUniqueConstraint('reward_entries_transfer', ['tenant_id', 'transfer_id'])
    .execute();
  await db.schema.createIndex('reward_entries_debit').on('reward_entries').columns(['debit_account', 'seq']).execute();
  await db.schema.createIndex('reward_entries_credit').on('reward_entries').columns(['credit_account', 'seq']).execute();

  // Counters per program period: what a user / a device earned, and the period's awards.
  await db.schema
    .createTable('reward_counters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('program_id', 'text', (c) => c.notNull())
    .addColumn('period_key', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('points', big, (c) => c.notNull())
    .addColumn('awards', 'integer', (c) => c.notNull())
    .addColumn('weight_sum', 'real', (c) => c.notNull())
    .addColumn('capped', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reward_counters_period').on('reward_counters').columns(['program_id', 'period_key', 'points']).execute();

  await db.schema
    .createTable('reward_redemptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('points', big, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('to_ref', 'text', (c) => c.notNull())
    .addColumn('amount', 'text')
    .addColumn('nonce', 'integer')
    .addColumn('raw_tx', 'text')
    .addColumn('tx_hash', 'text')
    .addColumn('confirmations', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('lease_until', ms, (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('reward_redemptions_request', ['tenant_id', 'user_id', 'request_id'])
    .execute();
  await db.schema.createIndex('reward_redemptions_user').on('reward_redemptions').columns(['tenant_id', 'user_id', 'created_at']).execute();
  await db.schema.createIndex('reward_redemptions_open').on('reward_redemptions').columns(['status', 'lease_until']).execute();

  await db.schema
    .createTable('reward_payout_configs')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey())
    .addColumn('rpc_url', 'text', (c) => c.notNull())
    .addColumn('chain_id', 'integer', (c) => c.notNull())
    .addColumn('token_address', 'text')
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('decimals', 'integer', (c) => c.notNull())
    .addColumn('units_per_point', 'text', (c) => c.notNull())
    .addColumn('confirmations', 'integer', (c) => c.notNull())
    .addColumn('hot_wallet', 'text', (c) => c.notNull())
    .addColumn('key_sealed', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reward_seals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('from_seq', big, (c) => c.notNull())
    .addColumn('to_seq', big, (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('root', 'text', (c) => c.notNull())
    .addColumn('sealed_at', ms, (c) => c.notNull())
    .addUniqueConstraint('reward_seals_from', ['tenant_id', 'from_seq'])
    .execute();
}
