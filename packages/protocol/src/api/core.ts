import type { AnyEvent } from '../events/event-map.js';
/**
 * Core REST shapes: tenants, users, API keys, webhooks, interactions, the event log
 * and problem details. Every time is epoch milliseconds.
 */

export type Role = 'admin' | 'supervisor' | 'agent' | 'customer';
export const ROLES = ['admin', 'supervisor', 'agent', 'customer'] as const satisfies readonly Role[];

/** The web app each role works in; password-reset links open there. */
export const HOME_APP_PATH = { admin: '/admin/', supervisor: '/admin/', agent: '/agent/', customer: '/phone/' } as const satisfies Record<Role, string>;

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
  createdAt: number;
  disabled: boolean;
}

export interface LoginResult {
  user: User;
  tenant: Tenant;
}

/** POST /api/users/:id/password-reset: a one-time link to choose a new password, shown to the admin once. */
export interface PasswordResetLink {
  url: string;
  expiresAt: number;
}

/** Who the client is: a logged-in user (cookie) or an API key (`user` is null). */
export interface Me {
  user: User | null;
  apiKeyId: string | null;
  role: Role;
  tenant: Tenant;
}

/** GET /api/demo: what the landing page shows of the demo tenant. `password` only when it is the default. */
export interface DemoInfo {
  enabled: boolean;
  tenant: string | null;
  password: string | null;
  users: { email: string; name: string; role: Role }[];
}

/** GET /api/demo: what the landing page shows of the demo tenant. `password` only when it is the default. */
export interface DemoInfo {
  enabled: boolean;
  tenant: string | null;
  password: string | null;
  users: { email: string; name: string; role: Role }[];
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

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
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
export const CHANNELS = ['voice', 'video', 'chat', 'sms', 'app', 'web', 'email'] as const satisfies readonly Channel[];

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

/** A page of interactions, with which of them have a call going on now (an open interaction may be quiet, awaiting a link or a card). */
export interface InteractionPage {
  items: Interaction[];
  nextCursor: string | null;
  /** Ids of the listed interactions with a call not yet ended. */
  onCall: string[];
}

/** One interaction as a supervisor reads it: its record, whether a call of it is going on, the people its events name, and its events. */
export interface InteractionDetail {
  interaction: Interaction;
  onCall: boolean;
  /** The users its events and record refer to (customer, agents, supervisors), so screens show names instead of ids. */
  people: { id: string; name: string; role: Role; phoneNumber: string | null }[];
  /** Its events, oldest first. */
  timeline: AnyEvent[];
}

export interface InteractionQuery {
  state?: 'open' | 'closed';
  customerId?: string;
  /** Cursor: the `nextCursor` of the previous page. */
  before?: string;
  limit?: number;
}

export interface FieldIssue {
  /** e.g. `body.email` */
  path: string;
  message: string;
  /** For an expression field: the 0-based character offset of the error in it. */
  position?: number;
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

/**
 * The header that signs webhook deliveries (and the HTTP SMS gateway's requests):
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. The timestamp is inside
 * the MAC so a captured delivery cannot be replayed later (receivers reject old `t`).
 */
export const WEBHOOK_SIGNATURE_HEADER = 'callsight-signature';
