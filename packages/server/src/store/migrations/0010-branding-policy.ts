import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** Per-tenant branded-calling policy: which attestations show a brand, whether unverified caller names pass through. */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('branding_policies')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('brand_attestations', 'text', (c) => c.notNull())
    .addColumn('unverified_names', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
}
