import type { Kysely, Transaction } from 'kysely';
import { newId } from '../core/ids.js';
import type { Database } from '../store/schema.js';
import { toJson, type Store } from '../store/store.js';
import { isMedia, type RoutingChannel, type SkillNeed } from './allocator.js';
import {
  toAgent,
  toItem,
  toQueue,
  toSettings,
  toSkill,
  type AgentRouting,
  type Queue,
  type RoutingSettings,
  type Skill,
  type WorkItem,
} from './routing-model.js';
import type { ItemState, Presence, RoutingQueuesTable } from './routing-tables.js';
import './routing-tables.js';

type Db = Kysely<Database> | Transaction<Database>;
const ROLLBACK = Symbol('rollback');
const OPEN_STATES: ItemState[] = ['queued', 'offered', 'assigned'];

export type QueueInput = Omit<Queue, 'id' | 'tenantId' | 'createdAt' | 'updatedAt'>;

/**
 * Routing state in the store. Every transition of a work item is one
 * transaction of conditional UPDATEs: the item moves only from the state and
 * version the caller saw, and an agent's load counters move only if the
 * allocation rule still holds on the row. Two processes deciding on stale
 * indexes can therefore both try, but only one commits.
 */
export class RoutingRepo {
  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  /** Runs `fn` in a transaction that commits only if it returns true. */
  private async cas(fn: (trx: Transaction<Database>) => Promise<boolean>): Promise<boolean> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        if (!(await fn(trx))) throw ROLLBACK;
        return true;
      });
    } catch (err) {
      if (err === ROLLBACK) return false;
      throw err;
    }
  }

  // ---- settings and skills ---------------------------------------------------

  async settings(tenantId: string): Promise<RoutingSettings> {
    return toSettings(await this.db.selectFrom('routing_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst());
  }

  async saveSettings(tenantId: string, s: RoutingSettings): Promise<void> {
    const row = { tenant_id: tenantId, volumes: toJson(s.volumes), default_limit: s.defaultLimit, updated_at: Date.now() };
    await this.db
      .insertInto('routing_settings')
      .values(row)
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ volumes: row.volumes, default_limit: row.default_limit, updated_at: row.updated_at }))
      .execute();
  }

  async skills(tenantId: string): Promise<Skill[]> {
    return (await this.db.selectFrom('routing_skills').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute()).map(toSkill);
  }

  async createSkill(tenantId: string, name: string, description: string | null): Promise<Skill> {
    const row = { id: newId('skl'), tenant_id: tenantId, name, description, created_at: Date.now() };
    await this.db.insertInto('routing_skills').values(row).execute();
    return toSkill(row);
  }

  // ---- queues ------------------------------------------------------------------

  async queues(tenantId: string): Promise<Queue[]> {
    return (await this.db.selectFrom('routing_queues').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute()).map(toQueue);
  }

  async allQueues(): Promise<Queue[]> {
    return (await this.db.selectFrom('routing_queues').selectAll().execute()).map(toQueue);
  }

  async queue(tenantId: string, id: string): Promise<Queue | undefined> {
    const r = await this.db.selectFrom('routing_queues').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return r && toQueue(r);
  }

  async queueByName(tenantId: string, name: string): Promise<Queue | undefined> {
    const r = await this.db.selectFrom('routing_queues').selectAll().where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst();
    return r && toQueue(r);
  }

  async createQueue(tenantId: string, q: QueueInput): Promise<Queue> {
    const now = Date.now();
    const row: RoutingQueuesTable = { id: newId('rtq'), tenant_id: tenantId, ...queueColumns(q), created_at: now, updated_at: now };
    await this.db.insertInto('routing_queues').values(row).execute();
    return toQueue(row);
  }

  async updateQueue(tenantId: string, id: string, q: QueueInput): Promise<void> {
    await this.db.updateTable('routing_queues').set({ ...queueColumns(q), updated_at: Date.now() }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  // ---- agents ------------------------------------------------------------------

  async agent(userId: string): Promise<AgentRouting | undefined> {
    const r = await this.db.selectFrom('routing_agents').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return r && toAgent(r);
  }

  async agents(tenantId: string): Promise<AgentRouting[]> {
    return (await this.db.selectFrom('routing_agents').selectAll().where('tenant_id', '=', tenantId).execute()).map(toAgent);
  }

  async allAgents(): Promise<AgentRouting[]> {
    return (await this.db.selectFrom('routing_agents').selectAll().execute()).map(toAgent);
  }

  /** Creates the routing row of a staff user on first use (offline, no skills, the tenant's default limit). */
  async ensureAgent(tenantId: string, userId: string, defaultLimit: number): Promise<AgentRouting> {
    const now = Date.now();
    await this.db
      .insertInto('routing_agents')
      .values({ user_id: userId, tenant_id: tenantId, skills: '{}', text_limit: defaultLimit, presence: 'offline', presence_until: null, media_count: 0, text_load: 0, idle_since: now, version: 0, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
    return (await this.agent(userId))!;
  }

  async setAgentProfile(userId: string, profile: { skills?: Record<string, number>; limit?: number }): Promise<void> {
    await this.db
      .updateTable('routing_agents')
      .set((eb) => ({
        ...(profile.skills ? { skills: toJson(profile.skills) } : {}),
        ...(profile.limit !== undefined ? { text_limit: profile.limit } : {}),
        version: eb('version', '+', 1),
        updated_at: Date.now(),
      }))
      .where('user_id', '=', userId)
      .execute();
  }

  async setPresence(userId: string, presence: Presence, until: number | null): Promise<void> {
    await this.db
      .updateTable('routing_agents')
      .set((eb) => ({ presence, presence_until: until, version: eb('version', '+', 1), updated_at: Date.now() }))
      .where('user_id', '=', userId)
      .execute();
  }

  /** Ends wrap-up only if it is still the same wrap-up (version unchanged): one process wins. */
  async endWrapUp(userId: string, version: number): Promise<boolean> {
    const r = await this.db
      .updateTable('routing_agents')
      .set({ presence: 'available', presence_until: null, version: version + 1, updated_at: Date.now() })
      .where('user_id', '=', userId)
      .where('version', '=', version)
      .where('presence', '=', 'wrap-up')
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async wrapUpsEnded(now: number): Promise<AgentRouting[]> {
    return (
      await this.db.selectFrom('routing_agents').selectAll().where('presence', '=', 'wrap-up').where('presence_until', '<=', now).limit(200).execute()
    ).map(toAgent);
  }

  // ---- items -------------------------------------------------------------------

  async item(id: string): Promise<WorkItem | undefined> {
    const r = await this.db.selectFrom('routing_items').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toItem(r);
  }

  async openItems(): Promise<WorkItem[]> {
    return (await this.db.selectFrom('routing_items').selectAll().where('state', 'in', OPEN_STATES).execute()).map(toItem);
  }

  async items(q: { tenantId: string; states?: ItemState[]; queueId?: string; agentId?: string; limit: number }): Promise<WorkItem[]> {
    let sel = this.db.selectFrom('routing_items').selectAll().where('tenant_id', '=', q.tenantId);
    if (q.states) sel = sel.where('state', 'in', q.states);
    if (q.queueId) sel = sel.where('queue_id', '=', q.queueId);
    if (q.agentId) sel = sel.where('agent_id', '=', q.agentId);
    return (await sel.orderBy('enqueued_at').limit(q.limit).execute()).map(toItem);
  }

  async insertItem(item: Omit<WorkItem, 'id' | 'state' | 'agentId' | 'offerExpiresAt' | 'declinedBy' | 'assignedAt' | 'closedAt' | 'closeReason' | 'wrapUpCode' | 'version'>): Promise<WorkItem> {
    const row = {
      id: newId('rte'),
      tenant_id: item.tenantId,
      queue_id: item.queueId,
      interaction_id: item.interactionId,
      channel: item.channel,
      priority: item.priority,
      volume: item.volume,
      skills: toJson(item.skills),
      context: toJson(item.context),
      state: 'queued' as const,
      agent_id: null,
      offer_expires_at: null,
      declined_by: '[]',
      enqueued_at: item.enqueuedAt,
      queue_entered_at: item.queueEnteredAt,
      assigned_at: null,
      closed_at: null,
      close_reason: null,
      wrap_up_code: null,
      version: 0,
      updated_at: Date.now(),
    };
    await this.db.insertInto('routing_items').values(row).execute();
    return toItem(row);
  }

  /** Items waiting past their queue's overflow time. */
  async overflowDue(now: number): Promise<{ item: WorkItem; to: string }[]> {
    const rows = await this.db
      .selectFrom('routing_items as i')
      .innerJoin('routing_queues as q', 'q.id', 'i.queue_id')
      .selectAll('i')
      .select(['q.overflow_queue_id', 'q.overflow_after_seconds'])
      .where('i.state', '=', 'queued')
      .where('q.overflow_queue_id', 'is not', null)
      // Arithmetic on the bigint column side, so Postgres types the parameter as bigint too.
      .where((eb) => eb(eb('i.queue_entered_at', '+', eb(eb.ref('q.overflow_after_seconds'), '*', 1000)), '<=', now))
      .limit(200)
      .execute();
    return rows.map((r) => ({ item: toItem(r), to: r.overflow_queue_id! }));
  }

  async offersExpired(now: number): Promise<WorkItem[]> {
    return (await this.db.selectFrom('routing_items').selectAll().where('state', '=', 'offered').where('offer_expires_at', '<', now).limit(200).execute()).map(toItem);
  }

  // ---- transitions (compare-and-set) ----------------------------------------------

  /** queued → offered to `agentId`, charging the agent only if the rule holds on its row. */
  offer(item: WorkItem, agentId: string, expiresAt: number, textDuringVoice: boolean): Promise<boolean> {
    return this.cas(async (trx) => {
      const moved = await trx
        .updateTable('routing_items')
        .set({ state: 'offered', agent_id: agentId, offer_expires_at: expiresAt, version: item.version + 1, updated_at: Date.now() })
        .where('id', '=', item.id)
        .where('state', '=', 'queued')
        .where('version', '=', item.version)
        .executeTakeFirst();
      return moved.numUpdatedRows > 0n && (await charge(trx, agentId, item, textDuringVoice, true));
    });
  }

  /** offered → assigned, only by the agent it was offered to and before it expires. */
  async accept(itemId: string, agentId: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('routing_items')
      .set((eb) => ({ state: 'assigned', assigned_at: now, offer_expires_at: null, version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', itemId)
      .where('state', '=', 'offered')
      .where('agent_id', '=', agentId)
      .where('offer_expires_at', '>=', now)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** offered → queued again (rejected or expired): the agent is not asked again for this item. */
  requeue(item: WorkItem): Promise<boolean> {
    return this.cas(async (trx) => {
      const moved = await trx
        .updateTable('routing_items')
        .set({ state: 'queued', agent_id: null, offer_expires_at: null, declined_by: toJson([...new Set([...item.declinedBy, item.agentId!])]), version: item.version + 1, updated_at: Date.now() })
        .where('id', '=', item.id)
        .where('state', '=', 'offered')
        .where('version', '=', item.version)
        .executeTakeFirst();
      return moved.numUpdatedRows > 0n && (await discharge(trx, item.agentId!, item));
    });
  }

  /** Any open state → completed/cancelled, freeing the agent; wrap-up starts in the same transaction. */
  close(item: WorkItem, state: 'completed' | 'cancelled', extra: { reason?: string; wrapUpCode?: string | null; wrapUpUntil?: number | null }): Promise<boolean> {
    return this.cas(async (trx) => {
      const now = Date.now();
      const moved = await trx
        .updateTable('routing_items')
        .set({ state, closed_at: now, close_reason: extra.reason ?? null, wrap_up_code: extra.wrapUpCode ?? null, offer_expires_at: null, version: item.version + 1, updated_at: now })
        .where('id', '=', item.id)
        .where('state', '=', item.state)
        .where('version', '=', item.version)
        .executeTakeFirst();
      if (moved.numUpdatedRows === 0n) return false;
      if (item.state === 'queued' || !item.agentId) return true;
      if (!(await discharge(trx, item.agentId, item))) return false;
      if (extra.wrapUpUntil) {
        await trx
          .updateTable('routing_agents')
          .set((eb) => ({ presence: 'wrap-up', presence_until: extra.wrapUpUntil!, version: eb('version', '+', 1) }))
          .where('user_id', '=', item.agentId)
          .where('presence', '=', 'available')
          .execute();
      }
      return true;
    });
  }

  /** A supervisor moves an item to `agentId` (assigned at once); the rule still applies to the target. */
  reassign(item: WorkItem, agentId: string, textDuringVoice: boolean): Promise<boolean> {
    return this.cas(async (trx) => {
      const now = Date.now();
      const moved = await trx
        .updateTable('routing_items')
        .set({ state: 'assigned', agent_id: agentId, assigned_at: now, offer_expires_at: null, version: item.version + 1, updated_at: now })
        .where('id', '=', item.id)
        .where('state', '=', item.state)
        .where('version', '=', item.version)
        .executeTakeFirst();
      if (moved.numUpdatedRows === 0n) return false;
      if (item.state !== 'queued' && item.agentId && !(await discharge(trx, item.agentId, item))) return false;
      return charge(trx, agentId, item, textDuringVoice, false);
    });
  }

  async moveQueue(item: WorkItem, queueId: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('routing_items')
      .set({ queue_id: queueId, queue_entered_at: now, version: item.version + 1, updated_at: now })
      .where('id', '=', item.id)
      .where('state', '=', 'queued')
      .where('version', '=', item.version)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  // ---- statistics --------------------------------------------------------------------

  /** Per queue: waiting items, oldest wait, and items answered in the window (within SLA or not). */
  async queueStats(tenantId: string, since: number) {
    const waiting = await this.db
      .selectFrom('routing_items')
      .select(['queue_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('enqueued_at').as('oldest')])
      .where('tenant_id', '=', tenantId)
      .where('state', 'in', ['queued', 'offered'])
      .groupBy('queue_id')
      .execute();
    const answered = await this.db
      .selectFrom('routing_items')
      .select(['queue_id', 'enqueued_at', 'assigned_at'])
      .where('tenant_id', '=', tenantId)
      .where('assigned_at', '>=', since)
      .execute();
    return { waiting, answered };
  }
}

function queueColumns(q: QueueInput) {
  return {
    name: q.name,
    channels: toJson(q.channels),
    skills: toJson(q.skills),
    priority: q.priority,
    sla_seconds: q.slaSeconds,
    text_during_voice: q.textDuringVoice ? 1 : 0,
    accept_timeout_seconds: q.acceptTimeoutSeconds,
    wrap_up_seconds: q.wrapUpSeconds,
    wrap_up_codes: toJson(q.wrapUpCodes),
    overflow_queue_id: q.overflowQueueId,
    overflow_after_seconds: q.overflowAfterSeconds,
  };
}

/**
 * Adds the item to the agent's load with the allocation rule in the WHERE
 * clause. Under Postgres' read-committed a concurrent charge of the same row
 * waits for the first to commit and re-checks the condition on the new values,
 * so two processes can never push one agent past the rule.
 */
async function charge(db: Db, agentId: string, item: { channel: RoutingChannel; volume: number }, textDuringVoice: boolean, requireAvailable: boolean): Promise<boolean> {
  let q = db.updateTable('routing_agents').where('user_id', '=', agentId);
  q = requireAvailable ? q.where('presence', '=', 'available') : q.where('presence', '!=', 'offline');
  if (isMedia(item.channel)) {
    q = q.set((eb) => ({ media_count: eb('media_count', '+', 1), version: eb('version', '+', 1), updated_at: Date.now() }))
      .where('media_count', '=', 0)
      .where((eb) => eb('text_load', '<=', eb.ref('text_limit')));
  } else {
    q = q.set((eb) => ({ text_load: eb('text_load', '+', item.volume), version: eb('version', '+', 1), updated_at: Date.now() }))
      .where((eb) => eb(eb('text_load', '+', item.volume), '<=', eb.ref('text_limit')));
    if (!textDuringVoice) q = q.where('media_count', '=', 0);
  }
  return (await q.executeTakeFirst()).numUpdatedRows > 0n;
}

async function discharge(db: Db, agentId: string, item: { channel: RoutingChannel; volume: number }): Promise<boolean> {
  const now = Date.now();
  const media = isMedia(item.channel);
  const r = await db
    .updateTable('routing_agents')
    .set((eb) => ({
      ...(media ? { media_count: eb('media_count', '-', 1) } : { text_load: eb('text_load', '-', item.volume) }),
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('user_id', '=', agentId)
    .executeTakeFirst();
  // "Longest idle" counts from the moment an agent's last item ended.
  await db.updateTable('routing_agents').set({ idle_since: now }).where('user_id', '=', agentId).where('media_count', '=', 0).where('text_load', '=', 0).execute();
  return r.numUpdatedRows > 0n;
}

export type { SkillNeed };
