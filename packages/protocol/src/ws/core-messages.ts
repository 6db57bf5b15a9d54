import type { Role } from '../api/core.js';
import type { AnyEvent } from '../events/event-map.js';

/**
 * /api/ws: JSON messages `{kind, ref?, …}`. A request's reply echoes its `ref`;
 * errors are `{kind:'error', ref, code, message}` and never close the socket.
 */

/** What the client may send to any /api/ws socket; features add their own kinds. */
export type CoreClientMessage =
  | { kind: 'subscribe'; ref?: string; types?: string[]; interactionId?: string }
  | { kind: 'ping'; ref?: string };

/** The greeting on connect; guests of a room (/api/rooms/ws) have no tenant, user or role. */
export type HelloMessage = { kind: 'hello'; tenantId: string; userId: string | null; role: Role } | { kind: 'hello'; tenantId: null; userId: null; role: 'guest' };
export type EventMessage = { kind: 'event'; event: AnyEvent };
export type ErrorMessage = { kind: 'error'; ref?: string; code: string; message: string };

export type CoreServerMessage =
  | HelloMessage
  | EventMessage
  | ErrorMessage
  | { kind: 'subscribed'; ref?: string; types: string[]; interactionId: string | null }
  | { kind: 'pong'; ref?: string };

/** What to receive on a realtime stream. */
export interface StreamFilter {
  types?: string[];
  interactionId?: string;
}
