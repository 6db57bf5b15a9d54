import type { Role } from '../store/schema.js';

/**
 * The typed event catalogue. Each feature adds its events to this interface by
 * declaration merging in its own folder:
 *
 *   declare module '../bus/event-map.js' {
 *     interface EventMap { 'call.answered': { callId: string } }
 *   }
 *
 * so `bus.publish({ type: 'call.answered', data })` is checked at compile time.
 */
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

export type EventType = keyof EventMap & string;

export interface CallsightEvent<T extends EventType = EventType> {
  id: string;
  tenantId: string;
  type: T;
  /** Epoch milliseconds. */
  time: number;
  /** The customer contact this event belongs to (correlation id). */
  interactionId?: string;
  /** Non-staff users who may see this event (e.g. the customer on the call). Staff see all of their tenant. */
  userIds?: string[];
  data: EventMap[T];
}

/** Any event, for code that handles the stream generically (audit, WS, webhooks). */
export type AnyEvent = { [T in EventType]: CallsightEvent<T> }[EventType];

export type PublishInput<T extends EventType> = Omit<CallsightEvent<T>, 'id' | 'time'> & { id?: string; time?: number };

/** `call.` matches `call.answered`; `*` or '' matches all. */
export function typeMatches(type: string, prefixes: readonly string[] | undefined): boolean {
  if (!prefixes || prefixes.length === 0) return true;
  return prefixes.some((p) => p === '*' || p === '' || type === p || (p.endsWith('.') ? type.startsWith(p) : type.startsWith(p + '.')));
}
