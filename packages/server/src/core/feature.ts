import type { AppContext } from '../app-context.js';
import type { CallHooks } from '../calls/call-hooks.js';
import type { VerbRegistry } from '../calls/flows/verb-registry.js';
import type { HttpApp } from '../http/http-types.js';
import type { WsHub } from '../http/ws-hub.js';
import { featureErrors } from './feature-errors.js';
import type { ServiceLookup, ServiceName } from './services.js';

/** Stops what a feature's setup started; awaited on shutdown, in reverse boot order. */
export type Stop = () => Promise<void>;

/** A feature's HTTP surface. Each one is registered as its own encapsulated Fastify plugin. */
export type RoutePlugin = (app: HttpApp) => Promise<void>;

export interface FeatureRoutes {
  /**
   * Registers `plugin` in a scope of its own: hooks it adds (`onSend`, `onRequest`…)
   * apply to its routes only. `prefix` is prepended to every path it declares.
   */
  register(plugin: RoutePlugin, opts?: { prefix?: string }): Promise<void>;
}

/** What the server hands a feature's setup. */
export interface FeatureKit {
  routes: FeatureRoutes;
  ws: WsHub;
  /** The same view as `ctx.services`: only the services the feature declared. */
  services: ServiceLookup;
  /** Flow verbs: a feature registers its own (`verbs.register('deflect', { schema, run })`). */
  verbs: VerbRegistry;
  /** Where features plug into calls: inbound verification, verbs before a flow, outgoing headers, app ringing metadata. */
  callHooks: CallHooks;
  /** Base URL links must use (CALLSIGHT_PUBLIC_URL, else where the HTTP server listens); valid once the server listens. */
  baseUrl(): string;
}

/**
 * A capability of callsight (telephony, routing, branding…) in one folder. It
 * declares the services it `needs` (started after their providers; a missing one
 * fails the boot), `uses` (looked up when used, may be absent) and `provides`
 * (each name provided, or marked unavailable with a reason, by its setup). `setup`
 * registers routes, WebSocket messages and hooks, and returns how to stop.
 */
export interface Feature {
  name: string;
  needs?: readonly ServiceName[];
  uses?: readonly ServiceName[];
  provides?: readonly ServiceName[];
  setup(ctx: AppContext, kit: FeatureKit): Promise<Stop | void>;
}

/**
 * Checks the feature graph and orders it so every feature comes after the
 * providers of what it needs; otherwise list order is kept (it is the order
 * the reader sees in features.ts).
 */
export function orderFeatures(list: readonly Feature[]): Feature[] {
  const names = new Set<string>();
  const providerOf = new Map<string, Feature>();
  for (const f of list) {
    if (names.has(f.name)) throw featureErrors.duplicateFeature(f.name);
    names.add(f.name);
    for (const s of f.provides ?? []) {
      const other = providerOf.get(s);
      if (other) throw featureErrors.providedTwice(s, other.name, f.name);
      providerOf.set(s, f);
    }
  }
  const deps = new Map<Feature, Feature[]>();
  for (const f of list) {
    deps.set(
      f,
      (f.needs ?? []).map((s) => {
        const p = providerOf.get(s);
        if (!p) throw featureErrors.missingNeed(f.name, s, list.map((x) => x.name));
        return p;
      }),
    );
  }
  const ordered: Feature[] = [];
  const state = new Map<Feature, 'visiting' | 'done'>();
  const visit = (f: Feature, path: Feature[]) => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'visiting') throw featureErrors.cycle([...path.slice(path.indexOf(f)), f].map((x) => x.name));
    state.set(f, 'visiting');
    for (const d of deps.get(f)!) if (d !== f) visit(d, [...path, f]);
    state.set(f, 'done');
    ordered.push(f);
  };
  for (const f of list) visit(f, []);
  return ordered;
}
