import type { PendingWrapUp, WrapUp, WrapUpInput } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import type { Subscription } from '../bus/event-bus.js';
import type { RoutingService } from '../routing/routing-service.js';
import { routingErrors } from '../routing/routing-errors.js';
import type { Queue, WorkItem } from '../routing/routing-model.js';
import { deskErrors as E } from './desk-errors.js';
import type {} from './desk-tables.js';
import type {} from '../calls/telephony-tables.js';

/** A queue without a wrap-up time still gets a wrap-up form; it closes by itself after this. */
export const DEFAULT_WRAP_UP_TIMEOUT_MS = 120_000;
/** Finished calls older than this are not waited for (a server that was down for a while). */
const LOOKBACK_MS = 6 * 3600_000;
const MEDIA = ['voice', 'video'] as const;

export interface DeskServiceOptions {
  sweepMs?: number;
}

/** How long a queue's wrap-up waits for the agent: its wrap-up time, or the default when it has none. */
export const wrapUpTimeoutMs = (q: Pick<Queue, 'wrapUpSeconds'>) => (q.wrapUpSeconds > 0 ? q.wrapUpSeconds * 1000 : DEFAULT_WRAP_UP_TIMEOUT_MS);

/**
 * The agent desktop's server side:
 * - wrap-ups: every finished voice/video item waits for its agent's code and notes,
 *   until the queue's wrap-up time runs out (then it is recorded as timed out);
 * - interactions close themselves when their last call has ended, no routing item
 *   is open and no wrap-up is waiting (once across processes: a bus group).
 */
export class DeskService {
  private subs: Subscription[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private sweeping = false;
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly routing: RoutingService,
    private readonly opts: DeskServiceOptions = {},
  ) {}

  private get db() {
    return this.ctx.store.db;
  }

  async start(): Promise<void> {
    this.subs.push(
      await this.ctx.bus.subscribe({ group: 'desk-close', types: ['call.ended', 'routing.completed', 'routing.cancelled', 'desk.wrapped_up'] }, async (e) => {
        if (e.interactionId) await this.closeIfDone(e.tenantId, e.interactionId);
      }),
    );
    this.timer = setInterval(() => void this.sweep(), this.opts.sweepMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const s of this.subs) await s.unsubscribe();
    while (this.sweeping) await new Promise((r) => setTimeout(r, 20));
  }

  /** Finished media items of the agent (or of an interaction) with no wrap-up row yet. */
  private async unwrapped(where: { tenantId?: string; agentId?: string; interactionId?: string }, now: number): Promise<WorkItem[]> {
    let sel = this.db
      .selectFrom('routing_items')
      .leftJoin('desk_wrap_ups', 'desk_wrap_ups.item_id', 'routing_items.id')
      .select('routing_items.id')
      .where('routing_items.state', '=', 'completed')
      .where('routing_items.channel', 'in', [...MEDIA])
      .where('routing_items.agent_id', 'is not', null)
      .where('routing_items.closed_at', '>', now - LOOKBACK_MS)
      .where('desk_wrap_ups.item_id', 'is', null);
    if (where.tenantId) sel = sel.where('routing_items.tenant_id', '=', where.tenantId);
    if (where.agentId) sel = sel.where('routing_items.agent_id', '=', where.agentId);
    if (where.interactionId) sel = sel.where('routing_items.interaction_id', '=', where.interactionId);
    const rows = await sel.orderBy('routing_items.closed_at').limit(200).execute();
    const items: WorkItem[] = [];
    for (const r of rows) {
      const it = await this.routing.repo.item(r.id);
      if (it) items.push(it);
    }
    return items;
  }

  private async queueOf(tenantId: string, queueId: string, cache = new Map<string, Queue | undefined>()): Promise<Queue | undefined> {
    if (!cache.has(queueId)) cache.set(queueId, await this.routing.repo.queue(tenantId, queueId));
    return cache.get(queueId);
  }

  /** The signed-in agent's calls waiting for a wrap-up, oldest first. */
  async pending(tenantId: string, agentId: string): Promise<PendingWrapUp[]> {
    const now = Date.now();
    const cache = new Map<string, Queue | undefined>();
    const out: PendingWrapUp[] = [];
    for (const it of await this.unwrapped({ tenantId, agentId }, now)) {
      const q = await this.queueOf(tenantId, it.queueId, cache);
      const endedAt = it.closedAt ?? now;
      out.push({
        itemId: it.id,
        interactionId: it.interactionId,
        queueId: it.queueId,
        channel: it.channel,
        context: it.context,
        endedAt,
        dueAt: endedAt + (q ? wrapUpTimeoutMs(q) : DEFAULT_WRAP_UP_TIMEOUT_MS),
        codes: q?.wrapUpCodes ?? [],
      });
    }
    return out;
  }

