import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Access control beyond roles: each tenant's outbound-calling policy and egress
 * allow-list (JSON documents, validated on write), and login throttles per
 * (account, address) shared by every process so a lock can be seen and cleared.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('outbound_policies')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('egress_policies')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('allow', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('login_throttles')
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', ms, (c) => c.notNull())
    .addColumn('blocked_until', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('login_throttles_pk', ['account', 'address'])
    .execute();
  await db.schema.createIndex('login_throttles_blocked').on('login_throttles').columns(['blocked_until']).execute();
}
