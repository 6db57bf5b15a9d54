import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** SMS messages and conversations; call deflections and per-number deflection rules. */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('sms_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('interaction_id', 'text')
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('peer', 'text', (c) => c.notNull())
    .addColumn('own_number', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('smsc_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sms_messages_smsc').on('sms_messages').column('smsc_id').execute();
  await db.schema.createIndex('sms_messages_interaction').on('sms_messages').columns(['tenant_id', 'interaction_id', 'id']).execute();

  await db.schema
    .createTable('sms_threads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('peer', 'text', (c) => c.notNull())
    .addColumn('own_number', 'text', (c) => c.notNull())
    .addColumn('interaction_id', 'text', (c) => c.notNull().references('interactions.id'))
    .addColumn('item_id', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sms_threads_peer').on('sms_threads').columns(['tenant_id', 'peer', 'own_number']).execute();

  await db.schema
    .createTable('deflections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('interaction_id', 'text', (c) => c.notNull().references('interactions.id'))
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('digits', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text')
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('opened_at', ms)
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deflections_call').on('deflections').columns(['tenant_id', 'call_id']).execute();

  await db.schema
    .createTable('deflection_rules')
    .addColumn('number_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
}
