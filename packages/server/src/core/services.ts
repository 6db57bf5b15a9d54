import { featureErrors } from './feature-errors.js';

/**
 * Services features offer each other (the call manager, the router…). A feature
 * declares what it provides by merging into `Services`:
 *
 *   declare module '../core/services.js' { interface Services { telephony: Telephony } }
 *
 * lists the name in its `provides` (core/feature.ts) and provides it in `setup`;
 * consumers list it in `needs` (or `uses`, when they cope without it) and ask for it
 * by name, so no feature imports another's internals.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Services {}

export type ServiceName = keyof Services & string;

/** What a feature may do with the registry: look up services it declared, provide its own. */
export interface ServiceLookup {
  get<K extends ServiceName>(name: K): Services[K];
  maybe<K extends ServiceName>(name: K): Services[K] | undefined;
  provide<K extends ServiceName>(name: K, service: Services[K]): void;
  /** A declared service that will not run under this configuration, and why (dependents that need it are not started). */
  unavailable(name: ServiceName, reason: string): void;
  remove(name: ServiceName): void;
}

/** The services of one running server (tests run several in one process). */
export class ServiceRegistry implements ServiceLookup {
  private readonly services = new Map<string, unknown>();
  private readonly off = new Map<string, string>();

  provide<K extends ServiceName>(name: K, service: Services[K]): void {
    // Two providers would mean half the server talks to one and half to the other.
    if (this.services.has(name) || this.off.has(name)) throw featureErrors.providedTwice(name, 'one feature', 'another');
    this.services.set(name, service);
  }

  unavailable(name: ServiceName, reason: string): void {
    if (this.services.has(name)) throw featureErrors.providedTwice(name, 'one feature', 'another');
    this.off.set(name, reason);
  }

  /** Why a service is not running, when its provider said so. */
  whyOff(name: ServiceName): string | undefined {
    return this.off.get(name);
  }

  has(name: ServiceName): boolean {
    return this.services.has(name);
  }

  get<K extends ServiceName>(name: K): Services[K] {
    const s = this.services.get(name);
    if (s === undefined) {
      const reason = this.off.get(name);
      throw reason ? featureErrors.unavailable(name, reason) : featureErrors.notRunning(name);
    }
    return s as Services[K];
  }

  remove(name: ServiceName): void {
    this.services.delete(name);
    this.off.delete(name);
  }

  maybe<K extends ServiceName>(name: K): Services[K] | undefined {
    return this.services.get(name) as Services[K] | undefined;
  }

  /**
   * The registry as one feature sees it: only what it declared. A lookup of an
   * undeclared service is a bug in that feature, reported on first use.
   */
  scope(feature: { name: string; needs?: readonly ServiceName[]; uses?: readonly ServiceName[]; provides?: readonly ServiceName[] }): ServiceLookup {
    const readable = new Set<string>([...(feature.needs ?? []), ...(feature.uses ?? []), ...(feature.provides ?? [])]);
    const own = new Set<string>(feature.provides ?? []);
    const canRead = (name: string) => {
      if (!readable.has(name)) throw featureErrors.undeclared(feature.name, name, 'needs or uses');
    };
    const canWrite = (name: string) => {
      if (!own.has(name)) throw featureErrors.undeclared(feature.name, name, 'provides');
    };
    return {
      get: (name) => (canRead(name), this.get(name)),
      maybe: (name) => (canRead(name), this.maybe(name)),
      provide: (name, service) => (canWrite(name), this.provide(name, service)),
      unavailable: (name, reason) => (canWrite(name), this.unavailable(name, reason)),
      remove: (name) => (canWrite(name), this.remove(name)),
    };
  }
}
