import type { EventHandler } from './event-bus.js';
import { typeMatches } from './event-map.js';

export interface Route {
  readonly types?: string[];
  readonly handler: EventHandler;
}

/** Past this many distinct types the cache starts over (types come from a fixed catalogue; this bounds a misbehaving publisher). */
const MAX_CACHED_TYPES = 2000;

/**
 * The in-process subscriptions of one bus. Which of them want a type is worked out once per
 * type and kept until the subscriptions change, so an event costs one map lookup however
 * many subscriptions a process has, and an event nobody wants is dropped before it is parsed.
 */
export class Fanout<R extends Route> {
  private readonly routes = new Set<R>();
  private readonly byType = new Map<string, readonly R[]>();

  get size(): number {
    return this.routes.size;
  }

  add(route: R): void {
    this.routes.add(route);
    this.byType.clear();
  }

  delete(route: R): boolean {
    const had = this.routes.delete(route);
    if (had) this.byType.clear();
    return had;
  }

  has(route: R): boolean {
    return this.routes.has(route);
  }

  clear(): void {
    this.routes.clear();
    this.byType.clear();
  }

  /** The routes that receive `type`, in the order they subscribed. */
  matching(type: string): readonly R[] {
    let hit = this.byType.get(type);
    if (!hit) {
      hit = [...this.routes].filter((r) => typeMatches(type, r.types));
      if (this.byType.size >= MAX_CACHED_TYPES) this.byType.clear();
      this.byType.set(type, hit);
    }
    return hit;
  }
}
