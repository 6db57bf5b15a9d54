import type { AddressInfo } from 'node:net';
import type { AppContext } from '../app-context.js';
import { CallHooks } from '../calls/call-hooks.js';
import { VerbRegistry } from '../calls/flows/verb-registry.js';
import type { SchemaNames } from '../http/http-app.js';
import type { HttpApp } from '../http/http-types.js';
import type { WsHub } from '../http/ws-hub.js';
import { orderFeatures, type Feature, type FeatureKit, type Stop } from './feature.js';
import { featureErrors } from './feature-errors.js';
import type { ServiceRegistry } from './services.js';

/**
 * Sets features up in dependency order. A feature whose need is off under this
 * configuration (telephony with SIP disabled) is not set up, and says so in the
 * log; what it would have provided is off too, with the same reason.
 * Each stop is handed to `onStop` as soon as it exists, so a boot that fails
 * half-way still stops what it started.
 */
export async function bootFeatures(
  ctx: AppContext,
  registry: ServiceRegistry,
  list: readonly Feature[],
  http: { app: HttpApp; ws: WsHub; schemas: SchemaNames },
  onStop: (stop: Stop) => void,
): Promise<void> {
  // One of each per server: the calls layer runs what features put in them.
  const verbs = new VerbRegistry();
  http.schemas.add(verbs.verb, { id: 'FlowVerb' });
  const callHooks = new CallHooks(ctx.log.child({ component: 'call-hooks' }));
  const baseUrl = () => {
    if (ctx.config.publicUrl) return ctx.config.publicUrl.replace(/\/$/, '');
    const addr = http.app.server.address() as AddressInfo | null;
    const host = !addr || addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${addr?.port ?? ctx.config.httpPort}`;
  };
  for (const feature of orderFeatures(list)) {
    const blocked = (feature.needs ?? []).find((s) => !registry.has(s));
    if (blocked) {
      const reason = `needs ${blocked}, which is off: ${registry.whyOff(blocked) ?? 'not provided'}`;
      ctx.log.info({ feature: feature.name }, `${feature.name} not started: ${reason}`);
      for (const s of feature.provides ?? []) registry.unavailable(s, reason);
      continue;
    }
    const services = registry.scope(feature);
    const kit: FeatureKit = {
      routes: {
        register: async (plugin, opts) => {
          // Not wrapped in fastify-plugin: the plugin gets its own scope, so its hooks stay its own.
          await http.app.register(async (scope) => plugin(scope as HttpApp), { prefix: opts?.prefix });
        },
      },
      ws: http.ws,
      services,
      verbs,
      callHooks,
      baseUrl,
    };
    const stop = await feature.setup({ ...ctx, services }, kit);
    if (stop) onStop(stop);
    for (const s of feature.provides ?? []) if (!registry.has(s) && !registry.whyOff(s)) throw featureErrors.notProvided(feature.name, s);
  }
}
