import type { ServerMessage } from '@callsight/protocol';

/**
 * What Room and Phone need from a connection: request/reply and pushed messages.
 * `CallsightClient.realtime()` (logged-in users) and `guestStream()` (anonymous room
 * guests) both provide it.
 */
export interface SignalChannel {
  request(kind: string, payload?: Record<string, unknown>): Promise<ServerMessage>;
  on(type: 'message', listener: (message: ServerMessage) => void): () => void;
}
