import { ApiKeyRepo } from './auth/api-keys.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { SessionRepo } from './auth/sessions.js';
import type { EventBus } from './bus/event-bus.js';
import type { Config } from './core/config.js';
import type { Logger } from './core/logger.js';
import type { Metrics } from './core/metrics.js';
import type { SecretBox } from './core/secret-box.js';
import { ServiceRegistry } from './core/services.js';
import type { EventLog } from './store/event-log.js';
import { InteractionRepo } from './store/interactions.js';
import type { Store } from './store/store.js';
import { TenantRepo } from './store/tenants.js';
import { UserRepo } from './store/users.js';
import { WebhookRepo } from './webhooks/webhook-repo.js';

/**
 * What every feature gets: configuration, logging, persistence, the bus and the
 * shared repositories. Passed explicitly (no globals) so tests can run several
 * servers in one process.
 */
export interface AppContext {
  config: Config;
  log: Logger;
  store: Store;
  bus: EventBus;
  eventLog: EventLog;
  metrics: Metrics;
  secretBox: SecretBox;
  tenants: TenantRepo;
  users: UserRepo;
  sessions: SessionRepo;
  apiKeys: ApiKeyRepo;
  interactions: InteractionRepo;
  webhooks: WebhookRepo;
  loginLimiter: LoginLimiter;
  /** What features offer each other (see core/services.ts). */
  services: ServiceRegistry;
}

export function createRepos(store: Store, config: Config, secretBox: SecretBox) {
  return {
    tenants: new TenantRepo(store),
    users: new UserRepo(store),
    sessions: new SessionRepo(store, config.sessionTtlHours * 3600_000),
    apiKeys: new ApiKeyRepo(store),
    interactions: new InteractionRepo(store),
    webhooks: new WebhookRepo(store, secretBox),
    loginLimiter: new LoginLimiter(config.loginMaxAttempts),
    services: new ServiceRegistry(),
  };
}
