import type { Callback } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import { conflict, notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { DeflectionMetrics } from './deflection-metrics.js';
import type { CallbacksTable } from './deflection-tables.js';

/** How often due callbacks are looked for: a slot is honoured within this. */
const POLL_MS = 1000;
/** Slots offered on the booking page: "as soon as possible", then every 30 min over the next hours. */
const SLOT_MINUTES = 30;
const SLOT_HOURS = 4;

export type { Callback };

const toCallback = (r: CallbacksTable): Callback => ({
  id: r.id,
  interactionId: r.interaction_id,
  deflectionId: r.deflection_id,
  caller: r.caller,
  fromNumber: r.from_number,
  queue: r.queue,
  slotAt: Number(r.slot_at),
  state: r.state,
  callId: r.call_id,
  context: JSON.parse(r.context) as Record<string, unknown>,
  createdAt: Number(r.created_at),
});

/**
 * Callbacks booked by callers: at the slot, callsight calls the customer from
 * the tenant's number and, once answered, queues the call to agents like any
 * other (the `enqueue` verb). Due callbacks live in the store and are claimed
 * with a conditional update, so with several processes each is dialled once
 * and a restart loses none.
 */
export class CallbackService {
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly metrics: DeflectionMetrics,
  ) {}

  /** The slot times offered now: the first is "as soon as possible" (now). */
  slots(now = Date.now()): number[] {
    const step = SLOT_MINUTES * 60_000;
    const first = Math.ceil((now + 5 * 60_000) / step) * step;
    const out = [now];
    for (let t = first; t <= now + SLOT_HOURS * 3_600_000; t += step) out.push(t);
    return out;
  }

  /** Whether `slotAt` is one a booking page offered recently (pages may sit open a while). */
  isOffered(slotAt: number, now = Date.now()): boolean {
    if (slotAt >= now - 30 * 60_000 && slotAt <= now) return true;
    return slotAt > now && slotAt <= now + SLOT_HOURS * 3_600_000 && slotAt % (SLOT_MINUTES * 60_000) === 0;
  }

  async book(input: { tenantId: string; interactionId: string; deflectionId: string | null; caller: string; fromNumber: string | null; queue: string; slotAt: number; context: Record<string, unknown> }): Promise<Callback> {
    const row: CallbacksTable = {
      id: newId('cb'),
      tenant_id: input.tenantId,
      interaction_id: input.interactionId,
      deflection_id: input.deflectionId,
      caller: input.caller,
      from_number: input.fromNumber,
      queue: input.queue,
      slot_at: input.slotAt,
      state: 'booked',
      call_id: null,
      context: JSON.stringify(input.context),
      created_at: Date.now(),
    };
    await this.ctx.store.db.insertInto('callbacks').values(row).execute();
    this.metrics.callback('booked');
    await this.ctx.bus.publish({
      tenantId: input.tenantId,
      type: 'callback.booked',
      interactionId: input.interactionId,
      data: { callbackId: row.id, caller: row.caller, slotAt: row.slot_at, queue: row.queue, deflectionId: row.deflection_id },
    });
    // An "as soon as possible" booking should not wait for the next poll.
    if (row.slot_at <= Date.now()) void this.poll();
    return toCallback(row);
  }

  async list(tenantId: string, q: { state?: CallbacksTable['state'] } = {}): Promise<Callback[]> {
    let query = this.ctx.store.db.selectFrom('callbacks').selectAll().where('tenant_id', '=', tenantId);
    if (q.state) query = query.where('state', '=', q.state);
    return (await query.orderBy('slot_at').limit(500).execute()).map(toCallback);
  }

  async get(tenantId: string, id: string): Promise<Callback> {
    const r = await this.ctx.store.db.selectFrom('callbacks').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('Callback');
    return toCallback(r);
  }

  /** Only a callback not yet dialled can be cancelled (409 callback_not_cancellable otherwise). */
  async cancel(tenantId: string, id: string): Promise<Callback> {
    const cb = await this.get(tenantId, id);
    const r = await this.ctx.store.db.updateTable('callbacks').set({ state: 'cancelled' }).where('id', '=', id).where('state', '=', 'booked').executeTakeFirst();
    if (r.numUpdatedRows === 0n) throw conflict('callback_not_cancellable', `The callback is ${cb.state}; only a booked callback can be cancelled`);
    this.metrics.callback('cancelled');
    await this.ctx.bus.publish({ tenantId, type: 'callback.cancelled', interactionId: cb.interactionId, data: { callbackId: id } });
    return { ...cb, state: 'cancelled' };
  }

  start(): void {
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    if (this.polling || !this.ctx.services.maybe('telephony')) return;
    this.polling = true;
    try {
      const due = await this.ctx.store.db.selectFrom('callbacks').selectAll().where('state', '=', 'booked').where('slot_at', '<=', Date.now()).orderBy('slot_at').limit(20).execute();
      for (const row of due) {
        const claimed = await this.ctx.store.db.updateTable('callbacks').set({ state: 'dialing' }).where('id', '=', row.id).where('state', '=', 'booked').executeTakeFirst();
        // Not awaited: a callback rings for up to 45 s and must not hold up the others.
        if (claimed.numUpdatedRows > 0n) void this.dial(row).catch((err) => this.ctx.log.error({ err, callbackId: row.id }, 'callback dial failed'));
      }
    } catch (err) {
      this.ctx.log.error({ err }, 'callback poll failed');
    } finally {
      this.polling = false;
    }
  }

  private async dial(row: CallbacksTable): Promise<void> {
    const base = { tenantId: row.tenant_id, interactionId: row.interaction_id };
    const fail = async (reason: string) => {
      await this.ctx.store.db.updateTable('callbacks').set({ state: 'failed' }).where('id', '=', row.id).execute();
      this.metrics.callback('failed');
      await this.ctx.bus.publish({ ...base, type: 'callback.failed', data: { callbackId: row.id, reason } });
    };
    let call;
    try {
      call = await this.ctx.services.get('telephony').manager.originate(row.tenant_id, {
        to: row.caller,
        actor: { kind: 'callback' },
        via: 'callback',
        from: row.from_number ?? undefined,
        interactionId: row.interaction_id,
        timeoutSeconds: 45,
        verbs: [
          { verb: 'say', text: 'Hello, this is the call back you booked. Please hold for the next agent.', loop: 1 },
          { verb: 'enqueue', queue: row.queue },
        ],
      });
    } catch (err) {
      await fail((err as Error).message);
      return;
    }
    // Listen before anything else is awaited: a phone may answer at once.
    const outcome = call.leg.state === 'answered' ? Promise.resolve(true) : Promise.race([new Promise<boolean>((r) => call.leg.once('answered', () => r(true))), call.whenEnded().then(() => false)]);
    await this.ctx.store.db.updateTable('callbacks').set({ call_id: call.id }).where('id', '=', row.id).execute();
    this.metrics.callback('dialing');
    await this.ctx.bus.publish({ ...base, type: 'callback.dialing', data: { callbackId: row.id, callId: call.id } });
    if (!(await outcome)) {
      await fail(`not answered (${await call.whenEnded()})`);
      return;
    }
    await this.ctx.store.db.updateTable('callbacks').set({ state: 'connected' }).where('id', '=', row.id).execute();
    this.metrics.callback('connected');
    await this.ctx.bus.publish({ ...base, type: 'callback.connected', data: { callbackId: row.id, callId: call.id } });
  }
}
