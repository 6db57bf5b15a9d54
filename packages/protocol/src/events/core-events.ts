import type { Channel, Role } from '../api/core.js';

/** Events of the server core: tenants, users, API keys, webhooks, interactions. */
export interface CoreEvents {
  'tenant.created': { tenantId: string; name: string; slug: string };
  'user.created': { userId: string; email: string; role: Role };
  'user.login': { userId: string };
  /** Who changed what (never the password itself); `role` and `disabled` carry the new values. */
  'user.updated': { userId: string; changed: ('name' | 'role' | 'password' | 'phoneNumber' | 'disabled')[]; role?: { from: Role; to: Role }; disabled?: boolean; by: string | null };
  /** An admin removed a user: their sessions end and their sockets close in every process. */
  'user.removed': { userId: string; by: string | null };
  /** A cookie session ended (logout): sockets it opened close in every process. */
  'session.ended': { userId: string; sessionRef: string; reason: 'logout' };
  'apikey.created': { apiKeyId: string; name: string; role: Role };
  'apikey.revoked': { apiKeyId: string };
  'webhook.created': { webhookId: string; url: string; types: string[] };
  'webhook.deleted': { webhookId: string };
  'interaction.created': { interactionId: string; channels: Channel[]; customerId: string | null };
  'interaction.updated': { interactionId: string; channels: Channel[]; state: string };
  'interaction.closed': { interactionId: string };
}
