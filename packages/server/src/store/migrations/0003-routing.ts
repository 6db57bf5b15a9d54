import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Omnichannel routing: skills, queues, agents' routing state (with the load
 * counters that compare-and-set guards), work items, and web chat.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const ms = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('routing_settings')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('volumes', 'text', (c) => c.notNull())
    .addColumn('default_limit', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('routing_skills')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addUniqueConstraint('routing_skills_name', ['tenant_id', 'name'])
    .execute();

  await db.schema
    .createTable('routing_queues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('skills', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('sla_seconds', 'integer', (c) => c.notNull())
    .addColumn('text_during_voice', 'integer', (c) => c.notNull())
    .addColumn('accept_timeout_seconds', 'integer', (c) => c.notNull())
    .addColumn('wrap_up_seconds', 'integer', (c) => c.notNull())
    .addColumn('wrap_up_codes', 'text', (c) => c.notNull())
    .addColumn('overflow_queue_id', 'text')
    .addColumn('overflow_after_seconds', 'integer')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addUniqueConstraint('routing_queues_name', ['tenant_id', 'name'])
    .execute();

  await db.schema
    .createTable('routing_agents')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('skills', 'text', (c) => c.notNull())
    .addColumn('text_limit', 'integer', (c) => c.notNull())
    .addColumn('presence', 'text', (c) => c.notNull())
    .addColumn('presence_until', ms)
    .addColumn('media_count', 'integer', (c) => c.notNull())
    .addColumn('text_load', 'integer', (c) => c.notNull())
    .addColumn('idle_since', ms, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('routing_agents_tenant').on('routing_agents').columns(['tenant_id', 'presence']).execute();

  await db.schema
    .createTable('routing_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('queue_id', 'text', (c) => c.notNull().references('routing_queues.id'))
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('volume', 'integer', (c) => c.notNull())
    .addColumn('skills', 'text', (c) => c.notNull())
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('offer_expires_at', ms)
    .addColumn('declined_by', 'text', (c) => c.notNull())
    .addColumn('enqueued_at', ms, (c) => c.notNull())
    .addColumn('queue_entered_at', ms, (c) => c.notNull())
    .addColumn('assigned_at', ms)
    .addColumn('closed_at', ms)
    .addColumn('close_reason', 'text')
    .addColumn('wrap_up_code', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('routing_items_open').on('routing_items').columns(['state', 'tenant_id']).execute();
  await db.schema.createIndex('routing_items_queue').on('routing_items').columns(['tenant_id', 'queue_id', 'state']).execute();
  await db.schema.createIndex('routing_items_agent').on('routing_items').columns(['agent_id', 'state']).execute();

  await db.schema
    .createTable('chat_conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text')
    .addColumn('visitor_name', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('closed_at', ms)
    .execute();
  await db.schema.createIndex('chat_conversations_interaction').on('chat_conversations').columns(['tenant_id', 'interaction_id']).execute();

  await db.schema
    .createTable('chat_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('chat_conversations.id'))
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('chat_messages_conversation').on('chat_messages').columns(['conversation_id', 'id']).execute();
}
