import type { Wallboard, WallboardAgent, WallboardQueue } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import type { RoutingService } from '../routing/routing-service.js';
import type { Queue } from '../routing/routing-model.js';
import { SLA_WINDOW_MS, queueFigures } from '../routing/queue-figures.js';
import type { Supervisions } from './supervision.js';


/** Can this agent take this queue's work (every skill it needs at its level)? */
const serves = (skills: Record<string, number>, q: Queue) => q.skills.every((s) => (skills[s.skill] ?? 0) >= s.minLevel);

/**
 * What a supervisor sees live: each queue's waiting work, longest wait, answered and
 * abandoned in the last hour, SLA and the agents who serve it by state; each agent's
 * state, since when, and what they hold (calls with whoever supervises them).
 */
export async function buildWallboard(ctx: AppContext, routing: RoutingService, supervisions: Supervisions, tenantId: string): Promise<Wallboard> {
  const now = Date.now();
  const since = now - SLA_WINDOW_MS;
  const repo = routing.repo;
  const [queues, stats, users, held, abandonedRows] = await Promise.all([
    repo.queues(tenantId),
    repo.queueStats(tenantId, since),
    ctx.users.list(tenantId),
    repo.items({ tenantId, states: ['assigned'], limit: 500 }),
    ctx.store.db
      .selectFrom('routing_items')
      .select(['queue_id'])
      .where('tenant_id', '=', tenantId)
      .where('state', '=', 'cancelled')
      .where('assigned_at', 'is', null)
      .where('closed_at', '>=', since)
      .execute(),
  ]);
  const staff = users.filter((u) => u.role === 'agent' || u.role === 'supervisor');
  const routed = await Promise.all(staff.map((u) => routing.ensureAgent(tenantId, u.id)));
  const queueName = new Map(queues.map((q) => [q.id, q.name]));
  // The row changes with presence (and load); for an agent doing nothing it is when their state began.
  const changed = new Map((await ctx.store.db.selectFrom('routing_agents').select(['user_id', 'updated_at']).where('tenant_id', '=', tenantId).execute()).map((r) => [r.user_id, Number(r.updated_at)]));

  const agents: WallboardAgent[] = routed.map((a, i) => {
    const work = held
      .filter((it) => it.agentId === a.userId)
      .map((it) => {
        const c = it.context;
        const callId = it.channel === 'voice' && typeof c.callId === 'string' ? c.callId : null;
        return {
          itemId: it.id,
          channel: it.channel,
          queueName: queueName.get(it.queueId) ?? 'Deleted queue',
          customer: String(c.visitorName ?? c.callerName ?? c.from ?? c.callerNumber ?? 'Customer'),
          since: it.assignedAt ?? it.enqueuedAt,
          callId,
          supervision: callId ? supervisions.of(tenantId, callId) : null,
        };
      });
    const busySince = work.length ? Math.min(...work.map((w) => w.since)) : null;
    return { userId: a.userId, name: staff[i].name, presence: a.presence, since: busySince ?? (a.presence === 'available' ? a.idleSince : (changed.get(a.userId) ?? a.idleSince)), work };
  });
  agents.sort((x, y) => x.name.localeCompare(y.name));

  const board: WallboardQueue[] = queues.map((q) => {
    const byState: Record<string, number> = {};
    routed.forEach((a) => {
      if (serves(a.skills, q)) byState[a.presence] = (byState[a.presence] ?? 0) + 1;
    });
    return {
      ...queueFigures(q, stats, now),
      abandoned: abandonedRows.filter((r) => r.queue_id === q.id).length,
      slaSeconds: q.slaSeconds,
      agents: byState,
    };
  });
  return { time: now, queues: board, agents };
}
