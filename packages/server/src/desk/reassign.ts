import type { ReassignInput } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import type { RoutingService } from '../routing/routing-service.js';
import { routingErrors as RE } from '../routing/routing-errors.js';
import type { Consults } from './consult.js';
import { deskErrors as E } from './desk-errors.js';

/**
 * A supervisor moves a piece of work to another agent or queue. Waiting work is moved in
 * routing. A call an agent is on is taken from them: the caller goes back through routing
 * (to the queue chosen, or straight to the chosen agent, whose phones ring), and the
 * first agent's call ends, so their wrap-up starts. Chats and texts change hands in place.
 */
export async function reassign(ctx: AppContext, routing: RoutingService, consults: Consults, tenantId: string, itemId: string, to: ReassignInput): Promise<void> {
  const item = await routing.loadItem(tenantId, itemId);
  if (item.state === 'completed' || item.state === 'cancelled') throw RE.closed(item.state);
  if (item.context.consultFrom) throw E.reassignUnsupported('This is one agent consulting another about a call: the agent who asked completes or cancels it');
  const agentId = 'agentId' in to ? to.agentId : null;
  if (agentId) {
    await routing.ensureAgent(tenantId, agentId);
    if (agentId === item.agentId) return;
  }
  const call = liveCall(ctx, tenantId, item.state === 'assigned' && (item.channel === 'voice' || item.channel === 'video') ? item.context.callId : null);
  if (call?.bridgedTo) {
    const queueId = 'queueId' in to ? to.queueId : item.queueId;
    const queue = await routing.repo.queue(tenantId, queueId);
    if (!queue) throw RE.unknownQueue(queueId);
    if (!queue.channels.includes(item.channel)) throw RE.channelNotServed(item.channel, queue.name);
    consults.requeue(call, { queueId: queue.id, ...(agentId ? { agentId } : {}) });
    await call.transferred(agentId ? `user:${agentId}` : `queue:${queue.id}`);
    await call.bridgedTo.hangup('reassigned');
    return;
  }
  if (agentId) return routing.reassign(tenantId, itemId, agentId);
  const queueId = (to as { queueId: string }).queueId;
  if (item.state !== 'queued') throw E.reassignUnsupported('An agent has this work already: move it to another agent, or let them finish');
  await routing.moveToQueue(tenantId, itemId, queueId);
}

function liveCall(ctx: AppContext, tenantId: string, callId: unknown) {
  if (typeof callId !== 'string') return null;
  const call = ctx.services.maybe('telephony')?.manager.get(tenantId, callId);
  return call && call.state !== 'ended' ? call : null;
}
