import type { CallsightEvent, EventType } from '@callsight/protocol';

/**
 * The typed event catalogue is the protocol's (`@callsight/protocol`'s EventMap):
 * every event a feature publishes is declared there, once, for the server, the SDK
 * and webhook receivers alike, so `bus.publish({ type: 'call.answered', data })` is
 * checked at compile time against what clients are told they receive.
 */
export { typeMatches } from '@callsight/protocol';
export type { AnyEvent, CallsightEvent, EventMap, EventType } from '@callsight/protocol';

export type PublishInput<T extends EventType> = Omit<CallsightEvent<T>, 'id' | 'time'> & { id?: string; time?: number };
