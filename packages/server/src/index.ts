export { loadConfig, type Config } from './core/config.js';
export { CallsightError } from './core/errors.js';
export { startServer, type RunningServer } from './server.js';
export type { AnyEvent, CallsightEvent, EventMap, EventType } from './bus/event-map.js';
export { verifyWebhook, signWebhook } from './webhooks/webhook-signature.js';
