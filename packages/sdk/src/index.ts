export { CallsightClient, type CallsightClientOptions } from './client.js';
export { CallsightApiError, CallsightRealtimeError } from './errors.js';
export { EventStream, type EventStreamOptions, type StreamListeners, type WebSocketConstructor, type WebSocketLike } from './event-stream.js';
export * from './types.js';
