import type { AccessEvents } from './access-events.js';
import type { BrandingEvents } from './branding-events.js';
import type { CallEvents } from './call-events.js';
import type { ConfirmEvents } from './confirm-events.js';
import type { CoreEvents } from './core-events.js';
import type { DeflectionEvents } from './deflection-events.js';
import type { RoomEvents } from './room-events.js';
import type { RewardEvents } from './reward-events.js';
import type { RoutingEvents } from './routing-events.js';
import type { SmsEvents } from './sms-events.js';
import type { ConversationEvents } from './conversation-events.js';
import type { RulesEvents } from './rules-events.js';
import type { EmergencyEvents } from './emergency-events.js';
import type { VaultEvents } from './vault-events.js';
import type { DeskEvents } from './desk-events.js';

/**
 * Every event type on the bus and its payload: what the server publishes, what the
 * WS stream and webhooks deliver, and what the SDK types `data` with. A new
 * feature adds its `<feature>-events.ts` here; the server's bus accepts only these.
 */
export interface EventMap extends CoreEvents, AccessEvents, CallEvents, RoutingEvents, RoomEvents, DeflectionEvents, BrandingEvents, ConfirmEvents, SmsEvents, ConversationEvents, RulesEvents, EmergencyEvents, VaultEvents, DeskEvents, RewardEvents {}

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

/** Any event, narrowed by `type`: `if (e.type === 'call.ended') e.data.cause`. */
export type AnyEvent = { [T in EventType]: CallsightEvent<T> }[EventType];

/** Narrows an event to a known type so its `data` is typed. */
export function isEventType<T extends EventType>(event: { type: string }, type: T): event is CallsightEvent<T> {
  return event.type === type;
}

/** `call.` matches `call.answered`; `*` or '' matches all. */
export function typeMatches(type: string, prefixes: readonly string[] | undefined): boolean {
  if (!prefixes || prefixes.length === 0) return true;
  return prefixes.some((p) => p === '*' || p === '' || type === p || (p.endsWith('.') ? type.startsWith(p) : type.startsWith(p + '.')));
}
