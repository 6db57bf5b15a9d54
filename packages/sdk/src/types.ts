/**
 * Wire types of the callsight API. They mirror the server's zod schemas
 * (packages/server/src/**\/*-routes.ts), which are the source of truth and are
 * also published as OpenAPI at /api/openapi.json.
 */

export type Role = 'admin' | 'supervisor' | 'agent' | 'customer';

export interface Tenant {
  id: string;
  name: string;
  slug: string;
}

export interface User {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  phoneNumber: string | null;
  /** Epoch milliseconds, like every time in the API. */
  createdAt: number;
  disabled: boolean;
}

export interface LoginResult {
  user: User;
  tenant: Tenant;
}

/** Who the client is: a logged-in user (cookie) or an API key (`user` is null). */
export interface Me {
  user: User | null;
  apiKeyId: string | null;
  role: Role;
  tenant: Tenant;
}

export interface CreateUserInput {
  email: string;
  name: string;
  role: Role;
  /** At least 8 characters. */
  password: string;
  /** Digits, optionally with a leading +. */
  phoneNumber?: string;
}

export interface UpdateUserInput {
  name?: string;
  role?: Role;
  password?: string;
  phoneNumber?: string | null;
  disabled?: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  /** The first characters of the key, to recognise it in lists. */
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revoked: boolean;
}

/** Returned once by `apiKeys.create`: the server stores only a hash of `key`. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface CreateApiKeyInput {
  name: string;
  /** Defaults to admin; cannot exceed the creator's own role. */
  role?: Role;
}

export interface Webhook {
  id: string;
  url: string;
  /** Event type prefixes such as `call.` or `user.created`; empty means all. */
  types: string[];
  description: string | null;
  createdAt: number;
}

/** Returned once by `webhooks.create`: the HMAC secret that signs deliveries. */
export interface CreatedWebhook extends Webhook {
  secret: string;
}

export interface CreateWebhookInput {
  url: string;
  types?: string[];
  description?: string;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

/** The events the server core publishes; features add more types over time. */
export interface EventMap {
  'tenant.created': { tenantId: string; name: string; slug: string };
  'user.created': { userId: string; email: string; role: Role };
  'user.login': { userId: string };
  'apikey.created': { apiKeyId: string; name: string; role: Role };
  'apikey.revoked': { apiKeyId: string };
  'webhook.created': { webhookId: string; url: string; types: string[] };
  'webhook.deleted': { webhookId: string };
  'interaction.created': { interactionId: string; channels: string[]; customerId: string | null };
  'interaction.updated': { interactionId: string; channels: string[]; state: string };
  'interaction.closed': { interactionId: string };
}

export interface CallsightEvent<D = unknown> {
  id: string;
  tenantId: string;
  type: string;
  time: number;
  /** The customer contact (interaction) this event belongs to. */
  interactionId?: string;
  /** Non-staff users who may see this event. */
  userIds?: string[];
  data: D;
}

/** Narrows an event to a known type so its `data` is typed. */
export function isEventType<T extends keyof EventMap>(event: CallsightEvent, type: T): event is CallsightEvent<EventMap[T]> {
  return event.type === type;
}

export interface EventQuery {
  /** Type prefixes: `['call.', 'user.created']`. */
  types?: string[];
  interactionId?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  cursor?: string;
  /** 1–500, default 50. */
  limit?: number;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` (events) or `before` (interactions); null on the last page. */
  nextCursor: string | null;
}

export type Channel = 'voice' | 'video' | 'chat' | 'sms' | 'app' | 'web' | 'email';

export interface Interaction {
  id: string;
  tenantId: string;
  customerId: string | null;
  channels: Channel[];
  state: 'open' | 'closed';
  subject: string | null;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
}

export interface InteractionQuery {
  state?: 'open' | 'closed';
  customerId?: string;
  /** Cursor: the `nextCursor` of the previous page. */
  before?: string;
  limit?: number;
}

/** RFC 9457 problem details as the server sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  fields?: FieldIssue[];
}

export interface FieldIssue {
  /** e.g. `body.email` */
  path: string;
  message: string;
}

/** What to receive on a realtime stream. */
export interface StreamFilter {
  types?: string[];
  interactionId?: string;
}

/** Messages the server sends on /api/ws. Features add kinds, hence the open member. */
export type ServerMessage =
  | { kind: 'hello'; tenantId: string; userId: string | null; role: Role }
  | { kind: 'event'; event: CallsightEvent }
  | { kind: 'error'; ref?: string; code: string; message: string }
  | { kind: 'subscribed'; ref?: string; types: string[]; interactionId: string | null }
  | { kind: 'pong'; ref?: string }
  | { kind: string; ref?: string; [field: string]: unknown };

export type HelloMessage = Extract<ServerMessage, { kind: 'hello' }>;
