import { ApiKeyRepo } from './auth/api-keys.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { SessionRepo } from './auth/sessions.js';
import type { EventBus } from './bus/event-bus.js';
import type { Config } from './core/config.js';
import type { Logger } from './core/logger.js';
import type { Metrics } from './core/metrics.js';
import type { SecretBox } from './core/secret-box.js';
import { Egress, egressAllowList } from './core/egress.js';
import { EgressPolicyRepo } from './core/egress-policy-repo.js';
import type { ServiceLookup } from './core/services.js';
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
  loginThrottle: LoginThrottle;
  /** Every fetch of a URL someone gave us goes through it (core/egress.ts). */
  egress: Egress;
  egressPolicies: EgressPolicyRepo;
  /** What features offer each other (see core/services.ts); in a feature, only what it declared. */
  services: ServiceLookup;
}

export function createRepos(store: Store, config: Config, secretBox: SecretBox) {
  const egressPolicies = new EgressPolicyRepo(store);
  return {
    tenants: new TenantRepo(store),
    users: new UserRepo(store),
    sessions: new SessionRepo(store, config.sessionTtlHours * 3600_000),
    apiKeys: new ApiKeyRepo(store),
    interactions: new InteractionRepo(store),
    webhooks: new WebhookRepo(store, secretBox),
    loginThrottle: new LoginThrottle(store, config.loginMaxAttempts),
    egressPolicies,
    egress: new Egress(
      egressAllowList(config),
      (tenantId) => egressPolicies.allow(tenantId),
    ),
  };
}
