import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import type { Call } from '../calls/call.js';
import type { VerbHandler } from '../calls/flows/verb-registry.js';
import { watchAssignment } from './queued-calls.js';
import type { RoutingService } from './routing-service.js';

/** Hands the caller to a routing queue; the flow goes on when they leave it (the agent's call ended, or they hung up). */
export const enqueueVerb = z
  .object({ verb: z.literal('enqueue'), queue: z.string().min(1).max(100), skills: z.array(z.string().max(100)).max(20).optional(), priority: z.number().int().min(0).max(100).optional() })
  .strict();

export type EnqueueVerb = z.output<typeof enqueueVerb>;

declare module '../calls/flows/flow-schema.js' {
  interface FeatureVerbs {
    enqueue: EnqueueVerb;
  }
}

/**
 * The `enqueue` verb: waits, with hold audio, until an agent is assigned; then rings
 * the agent's phones and bridges. The routing item completes when the call ends, or
 * is cancelled if the caller leaves the queue. A caller transferred or reassigned to a
 * queue (routing.calls) is queued again when their agent's call ends, as a new item.
 */
export function enqueueVerbHandler(ctx: AppContext, routing: RoutingService): VerbHandler<EnqueueVerb> {
  return {
    schema: enqueueVerb,
    async run(call, verb) {
      if (call.state === 'ringing') await call.answer();
      routing.calls.hold(call.id);
      try {
        let next: { queueName?: string; queueId?: string; agentId?: string } | null = { queueName: verb.queue };
        while (next && call.state !== 'ended') {
          if (!(await waitAndConnect(ctx, routing, call, { ...next, priority: verb.priority }))) return;
          next = routing.calls.take(call.id);
        }
      } finally {
        routing.calls.release(call.id);
      }
    },
  };
}

/** One turn in a queue: waits for an agent (or hands the caller straight to `agentId`), connects them; false if the caller left first. */
async function waitAndConnect(ctx: AppContext, routing: RoutingService, call: Call, to: { queueName?: string; queueId?: string; agentId?: string; priority?: number }): Promise<boolean> {
  const watch = await watchAssignment(ctx, call.whenEnded());
  const { itemId } = await routing.enqueue({
    tenantId: call.record.tenantId,
    interactionId: call.record.interactionId,
    channel: 'voice',
    queueId: to.queueId,
    queueName: to.queueId ? undefined : to.queueName,
    priority: to.priority,
    context: await callContext(ctx, call),
  });
  watch.track(itemId);
  // A supervisor chose the agent: they get it at once (a busy agent leaves it waiting in the queue).
  if (to.agentId) await giveTo(ctx, routing, call.record.tenantId, itemId, to.agentId);
  const hold = holdAudio(call);
  const agentId = await watch.assigned;
  hold.stop();
  if (!agentId || call.state === 'ended') {
    await routing.cancel(itemId, 'caller_hung_up').catch(() => {});
    return false;
  }
  // The agent was assigned by routing: ringing them is not a dial anyone asked for.
  await ctx.services.get('telephony').manager.connect(call, `user:${agentId}`, { timeoutSeconds: 30, actor: { kind: 'admitted' } });
  await routing.complete(itemId).catch((err) => ctx.log.warn({ err, itemId }, 'completing the routing item failed'));
  return true;
}

/** Assigns the item to `agentId`; an allocation racing it (an offer made meanwhile) is retried over, anything else leaves the caller waiting in the queue. */
async function giveTo(ctx: AppContext, routing: RoutingService, tenantId: string, itemId: string, agentId: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await routing.reassign(tenantId, itemId, agentId);
    } catch (err) {
      if ((err as { code?: string }).code === 'routing_busy') continue;
      ctx.log.info({ err, itemId }, 'reassigning to the chosen agent failed; the caller waits in the queue');
      return;
    }
  }
}

/** Music-on-hold stand-in: a spoken "please hold" every 15 s until stopped. */
function holdAudio(call: Call): { stop(): void } {
  let stopped = false;
  const waiting = () => !stopped && call.state !== 'ended';
  void (async () => {
    while (waiting()) {
      await call.say('Please hold, an agent will be with you shortly.').catch(() => {});
      for (let i = 0; i < 30 && waiting(); i++) await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return {
    stop: () => {
      stopped = true;
      call.stopPlayback();
    },
  };
}

/**
 * What the agent sees of a queued call before taking it: who (the signed-in caller's
 * name, else a customer with this number, else the carrier's name), the verified
 * brand and number, and the keys pressed in the IVR.
 */
async function callContext(ctx: AppContext, call: Call): Promise<Record<string, unknown>> {
  const from = call.record.from;
  const tenantId = call.record.tenantId;
  const v = (call.annotations as { verification?: { verstat?: string; brand?: { name?: string; reason?: string }; callerName?: string } }).verification;
  // A SIP caller is known by its account's user part (sip:alice@host → alice), a phone by its number.
  const sipUser = /^sips?:([^@;>]+)@/.exec(from)?.[1] ?? null;
  const number = /^\+?\d{3,}$/.test(from) ? from : sipUser && /^\+?\d{3,}$/.test(sipUser) ? sipUser : null;
  let customer: { id: string; name: string } | undefined;
  const users = await ctx.users.list(tenantId).catch(() => []);
  if (number) customer = users.find((u) => u.role === 'customer' && u.phoneNumber === number);
  if (!customer && sipUser) {
    const account = (await ctx.services.maybe('telephony')?.sipAccounts.list(tenantId).catch(() => []))?.find((a) => a.username === sipUser);
    customer = account?.userId ? users.find((u) => u.id === account.userId) : undefined;
  }
  const callerName = call.callerName ?? customer?.name ?? v?.callerName ?? (sipUser && !number ? sipUser : null);
  return {
    callId: call.id,
    callerNumber: number ?? from,
    ...(callerName ? { callerName } : {}),
    ...(customer ? { customerId: customer.id } : {}),
    ...(v?.verstat ? { verstat: v.verstat } : {}),
    ...(v?.brand?.name ? { brand: v.brand.name } : {}),
    ...(call.digits ? { ivrDigits: call.digits } : {}),
    subject: v?.brand?.reason ?? (call.digits ? `Pressed ${call.digits.split('').join(', ')} in the menu` : 'Call'),
  };
}
