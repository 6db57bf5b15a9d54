import type { EnqueueInput as EnqueueBody } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import type { Subscription } from '../bus/event-bus.js';
import type { AnyEvent, EventType, PublishInput } from '../bus/event-map.js';
import { newId } from '../core/ids.js';
import { Allocator, isMedia, type RoutingChannel, type SkillNeed } from './allocator.js';
import { routingErrors as E } from './routing-errors.js';
import type { RoutingItemEvent } from '@callsight/protocol';
import type { AgentRouting, Queue, WorkItem } from './routing-model.js';
import { QueuedCalls } from './queued-calls.js';
import { RoutingRepo } from './routing-repo.js';
import type { Presence } from './routing-tables.js';

/** What other features call (voice, SMS, chat…) to get work to agents: the API's input, for a tenant. */
export type EnqueueInput = EnqueueBody & { tenantId: string };

export interface RoutingApi {
  enqueue(input: EnqueueInput): Promise<{ itemId: string }>;
  cancel(itemId: string, reason: string): Promise<void>;
  complete(itemId: string, opts?: { wrapUpCode?: string | null }): Promise<void>;
}

interface TenantIndex {
  allocator: Allocator;
  queues: Map<string, Queue>;
  items: Map<string, WorkItem>;
  agents: Map<string, AgentRouting>;
}

export interface RoutingServiceOptions {
  /** How often expired offers, wrap-ups and overflow are swept. */
  tickMs?: number;
}

const TRIGGERS = ['routing.queued', 'routing.rejected', 'routing.completed', 'routing.cancelled', 'routing.agent', 'routing.overflowed', 'routing.queue'];

/**
 * The persisted routing service around the pure allocator.
 *
 * - The store is the truth; each process keeps an Allocator per tenant as an
 *   index, loaded at start and refreshed from the rows every routing event names.
 * - Allocation runs in the bus group `routing` (one process per trigger event)
 *   and commits with compare-and-set (RoutingRepo): a process deciding on a
 *   stale index loses the CAS, refreshes and decides again.
 * - A sweeper in every process re-offers expired offers, ends wrap-ups and
 *   overflows long waits, each a CAS so only one process acts.
 */
export class RoutingService implements RoutingApi {
  readonly repo: RoutingRepo;
  /** Callers an `enqueue` verb holds here, and where a transfer sends each next. */
  readonly calls = new QueuedCalls();
  /** Offers this process committed, and decisions it lost to another writer (stale index). */
  readonly stats = { offers: 0, conflicts: 0 };
  private readonly tenants = new Map<string, TenantIndex>();
  private readonly chains = new Map<string, Promise<unknown>>();
  /** What each tenant's allocation worker should look at next (coalesced triggers). */
  private readonly pending = new Map<string, { items: Set<string>; agents: Set<string>; all: boolean }>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Ids of events this process published and whose effects its index already has. */
  private readonly ownEvents = new Set<string>();
  private subs: Subscription[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private sweeping = false;
  private ticks = 0;
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: RoutingServiceOptions = {},
  ) {
    this.repo = new RoutingRepo(ctx.store);
  }

