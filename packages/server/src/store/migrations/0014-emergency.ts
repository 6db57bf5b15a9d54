import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** Emergency devices (key hashed), their emergencies with the evidence window, and each tenant's emergency settings. */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('emergency_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text')
    .addColumn('contacts', 'text', (c) => c.notNull())
    .addColumn('psaps', 'text', (c) => c.notNull())
    .addColumn('civic_address', 'text')
    .addColumn('callback_number', 'text')
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('revoked_at', ms)
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('last_seen_at', ms)
    .addColumn('last_fix', 'text')
    .addColumn('device_info', 'text')
    .execute();
  await db.schema.createIndex('emergency_devices_tenant').on('emergency_devices').columns(['tenant_id', 'id']).execute();
  await db.schema
    .createTable('emergencies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('device_id', 'text', (c) => c.notNull().references('emergency_devices.id'))
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('confidence', 'real', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('call_at', ms, (c) => c.notNull())
    .addColumn('psap', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('ended_at', ms)
    .execute();
  await db.schema.createIndex('emergencies_tenant').on('emergencies').columns(['tenant_id', 'id']).execute();
  await db.schema.createIndex('emergencies_device').on('emergencies').columns(['device_id', 'state']).execute();
  await db.schema
    .createTable('emergency_settings')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
}