  /** The agent's wrap-up of a call (a supervisor may wrap up anyone's: `agentId` null). Ends their wrap-up time. */
  async wrapUp(tenantId: string, agentId: string | null, itemId: string, input: WrapUpInput): Promise<WrapUp> {
    const item = await this.routing.repo.item(itemId);
    if (!item || item.tenantId !== tenantId) throw E.notPending();
    if (item.state !== 'completed' || !item.agentId || !(MEDIA as readonly string[]).includes(item.channel)) throw E.notPending();
    if (agentId && item.agentId !== agentId) throw E.notYours();
    const q = await this.routing.repo.queue(tenantId, item.queueId);
    const code = input.code?.trim() || null;
    if (code && !(q?.wrapUpCodes ?? []).includes(code)) throw routingErrors.unknownWrapUpCode(code, q?.wrapUpCodes ?? []);
    const wrap = await this.record(item, { code, notes: input.notes?.trim() || null, timedOut: false });
    if (!wrap) throw E.notPending();
    await this.routing.endWrapUp(tenantId, item.agentId);
    return wrap;
  }

  /** Inserts the item's one wrap-up row; false when another process or request got there first. */
  private async record(item: WorkItem, w: { code: string | null; notes: string | null; timedOut: boolean }): Promise<WrapUp | undefined> {
    const doneAt = Date.now();
    const inserted = await this.db
      .insertInto('desk_wrap_ups')
      .values({
        item_id: item.id,
        tenant_id: item.tenantId,
        interaction_id: item.interactionId,
        agent_id: item.agentId!,
        queue_id: item.queueId,
        code: w.code,
        notes: w.notes,
        timed_out: w.timedOut ? 1 : 0,
        done_at: doneAt,
      })
      .onConflict((oc) => oc.column('item_id').doNothing())
      .executeTakeFirst();
    if (!inserted.numInsertedOrUpdatedRows) return undefined;
    if (w.code) await this.db.updateTable('routing_items').set({ wrap_up_code: w.code }).where('id', '=', item.id).execute();
    await this.ctx.bus.publish({
      tenantId: item.tenantId,
      type: 'desk.wrapped_up',
      interactionId: item.interactionId,
      data: { itemId: item.id, interactionId: item.interactionId, agentId: item.agentId!, queueId: item.queueId, code: w.code, timedOut: w.timedOut },
    });
    return { itemId: item.id, interactionId: item.interactionId, agentId: item.agentId!, queueId: item.queueId, code: w.code, notes: w.notes, timedOut: w.timedOut, doneAt };
  }

  /** Wrap-ups recorded for an interaction (the customer panel shows them). */
  async ofInteraction(tenantId: string, interactionId: string): Promise<WrapUp[]> {
    const rows = await this.db.selectFrom('desk_wrap_ups').selectAll().where('tenant_id', '=', tenantId).where('interaction_id', '=', interactionId).orderBy('done_at').execute();
    return rows.map((r) => ({ itemId: r.item_id, interactionId: r.interaction_id, agentId: r.agent_id, queueId: r.queue_id, code: r.code, notes: r.notes, timedOut: Number(r.timed_out) === 1, doneAt: Number(r.done_at) }));
  }

  /** Closes a routed interaction when nothing of it is live any more: calls, routing items, wrap-ups, chats. */
  async closeIfDone(tenantId: string, interactionId: string): Promise<boolean> {
    const interaction = await this.ctx.interactions.get(tenantId, interactionId);
    if (!interaction || interaction.state !== 'open') return false;
    const liveCall = await this.db.selectFrom('calls').select('id').where('tenant_id', '=', tenantId).where('interaction_id', '=', interactionId).where('state', '!=', 'ended').executeTakeFirst();
    if (liveCall) return false;
    const items = await this.db.selectFrom('routing_items').select('state').where('tenant_id', '=', tenantId).where('interaction_id', '=', interactionId).execute();
    // Only routed work closes itself. An interaction nobody routed (a direct or campaign
    // call, an IVR) may go on in another channel: a deflection link the caller has yet to
    // open, a card pushed after the call.
    if (items.length === 0) return false;
    if (items.some((i) => ['queued', 'offered', 'assigned'].includes(i.state))) return false;
    if ((await this.unwrapped({ tenantId, interactionId }, Date.now())).length) return false;
    // A chat is closed by its conversation (chat-service), not by a call ending.
    const openChat = await this.db.selectFrom('chat_conversations').select('id').where('interaction_id', '=', interactionId).where('state', '!=', 'closed').executeTakeFirst();
    if (openChat) return false;
    const closed = await this.ctx.interactions.close(tenantId, interactionId);
    if (closed?.state !== 'closed') return false;
    await this.ctx.bus.publish({
      tenantId,
      type: 'interaction.closed',
      interactionId,
      userIds: interaction.customerId ? [interaction.customerId] : undefined,
      data: { interactionId },
    });
    return true;
  }

  /** Wrap-ups nobody gave before their queue's wrap-up time ran out: recorded as timed out. */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.stopped) return;
    this.sweeping = true;
    try {
      const now = Date.now();
      const cache = new Map<string, Queue | undefined>();
      for (const it of await this.unwrapped({}, now)) {
        const q = await this.queueOf(it.tenantId, it.queueId, cache);
        if ((it.closedAt ?? now) + (q ? wrapUpTimeoutMs(q) : DEFAULT_WRAP_UP_TIMEOUT_MS) > now) continue;
        await this.record(it, { code: null, notes: null, timedOut: true });
      }
    } catch (err) {
      this.ctx.log.warn({ err }, 'wrap-up sweep failed');
    } finally {
      this.sweeping = false;
    }
  }
}
