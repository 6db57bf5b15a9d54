import type { Subscription } from '../bus/event-bus.js';
import { typeMatches } from '../bus/event-map.js';
import { EgressError } from '../core/egress.js';
import { newId } from '../core/ids.js';
import type { AppContext } from '../app-context.js';
import { rowToEvent } from '../store/event-log.js';
import { LogCursor } from './log-cursor.js';
import { signWebhook, SIGNATURE_HEADER } from './webhook-signature.js';

const CURSOR = 'webhooks';
const BATCH = 500;
const MAX_ATTEMPTS = 10;
/**
 * Postgres may commit a lower `seq` after a higher one (concurrent inserts), so
 * the cursor only passes events older than this; younger ones are rescanned,
 * which is harmless because delivery rows are unique per (webhook, event); LogCursor
 * reads only those gaps again, not everything above the stored cursor.
 */
const PG_SETTLE_MS = 1000;

/**
 * The webhook outbox. It tails the audit log (not the bus) with a cursor kept in
 * the store, so a crash or restart never loses a delivery: the scan resumes from
 * the cursor and leased deliveries whose worker died are retried when the lease
 * runs out.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private sub: Subscription | null = null;
  private readonly inflight = new Set<Promise<void>>();
  private stopped = false;
  private readonly cursor: LogCursor;
  /** Per tenant, the types its active subscriptions take, as of the last pass ('*' for all). */
  private wanted = new Map<string, string[]>();

  constructor(private readonly ctx: AppContext, private readonly intervalMs = 500) {
    this.cursor = new LogCursor(PG_SETTLE_MS, ctx.store.dialect === 'postgres');
  }

  async start(): Promise<void> {
    const exists = await this.ctx.store.db.selectFrom('cursors').select('name').where('name', '=', CURSOR).executeTakeFirst();
    if (!exists) {
      // Start at the log's end: subscriptions only get events newer than themselves anyway.
      const position = await this.ctx.eventLog.maxSeq();
      await this.ctx.store.db
        .insertInto('cursors')
        .values({ name: CURSOR, position, lease_owner: null, lease_until: null })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
    }
    // An event no subscription takes waits for the next timed pass instead of starting one; a
    // change of subscriptions starts one, so the pass after it knows what they take.
    this.sub = await this.ctx.bus.subscribe({}, (e) => {
      const types = this.wanted.get(e.tenantId);
      if (e.type.startsWith('webhook.') || (types && typeMatches(e.type, types))) this.kick();
    });
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Run a pass now, or right after the current one. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.pass()
      .catch((err) => this.ctx.log.error({ err }, 'webhook pass failed'))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async pass(): Promise<void> {
    await this.scan();
    await this.deliverDue();
  }

  /**
   * Turn new audit-log events into delivery rows for matching subscriptions. Only the
   * columns a delivery needs are read (not the payload), and only rows this process has
   * not read before (see LogCursor).
   */
  private async scan(): Promise<void> {
    const { store } = this.ctx;
    const hooks = await this.ctx.webhooks.allActive();
    this.wanted = new Map();
    for (const h of hooks) this.wanted.set(h.tenantId, [...(this.wanted.get(h.tenantId) ?? []), ...(h.types.length ? h.types : ['*'])]);
    await store.db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('cursors').select('position').where('name', '=', CURSOR);
      if (store.dialect === 'postgres') q = q.forUpdate();
      const cursor = await q.executeTakeFirst();
      if (!cursor) return;
      const stored = Number(cursor.position);
      const { after, gaps } = this.cursor.next(stored);
      const rows = await trx
        .selectFrom('events')
        .select(['seq', 'id', 'tenant_id', 'type', 'time'])
        .where((eb) => eb.or([eb('seq', '>', after), ...gaps.map((g) => eb.between('seq', g.from, g.to))]))
        .orderBy('seq')
        .limit(BATCH)
        .execute();
      if (rows.length === 0) return;
      const now = Date.now();
      const values = [];
      for (const row of rows) {
        if (!this.wanted.has(row.tenant_id)) continue;
        for (const hook of hooks) {
          if (hook.tenantId !== row.tenant_id || hook.createdAt > Number(row.time)) continue;
          if (!typeMatches(row.type, hook.types)) continue;
          values.push({
            id: newId('whd'),
            tenant_id: hook.tenantId,
            webhook_id: hook.id,
            event_id: row.id,
            event_seq: Number(row.seq),
            status: 'pending' as const,
            attempts: 0,
            next_attempt_at: now,
            lease_until: null,
            last_status: null,
            last_error: null,
            created_at: now,
            delivered_at: null,
          });
        }
      }
      for (let i = 0; i < values.length; i += 100) {
        await trx
          .insertInto('webhook_deliveries')
          .values(values.slice(i, i + 100))
          .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
          .execute();
      }
      const position = this.cursor.advance(
        rows.map((r) => Number(r.seq)),
        now,
      );
      if (position !== stored) await trx.updateTable('cursors').set({ position }).where('name', '=', CURSOR).execute();
      if (rows.length === BATCH) this.again = true;
    }).catch((err) => {
      // The transaction did not commit: what the cursor took from it is not so.
      this.cursor.reset();
      throw err;
    });
  }

  private async deliverDue(): Promise<void> {
    const { db } = this.ctx.store;
    const now = Date.now();
    const due = await db
      .selectFrom('webhook_deliveries')
      .select(['id', 'lease_until'])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(50)
      .execute();
    const leaseUntil = now + this.ctx.config.webhookTimeoutMs + 5000;
    for (const d of due) {
      // Compare-and-set claim: with several processes exactly one wins each delivery.
      const claimed = await db
        .updateTable('webhook_deliveries')
        .set({ lease_until: leaseUntil })
        .where('id', '=', d.id)
        .where('status', '=', 'pending')
        .where((eb) => (d.lease_until == null ? eb('lease_until', 'is', null) : eb('lease_until', '=', d.lease_until)))
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      const p = this.attempt(d.id).finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }
    await Promise.all(this.inflight);
  }

  private async attempt(deliveryId: string): Promise<void> {
    const { db } = this.ctx.store;
    const d = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirstOrThrow();
    const hook = (await this.ctx.webhooks.allActive()).find((h) => h.id === d.webhook_id);
    const eventRow = await db.selectFrom('events').selectAll().where('id', '=', d.event_id).executeTakeFirst();
    if (!hook || !eventRow) {
      await db.updateTable('webhook_deliveries').set({ status: 'failed', last_error: 'subscription removed', lease_until: null }).where('id', '=', d.id).execute();
      return;
    }
    const body = JSON.stringify(rowToEvent(eventRow));
    const ts = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await this.ctx.egress.fetch(hook.url, {
        tenantId: hook.tenantId,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'callsight-webhooks/1',
          'callsight-event-id': eventRow.id,
          'callsight-delivery-id': d.id,
          [SIGNATURE_HEADER]: signWebhook(hook.secret, body, ts),
        },
        body,
        // A redirect is not followed: it would send the signed event somewhere else.
        maxRedirects: 0,
        timeoutMs: this.ctx.config.webhookTimeoutMs,
        maxBytes: 64 * 1024,
      });
      status = res.status;
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (err) {
      error = err instanceof EgressError && err.reason === 'egress_timeout' ? 'timeout' : (err as Error).message;
    }
    const attempts = d.attempts + 1;
    if (!error) {
      await db
        .updateTable('webhook_deliveries')
        .set({ status: 'delivered', attempts, last_status: status, last_error: null, delivered_at: Date.now(), lease_until: null })
        .where('id', '=', d.id)
        .execute();
      return;
    }
    // Exponential backoff with jitter: 1 s, 2 s, 4 s … capped at one hour.
    const backoff = Math.min(3600_000, 1000 * 2 ** (attempts - 1)) * (0.75 + Math.random() * 0.5);
    await db
      .updateTable('webhook_deliveries')
      .set({
        status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
        attempts,
        last_status: status,
        last_error: error.slice(0, 500),
        next_attempt_at: Date.now() + Math.round(backoff),
        lease_until: null,
      })
      .where('id', '=', d.id)
      .execute();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.sub?.unsubscribe();
    while (this.running) await new Promise((r) => setTimeout(r, 10));
    await Promise.all(this.inflight);
  }
}
