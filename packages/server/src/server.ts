import type { AppContext } from './app-context.js';
import { createRepos } from './app-context.js';
import type { EventBus } from './bus/event-bus.js';
import { MemoryBus } from './bus/memory-bus.js';
import { NatsBus } from './bus/nats-bus.js';
import type { Config } from './core/config.js';
import { createLogger, type Logger } from './core/logger.js';
import { Metrics } from './core/metrics.js';
import { setListenerErrorHandler } from './core/typed-emitter.js';
import { SecretBox } from './core/secret-box.js';
import type { Feature } from './core/feature.js';
import { bootFeatures } from './core/feature-boot.js';
import { ServiceRegistry } from './core/services.js';
import { features as allFeatures } from './features.js';
import { buildHttpApp } from './http/http-app.js';
import type { HttpApp } from './http/http-types.js';
import type { WsHub } from './http/ws-hub.js';
import { seedDemo } from './seed/demo-tenant.js';
import { EventLog } from './store/event-log.js';
import { Store } from './store/store.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';

export interface RunningServer {
  ctx: AppContext;
  http: HttpApp;
  ws: WsHub;
  /** Base URL the HTTP server listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Postgres schema (tests isolate runs with one each). */
  storeSchema?: string;
  listen?: boolean;
  /** The features to run (default: all of features.ts); tests boot the subset they exercise. */
  features?: readonly Feature[];
}

const DRAIN_MS = 10_000;

/** Open the store and bus, run migrations, start features and the HTTP server. */
export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.logger ?? createLogger(config.logLevel);
  // A listener that throws inside a media tick or a SIP transaction is logged, not fatal (core/typed-emitter.ts).
  setListenerErrorHandler((err, event, emitter) => log.error({ err, event, emitter }, 'event listener failed'));
  const store = await Store.open({ url: config.databaseUrl, dataDir: config.dataDir, schema: opts.storeSchema });
  const stoppers: (() => Promise<void>)[] = [() => store.close()];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch((err) => log.warn({ err }, 'shutdown step failed'));
  };
  try {
    await store.migrate();
    const metrics = new Metrics();
    const eventLog = new EventLog(store);
    const bus: EventBus = config.natsUrl
      ? await NatsBus.connect({ url: config.natsUrl, stream: config.natsStream }, eventLog, log, metrics)
      : new MemoryBus(eventLog, log, metrics);
    stoppers.push(() => bus.close());
    const secretBox = config.masterKey ? SecretBox.fromKey(config.masterKey) : SecretBox.fromDataDir(config.dataDir);
    const services = new ServiceRegistry();
    const ctx: AppContext = { config, log, store, bus, eventLog, metrics, secretBox, ...createRepos(store, config, secretBox), services };

    if (config.seedDemo) await seedDemo(ctx);
    // A key revoked through any process stops working here too, not only after the cache TTL.
    const revocations = await bus.subscribe({ types: ['apikey.revoked'] }, (e) => ctx.apiKeys.forget((e.data as { apiKeyId: string }).apiKeyId));
    stoppers.push(() => revocations.unsubscribe());

    const dispatcher = new WebhookDispatcher(ctx);
    await dispatcher.start();
    stoppers.push(() => dispatcher.stop());

    const { app, ws, schemas } = await buildHttpApp(ctx);
    await ws.start();
    stoppers.push(() => ws.stop());
    await bootFeatures(ctx, services, opts.features ?? allFeatures, { app, ws, schemas }, (stop) => stoppers.push(stop));
    // Drain in-flight requests, but a client that never finishes reading cannot hold shutdown hostage.
    stoppers.push(async () => {
      const drained = app.close();
      const timer = setTimeout(() => app.server.closeAllConnections(), DRAIN_MS);
      await drained;
      clearTimeout(timer);
    });
    let url = '';
    if (opts.listen !== false) {
      url = await app.listen({ host: config.httpHost, port: config.httpPort });
      url = url.replace('0.0.0.0', '127.0.0.1');
    }
    return { ctx, http: app, ws, url, close: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
