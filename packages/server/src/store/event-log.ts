import type { EventSink } from '../bus/event-bus.js';
import type { AnyEvent } from '../bus/event-map.js';
import { fromJson, toJson, type Store } from './store.js';

export interface EventQuery {
  tenantId: string;
  /** Type prefixes (`call.` or `call.answered`). */
  types?: string[];
  interactionId?: string;
  from?: number;
  to?: number;
  /** Only events these users may see (for customers); undefined = all of the tenant. */
  visibleTo?: string;
  after?: number;
  limit: number;
}

export interface StoredEvent {
  seq: number;
  event: AnyEvent;
}

interface PendingAppend {
  event: AnyEvent;
  resolve(): void;
  reject(err: unknown): void;
}

/** Rows per INSERT: well under SQLite's 32,766 bound parameters at 7 columns. */
const MAX_BATCH = 500;

/**
 * The audit log: every bus event, append-only, ordered by `seq`.
 *
 * Appends are group-committed: while one INSERT runs, later appends queue and go
 * in the next multi-row INSERT. Under load this turns thousands of round trips
 * into a few, and an append still resolves only once its row is stored.
 */
export class EventLog implements EventSink {
  private queue: PendingAppend[] = [];
  private flushing = false;

  constructor(private readonly store: Store) {}

  append(event: AnyEvent): Promise<void> {
    return this.appendMany([event]);
  }

  /** All queued before the next INSERT starts, so they go in it together (or in consecutive ones past MAX_BATCH). */
  async appendMany(events: AnyEvent[]): Promise<void> {
    const stored = events.map((event) => new Promise<void>((resolve, reject) => this.queue.push({ event, resolve, reject })));
    if (!this.flushing) void this.flush();
    await Promise.all(stored);
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.store.db
          .insertInto('events')
          .values(
            batch.map(({ event }) => ({
              id: event.id,
              tenant_id: event.tenantId,
              type: event.type,
              time: event.time,
              interaction_id: event.interactionId ?? null,
              user_ids: event.userIds?.length ? toJson(event.userIds) : null,
              data: toJson(event.data),
            })),
          )
          // At-least-once publishers may append the same event twice; the id makes it once.
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.flushing = false;
  }

  async query(q: EventQuery): Promise<StoredEvent[]> {
    let sel = this.store.db.selectFrom('events').selectAll().where('tenant_id', '=', q.tenantId);
    if (q.types?.length) {
      sel = sel.where((eb) =>
        eb.or(
          q.types!.flatMap((p) => {
            const prefix = p.endsWith('.') ? p : p + '.';
            return [eb('type', '=', p), eb('type', 'like', escapeLike(prefix) + '%')];
          }),
        ),
      );
    }
    if (q.interactionId) sel = sel.where('interaction_id', '=', q.interactionId);
    if (q.from !== undefined) sel = sel.where('time', '>=', q.from);
    if (q.to !== undefined) sel = sel.where('time', '<', q.to);
    if (q.after !== undefined) sel = sel.where('seq', '>', q.after);
    if (q.visibleTo) sel = sel.where('user_ids', 'like', `%"${escapeLike(q.visibleTo)}"%`);
    const rows = await sel.orderBy('seq', 'asc').limit(q.limit).execute();
    return rows.map((r) => ({ seq: Number(r.seq), event: rowToEvent(r) }));
  }

  async maxSeq(): Promise<number> {
    const row = await this.store.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('max'))
      .executeTakeFirst();
    return Number(row?.max ?? 0);
  }
}

export function rowToEvent(r: {
  id: string;
  tenant_id: string;
  type: string;
  time: number;
  interaction_id: string | null;
  user_ids: string | null;
  data: string;
}): AnyEvent {
  const event: Record<string, unknown> = {
    id: r.id,
    tenantId: r.tenant_id,
    type: r.type,
    time: Number(r.time),
    data: fromJson(r.data),
  };
  if (r.interaction_id) event.interactionId = r.interaction_id;
  if (r.user_ids) event.userIds = fromJson(r.user_ids);
  return event as unknown as AnyEvent;
}

/**
 * `%` may not widen a pattern (ids and type prefixes never contain it). `_` stays:
 * it matches any one character including itself, so at worst a prefix filter
 * matches a sibling type, which the exact type check in `typeMatches` does not.
 */
function escapeLike(s: string): string {
  return s.replace(/[%\\]/g, '');
}
