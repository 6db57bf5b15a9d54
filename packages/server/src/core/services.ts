import { CallsightError } from './errors.js';

/**
 * Services features offer each other (the call manager, the router…). A feature
 * declares what it provides by merging into `Services`:
 *
 *   declare module '../core/services.js' { interface Services { telephony: Telephony } }
 *
 * and registers it at start; consumers ask for it by name, so no feature imports
 * another's internals and start order is the only coupling.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Services {}

export class ServiceRegistry {
  private readonly services = new Map<string, unknown>();

  provide<K extends keyof Services>(name: K, service: Services[K]): void {
    this.services.set(name as string, service);
  }

  get<K extends keyof Services>(name: K): Services[K] {
    const s = this.services.get(name as string);
    if (s === undefined) throw new CallsightError('service_unavailable', `${String(name)} is not running`, { status: 503 });
    return s as Services[K];
  }

  remove(name: keyof Services): void {
    this.services.delete(name as string);
  }

  maybe<K extends keyof Services>(name: K): Services[K] | undefined {
    return this.services.get(name as string) as Services[K] | undefined;
  }
}
