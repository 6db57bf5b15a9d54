import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** Brands (who a tenant calls as), the local STI-CA's certificates and the per-tenant app signing key. */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('branding_brands')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('logo_mime', 'text')
    .addColumn('logo_data', 'text')
    .addColumn('logo_url', 'text')
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('numbers', 'text', (c) => c.notNull())
    .addColumn('content_kind', 'text', (c) => c.notNull())
    .addColumn('content_title', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('deleted_at', ms)
    .execute();
  await db.schema.createIndex('branding_brands_tenant').on('branding_brands').columns(['tenant_id', 'id']).execute();

  await db.schema
    .createTable('branding_certs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('brand_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('chain_pem', 'text', (c) => c.notNull())
    .addColumn('sealed_key', 'text', (c) => c.notNull())
    .addColumn('tn_auth', 'text')
    .addColumn('not_before', ms, (c) => c.notNull())
    .addColumn('not_after', ms, (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('branding_certs_brand').on('branding_certs').columns(['tenant_id', 'brand_id', 'not_after']).execute();

  await db.schema
    .createTable('branding_app_keys')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('sealed_private_key', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
}
