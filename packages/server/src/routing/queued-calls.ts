import type { AppContext } from '../app-context.js';

/** Where a caller goes when their agent lets go of them: a queue, and optionally straight to one agent of it. */
export interface RequeueTarget {
  queueId: string;
  agentId?: string;
}

/**
 * The calls an `enqueue` verb holds in this process (the caller's call lives here, so does
 * this), and where each goes next: a transfer or reassignment to a queue marks the call,
 * then releases its agent; the verb, seeing the mark once the agent's call ended, queues
 * the caller again instead of letting the flow go on.
 */
export class QueuedCalls {
  private readonly held = new Set<string>();
  private readonly next = new Map<string, RequeueTarget>();

  hold(callId: string): void {
    this.held.add(callId);
  }

  release(callId: string): void {
    this.held.delete(callId);
    this.next.delete(callId);
  }

  /** Whether a queue holds this caller (they can be queued again when their agent leaves). */
  holds(callId: string): boolean {
    return this.held.has(callId);
  }

  requeue(callId: string, target: RequeueTarget): void {
    this.next.set(callId, target);
  }

  /** Where the caller goes next, once (null: the flow goes on). */
  take(callId: string): RequeueTarget | null {
    const t = this.next.get(callId) ?? null;
    this.next.delete(callId);
    return t;
  }
}

/**
 * Follows one routing item from before it exists: events naming it are kept from the
 * subscription on, so an assignment that overtakes the enqueue's reply is not missed.
 * `assigned` resolves with the agent, or null when the item is closed or `until` settles first.
 */
export async function watchAssignment(ctx: AppContext, until: Promise<unknown>): Promise<{ track(itemId: string): void; assigned: Promise<string | null> }> {
  const seen = new Map<string, string | null>();
  let itemId: string | null = null;
  let done: (agentId: string | null) => void = () => {};
  const assigned = new Promise<string | null>((resolve) => (done = resolve));
  const sub = await ctx.bus.subscribe({ types: ['routing.assigned', 'routing.cancelled', 'routing.completed'] }, (e) => {
    const data = e.data as { itemId: string; agentId?: string };
    const agent = e.type === 'routing.assigned' ? (data.agentId ?? null) : null;
    if (itemId === null) {
      if (!seen.has(data.itemId)) seen.set(data.itemId, agent);
    } else if (data.itemId === itemId) done(agent);
  });
  void until.then(() => done(null));
  void assigned.then(() => sub.unsubscribe()).catch((err) => ctx.log.warn({ err }, 'routing subscription failed'));
  return {
    track(id: string) {
      itemId = id;
      if (seen.has(id)) done(seen.get(id)!);
      seen.clear();
    },
    assigned,
  };
}