  async start(): Promise<void> {
    for (const q of await this.repo.allQueues()) this.applyQueue(q);
    for (const a of await this.repo.allAgents()) this.applyAgent(a);
    for (const it of await this.repo.openItems()) this.applyItem(it);
    // Every process follows every routing event to keep its index fresh…
    this.subs.push(await this.ctx.bus.subscribe({ types: ['routing.'] }, (e) => this.follow(e)));
    // …and one process per trigger allocates.
    this.subs.push(await this.ctx.bus.subscribe({ group: 'routing', types: TRIGGERS }, (e) => this.allocateOn(e)));
    this.timer = setInterval(() => void this.sweep(), this.opts.tickMs ?? 500);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const s of this.subs) await s.unsubscribe();
    await Promise.allSettled([...this.chains.values()]);
    await Promise.allSettled([...this.inFlight]);
  }

  // ---- the API other features call ----------------------------------------------------

  async enqueue(input: EnqueueInput): Promise<{ itemId: string }> {
    const queue = input.queueId
      ? await this.repo.queue(input.tenantId, input.queueId)
      : input.queueName
        ? await this.repo.queueByName(input.tenantId, input.queueName)
        : undefined;
    if (!queue) throw E.unknownQueue(input.queueId ?? input.queueName ?? '(none given)');
    if (!queue.channels.includes(input.channel)) throw E.channelNotServed(input.channel, queue.name);
    await this.checkSkills(input.tenantId, (input.skills ?? []).map((s) => s.skill));
    if (!(await this.ctx.interactions.get(input.tenantId, input.interactionId))) throw E.unknownInteraction(input.interactionId);
    const settings = await this.repo.settings(input.tenantId);
    const now = Date.now();
    const item = await this.repo.insertItem({
      tenantId: input.tenantId,
      queueId: queue.id,
      interactionId: input.interactionId,
      channel: input.channel,
      priority: input.priority ?? queue.priority,
      volume: isMedia(input.channel) ? 0 : (input.volume ?? settings.volumes[input.channel as 'chat' | 'sms' | 'email']),
      skills: input.skills ?? [],
      context: input.context ?? {},
      enqueuedAt: now,
      queueEnteredAt: now,
    });
    await this.ctx.interactions.addChannel(input.tenantId, input.interactionId, input.channel);
    this.applyItem(item);
    await this.publish('routing.queued', item, { priority: item.priority, volume: item.volume });
    return { itemId: item.id };
  }

  async cancel(itemId: string, reason: string): Promise<void> {
    await this.close(itemId, 'cancelled', { reason });
  }

  async complete(itemId: string, opts: { wrapUpCode?: string | null } = {}): Promise<void> {
    await this.close(itemId, 'completed', opts);
  }

  // ---- agent and supervisor actions ---------------------------------------------------

  async accept(tenantId: string, itemId: string, agentId: string): Promise<WorkItem> {
    const now = Date.now();
    if (!(await this.repo.accept(itemId, agentId, now))) {
      const item = await this.loadItem(tenantId, itemId);
      if (item.state !== 'offered') throw E.notOffered(item.state);
      if (item.agentId !== agentId) throw E.offerNotYours();
      throw E.offerExpired();
    }
    const item = await this.refreshItem(itemId);
    await this.publish('routing.accepted', item!, { agentId });
    await this.publish('routing.assigned', item!, { agentId, by: 'accept' as const });
    return item!;
  }

  async reject(tenantId: string, itemId: string, agentId: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const item = await this.loadItem(tenantId, itemId);
      if (item.state !== 'offered') throw E.notOffered(item.state);
      if (item.agentId !== agentId) throw E.offerNotYours();
      if (await this.repo.requeue(item)) {
        await this.refreshItem(itemId);
        await this.publish('routing.rejected', item, { agentId, reason: 'rejected' as const });
        return;
      }
    }
    throw E.busy();
  }

  /** The open work items (queued, offered or assigned) of an interaction. */
  async openItemsOf(tenantId: string, interactionId: string): Promise<WorkItem[]> {
    return (await this.repo.items({ tenantId, states: ['queued', 'offered', 'assigned'], limit: 1000 })).filter((i) => i.interactionId === interactionId);
  }

  async reassign(tenantId: string, itemId: string, agentId: string): Promise<void> {
    const item = await this.loadItem(tenantId, itemId);
    if (item.state === 'completed' || item.state === 'cancelled') throw E.closed(item.state);
    const agent = await this.repo.agent(agentId);
    if (!agent || agent.tenantId !== tenantId) throw E.atCapacity();
    const queue = (await this.repo.queue(tenantId, item.queueId))!;
    if (item.agentId === agentId) return;
    if (!(await this.repo.reassign(item, agentId, queue.textDuringVoice))) {
      const now = await this.repo.item(itemId);
      if (now?.version !== item.version) throw E.busy();
      throw E.atCapacity();
    }
    const moved = (await this.refreshItem(itemId))!;
    await this.refreshAgent(agentId);
    if (item.agentId) {
      await this.refreshAgent(item.agentId);
      await this.publish('routing.rejected', item, { agentId: item.agentId, reason: 'reassigned' as const });
    }
    await this.publish('routing.assigned', moved, { agentId, by: 'supervisor' as const });
  }

  /** A supervisor moves a waiting item to another queue. */
  async moveToQueue(tenantId: string, itemId: string, queueId: string): Promise<void> {
    const item = await this.loadItem(tenantId, itemId);
    if (item.state !== 'queued') throw item.state === 'completed' || item.state === 'cancelled' ? E.closed(item.state) : E.busy();
    const queue = await this.repo.queue(tenantId, queueId);
    if (!queue) throw E.unknownQueue(queueId);
    if (!queue.channels.includes(item.channel)) throw E.channelNotServed(item.channel, queue.name);
    if (queue.id === item.queueId) return;
    if (!(await this.move(item, queue.id, Date.now()))) throw E.busy();
  }

  /** Completes an item its holder finished; an agent may only complete their own. */
  async finish(tenantId: string, itemId: string, agentId: string | null, wrapUpCode: string | null): Promise<void> {
    const item = await this.loadItem(tenantId, itemId);
    if (agentId && item.agentId !== agentId) throw E.notYours();
    await this.close(itemId, 'completed', { wrapUpCode });
  }

  async setPresence(tenantId: string, userId: string, presence: Presence): Promise<AgentRouting> {
    const agent = await this.ensureAgent(tenantId, userId);
    await this.repo.setPresence(agent.userId, presence, null);
    const next = (await this.refreshAgent(userId))!;
    await this.emit({ tenantId, type: 'routing.agent', data: { agentId: userId, presence, presenceUntil: null } });
    return next;
  }

  /** Ends an agent's wrap-up before its timer (they finished their notes): available again, offers resume. */
  async endWrapUp(tenantId: string, userId: string): Promise<void> {
    const agent = await this.repo.agent(userId);
    if (!agent || agent.tenantId !== tenantId || agent.presence !== 'wrap-up') return;
    if (await this.repo.endWrapUp(userId, agent.version)) {
      await this.refreshAgent(userId);
      await this.emit({ tenantId, type: 'routing.agent', data: { agentId: userId, presence: 'available', presenceUntil: null } });
    }
  }

  async ensureAgent(tenantId: string, userId: string): Promise<AgentRouting> {
    const user = await this.ctx.users.get(tenantId, userId);
    if (!user || (user.role !== 'agent' && user.role !== 'supervisor')) throw E.notAnAgent();
    const existing = await this.repo.agent(userId);
    if (existing) return existing;
    const created = await this.repo.ensureAgent(tenantId, userId, (await this.repo.settings(tenantId)).defaultLimit);
    this.applyAgent(created);
    return created;
  }

  async setAgentProfile(tenantId: string, userId: string, profile: { skills?: Record<string, number>; limit?: number }): Promise<AgentRouting> {
    await this.ensureAgent(tenantId, userId);
    if (profile.skills) await this.checkSkills(tenantId, Object.keys(profile.skills));
    await this.repo.setAgentProfile(userId, profile);
    const agent = (await this.refreshAgent(userId))!;
    await this.emit({ tenantId, type: 'routing.agent', data: { agentId: userId, presence: agent.presence, presenceUntil: agent.presenceUntil } });
    return agent;
  }

  async checkSkills(tenantId: string, names: string[]): Promise<void> {
    if (names.length === 0) return;
    const known = new Set((await this.repo.skills(tenantId)).map((s) => s.name));
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length) throw E.unknownSkill(unknown);
  }

  /** After a queue was created or edited: every process re-reads it, and waiting items are re-planned. */
  async queueChanged(queue: Queue): Promise<void> {
    this.applyQueue(queue);
    await this.emit({ tenantId: queue.tenantId, type: 'routing.queue', data: { queueId: queue.id, name: queue.name } });
  }

  async loadItem(tenantId: string, itemId: string): Promise<WorkItem> {
    const item = await this.repo.item(itemId);
    if (!item || item.tenantId !== tenantId) throw E.itemNotFound();
    return item;
  }

  // ---- closing ------------------------------------------------------------------------

  private async close(itemId: string, state: 'completed' | 'cancelled', extra: { reason?: string; wrapUpCode?: string | null }): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const item = await this.repo.item(itemId);
      if (!item) throw E.itemNotFound();
      // Idempotent: the calls layer may report a hangup twice.
      if (item.state === state) return;
      if (item.state === 'completed' || item.state === 'cancelled') throw E.closed(item.state);
      const queue = (await this.repo.queue(item.tenantId, item.queueId))!;
      if (extra.wrapUpCode && !queue.wrapUpCodes.includes(extra.wrapUpCode)) throw E.unknownWrapUpCode(extra.wrapUpCode, queue.wrapUpCodes);
      // Wrap-up after audio/video work: the agent gets time to finish notes before the next call.
      const wrapUpUntil = state === 'completed' && isMedia(item.channel) && item.agentId && queue.wrapUpSeconds > 0 ? Date.now() + queue.wrapUpSeconds * 1000 : null;
      if (await this.repo.close(item, state, { ...extra, wrapUpUntil })) {
        this.removeItem(item);
        if (item.agentId) await this.refreshAgent(item.agentId);
        if (state === 'completed') await this.publish('routing.completed', item, { wrapUpCode: extra.wrapUpCode ?? null });
        else await this.publish('routing.cancelled', item, { reason: extra.reason ?? 'cancelled' });
        if (wrapUpUntil && item.agentId)
          await this.emit({ tenantId: item.tenantId, type: 'routing.agent', data: { agentId: item.agentId, presence: 'wrap-up', presenceUntil: wrapUpUntil } });
        return;
      }
    }
    throw E.busy();
  }

  // ---- allocation -------------------------------------------------------------------------

  /**
   * A trigger from the `routing` group. It only marks what to look at and
   * returns, so triggers arriving while a batch commits coalesce into the next
   * batch. Losing a mark in a crash costs latency, not work: the sweeper re-plans
   * every tenant from the store every two seconds.
   */
  private async allocateOn(e: AnyEvent): Promise<void> {
    if (this.stopped) return;
    const own = this.ownEvents.delete(e.id);
    const data = e.data as Partial<RoutingItemEvent> & { agentId?: string; queueId?: string };
    if (e.type === 'routing.queue') {
      const q = await this.repo.queue(e.tenantId, data.queueId!);
      if (q) this.applyQueue(q);
      return this.kick(e.tenantId, { all: true });
    }
    // Another process's change may not have reached this index through `follow` yet.
    if (!own && data.itemId) await this.refreshItem(data.itemId);
    if (!own && data.agentId) await this.refreshAgent(data.agentId);
    const waiting = e.type === 'routing.queued' || e.type === 'routing.overflowed' || e.type === 'routing.rejected';
    this.kick(e.tenantId, { itemId: waiting ? data.itemId : undefined, agentId: data.agentId });
  }

  private kick(tenantId: string, what: { itemId?: string; agentId?: string; all?: boolean }): void {
    let work = this.pending.get(tenantId);
    if (!work) this.pending.set(tenantId, (work = { items: new Set(), agents: new Set(), all: false }));
    if (what.itemId) work.items.add(what.itemId);
    if (what.agentId) work.agents.add(what.agentId);
    if (what.all) work.all = true;
    void this.serial(tenantId, () => this.drain(tenantId));
  }

  /**
   * Decides a batch on the index, reserving each decision in the index at once
   * so later decisions of the batch see it, then commits the batch's CAS writes
   * concurrently. A lost CAS (another process got there first, or the agent's
   * row no longer allows it) refreshes both rows from the store and retries.
   */
  private async drain(tenantId: string): Promise<void> {
    const t = this.index(tenantId);
    for (let round = 0; round < 100 && !this.stopped; round++) {
      const work = this.pending.get(tenantId);
      if (!work || (work.items.size === 0 && work.agents.size === 0 && !work.all)) return;
      this.pending.delete(tenantId);
      const decisions: { item: WorkItem; agentId: string }[] = [];
      const reserve = (itemId: string, agentId: string) => {
        const item = t.items.get(itemId);
        if (!item || item.state !== 'queued') return false;
        decisions.push({ item, agentId });
        this.applyItem({ ...item, state: 'offered', agentId, version: item.version + 1 });
        return true;
      };
      for (const itemId of work.items) {
        const agentId = t.allocator.bestAgentFor(itemId);
        if (agentId) reserve(itemId, agentId);
      }
      for (const agentId of work.agents) {
        for (let itemId = t.allocator.nextItemFor(agentId); itemId && reserve(itemId, agentId); itemId = t.allocator.nextItemFor(agentId));
      }
      if (work.all) for (const d of t.allocator.plan(500)) reserve(d.itemId, d.agentId);
      if (decisions.length === 0) continue;
      const lost = await this.commitOffers(tenantId, decisions);
      if (lost.length || work.all) this.kick(tenantId, { all: true });
    }
  }

  private async commitOffers(tenantId: string, decisions: { item: WorkItem; agentId: string }[]): Promise<WorkItem[]> {
    const t = this.index(tenantId);
    const lost: WorkItem[] = [];
    const BATCH = 8; // below the store's pool size, so commits never queue behind each other's locks
    for (let i = 0; i < decisions.length; i += BATCH) {
      await Promise.all(
        decisions.slice(i, i + BATCH).map(async ({ item, agentId }) => {
          const queue = t.queues.get(item.queueId)!;
          const expiresAt = Date.now() + queue.acceptTimeoutSeconds * 1000;
          if (await this.repo.offer(item, agentId, expiresAt, queue.textDuringVoice)) {
            this.stats.offers++;
            const offered: WorkItem = { ...item, state: 'offered', agentId, offerExpiresAt: expiresAt, version: item.version + 1 };
            this.applyItem(offered);
            this.background(this.publish('routing.offered', offered, { agentId, expiresAt }));
          } else {
            this.stats.conflicts++;
            lost.push(item);
            await this.refreshItem(item.id, true);
            await this.refreshAgent(agentId);
          }
        }),
      );
    }
    return lost;
  }

  /** Runs allocation for one tenant at a time in this process, so decisions see each other's results. */
  private serial(tenantId: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(tenantId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.chains.set(
      tenantId,
      next.catch((err) => this.ctx.log.warn({ err, tenantId }, 'routing allocation failed')),
    );
    return next;
  }

  /** Work whose result nobody waits for (offer notifications): tracked so stop() lets it finish. */
  private background(p: Promise<unknown>): void {
    this.inFlight.add(p);
    p.catch((err) => this.ctx.log.warn({ err }, 'routing background task failed')).finally(() => this.inFlight.delete(p));
  }

  // ---- sweeper --------------------------------------------------------------------------------

  /** Each step is a CAS per row, so every process may sweep: for each row one wins, the others skip it. */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.stopped) return;
    this.sweeping = true;
    const now = Date.now();
    const steps: [string, () => Promise<void>][] = [
      ['expired offers', () => this.requeueExpiredOffers(now)],
      ['wrap-up ends', () => this.endWrapUps(now)],
      ['overflow', () => this.overflow(now)],
    ];
    for (const [name, step] of steps) await step().catch((err) => this.ctx.log.warn({ err, step: name }, 'routing sweep step failed'));
    // A safety net for triggers lost in a crash: now and then, plan everything.
    if (++this.ticks % 4 === 0) for (const tenantId of this.tenants.keys()) this.kick(tenantId, { all: true });
    this.sweeping = false;
  }

  private async requeueExpiredOffers(now: number): Promise<void> {
    for (const item of await this.repo.offersExpired(now)) {
      if (await this.repo.requeue(item)) {
        await this.refreshItem(item.id);
        await this.publish('routing.rejected', item, { agentId: item.agentId!, reason: 'timeout' as const });
      }
    }
  }

  private async endWrapUps(now: number): Promise<void> {
    for (const agent of await this.repo.wrapUpsEnded(now)) {
      if (await this.repo.endWrapUp(agent.userId, agent.version)) {
        await this.refreshAgent(agent.userId);
        await this.emit({ tenantId: agent.tenantId, type: 'routing.agent', data: { agentId: agent.userId, presence: 'available', presenceUntil: null } });
      }
    }
  }

  private async overflow(now: number): Promise<void> {
    for (const { item, to } of await this.repo.overflowDue(now)) await this.move(item, to, now);
  }

  /** Moves a waiting item to another queue (its wait there starts now), as an overflow does. */
  private async move(item: WorkItem, queueId: string, now: number): Promise<boolean> {
    if (!(await this.repo.moveQueue(item, queueId, now))) return false;
    const moved = (await this.refreshItem(item.id))!;
    await this.publish('routing.overflowed', moved, { fromQueueId: item.queueId });
    return true;
  }

  // ---- index maintenance ----------------------------------------------------------------------

  private async follow(e: AnyEvent): Promise<void> {
    // Own events: the index was updated when the change was made. (Trigger events
    // are forgotten by allocateOn, which sees them too.)
    if (!TRIGGERS.includes(e.type) && this.ownEvents.delete(e.id)) return;
    const data = e.data as { itemId?: string; agentId?: string; queueId?: string };
    if (e.type === 'routing.queue' && data.queueId) {
      const q = await this.repo.queue(e.tenantId, data.queueId);
      if (q) this.applyQueue(q);
      return;
    }
    if (data.itemId) await this.refreshItem(data.itemId);
    if (data.agentId) await this.refreshAgent(data.agentId);
  }

  private index(tenantId: string): TenantIndex {
    let t = this.tenants.get(tenantId);
    if (!t) this.tenants.set(tenantId, (t = { allocator: new Allocator(), queues: new Map(), items: new Map(), agents: new Map() }));
    return t;
  }

  private applyQueue(q: Queue): void {
    const t = this.index(q.tenantId);
    t.queues.set(q.id, q);
    t.allocator.setQueue({ id: q.id, priority: q.priority, skills: q.skills, textDuringVoice: q.textDuringVoice });
  }

  private applyAgent(a: AgentRouting): void {
    const t = this.index(a.tenantId);
    t.agents.set(a.userId, a);
    t.allocator.setAgent({ id: a.userId, available: a.presence === 'available', skills: a.skills, limit: a.limit, idleSince: a.idleSince });
  }

  /** `force` after a lost CAS: the index's tentative reservation was wrong, the store's row wins. */
  private applyItem(it: WorkItem, force = false): void {
    const t = this.index(it.tenantId);
    const known = t.items.get(it.id);
    // Events can arrive out of order: never step back to an older version.
    if (!force && known && known.version > it.version) return;
    if (it.state === 'completed' || it.state === 'cancelled') return this.removeItem(it);
    if (!t.queues.has(it.queueId)) return;
    t.items.set(it.id, it);
    t.allocator.setItem({
      id: it.id,
      queueId: it.queueId,
      channel: it.channel,
      priority: it.priority,
      volume: it.volume,
      skills: it.skills,
      enqueuedAt: it.enqueuedAt,
      phase: it.state,
      agentId: it.agentId,
      declinedBy: it.declinedBy,
    });
  }

  private removeItem(it: WorkItem): void {
    const t = this.index(it.tenantId);
    t.items.delete(it.id);
    t.allocator.removeItem(it.id);
  }

  private async refreshItem(id: string, force = false): Promise<WorkItem | undefined> {
    const it = await this.repo.item(id);
    if (it) {
      if (!this.index(it.tenantId).queues.has(it.queueId)) {
        const q = await this.repo.queue(it.tenantId, it.queueId);
        if (q) this.applyQueue(q);
      }
      this.applyItem(it, force);
    }
    return it;
  }

  private async refreshAgent(id: string): Promise<AgentRouting | undefined> {
    const a = await this.repo.agent(id);
    if (a) this.applyAgent(a);
    return a;
  }

  /** A work-item event: the common fields from the item, plus what this type adds. */
  private async publish<T extends keyof ItemEventExtras>(type: T, item: WorkItem, extra: ItemEventExtras[T]): Promise<void> {
    const data = { itemId: item.id, queueId: item.queueId, channel: item.channel, interactionId: item.interactionId, ...(item.agentId ? { agentId: item.agentId } : {}), ...extra };
    // TypeScript cannot tie a generic T to its EventMap entry through the spread; ItemEventExtras mirrors
    // routing-events.ts, so the data is exactly EventMap[T].
    await this.emit({ tenantId: item.tenantId, type, interactionId: item.interactionId, data } as PublishInput<T>);
  }

  /** Publishes, remembering the id so this process's own subscriptions skip work it already did. */
  private async emit<T extends EventType>(input: PublishInput<T>): Promise<void> {
    const id = newId('evt');
    this.ownEvents.add(id);
    // Bounded: ids of events that never came back (a subscription closed) must not pile up.
    if (this.ownEvents.size > 10_000) this.ownEvents.delete(this.ownEvents.values().next().value!);
    await this.ctx.bus.publish({ ...input, id });
  }
}

interface ItemEventExtras {
  'routing.queued': { priority: number; volume: number };
  'routing.offered': { agentId: string; expiresAt: number };
  'routing.accepted': { agentId: string };
  'routing.rejected': { agentId: string; reason: 'rejected' | 'timeout' | 'reassigned' };
  'routing.assigned': { agentId: string; by: 'accept' | 'supervisor' };
  'routing.completed': { wrapUpCode: string | null };
  'routing.cancelled': { reason: string };
  'routing.overflowed': { fromQueueId: string };
}
