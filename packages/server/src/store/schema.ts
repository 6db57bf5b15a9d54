import type { Role } from '@callsight/protocol';
import type { Generated } from 'kysely';

/**
 * Table types for Kysely. Times are epoch milliseconds (bigint in Postgres,
 * integer in SQLite); JSON values are stored as text so both dialects agree.
 */
export interface TenantsTable {
  id: string;
  name: string;
  slug: string;
  created_at: number;
}

export type { Role };

export interface UsersTable {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string | null;
  phone_number: string | null;
  created_at: number;
  disabled_at: number | null;
  /** Set when an admin removed the user: the row keeps history's names, nothing personal. */
  removed_at?: number | null;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token: a leaked table cannot be replayed as cookies. */
  id: string;
  user_id: string;
  tenant_id: string;
  created_at: number;
  expires_at: number;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string;
  role: Role;
  secret_hash: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  tenant_id: string;
  type: string;
  time: number;
  interaction_id: string | null;
  user_ids: string | null;
  data: string;
}

export interface InteractionsTable {
  id: string;
  tenant_id: string;
  customer_id: string | null;
  channels: string;
  state: 'open' | 'closed';
  subject: string | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
}

export interface WebhooksTable {
  id: string;
  tenant_id: string;
  url: string;
  types: string;
  description: string | null;
  /** Sealed with the server's master key (AES-256-GCM): needed in clear to sign, never stored in clear. */
  secret_sealed: string;
  created_at: number;
  disabled_at: number | null;
}

export interface WebhookDeliveriesTable {
  id: string;
  tenant_id: string;
  webhook_id: string;
  event_id: string;
  event_seq: number;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface CursorsTable {
  name: string;
  position: number;
  lease_owner: string | null;
  lease_until: number | null;
}

export interface Database {
  tenants: TenantsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  events: EventsTable;
  interactions: InteractionsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  cursors: CursorsTable;
}
