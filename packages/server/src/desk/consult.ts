import type { Consult, ConsultMode, ConsultOutcome } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import { hasRole, type Principal } from '../auth/principal.js';
import type { Call } from '../calls/call.js';
import { actorOf } from '../calls/outbound-guard.js';
import type { DialActor } from '../calls/outbound-policy.js';
import { conflict, notFound } from '../core/errors.js';
import { watchAssignment } from '../routing/queued-calls.js';
import type { RoutingService } from '../routing/routing-service.js';
import { routingErrors as RE } from '../routing/routing-errors.js';
import { deskErrors as E } from './desk-errors.js';

type Live = Consult & { tenantId: string };
/** The calls of a live consult; `target` is null while a queue looks for an agent; `itemId` is that queue's work item. */
interface Parties {
  call: Call;
  agent: Call;
  target: Call | null;
  itemId: string | null;
  /** The agent the queue assigned (null: the item closed or the customer left first). */
  assigned: Promise<string | null> | null;
}

/**
 * Warm (consult) transfers and three-way conferences on an agent's call with a customer.
 * The agent rings a colleague, a number, or a queue (which finds an agent as it would
 * for a caller, then rings them) while the customer is on hold; once they answer, the
 * agent and they talk without the customer hearing (the customer's bridge mixes who
 * hears whom); then the agent hands the customer over (and leaves), joins all three, or
 * goes back to the customer. Adding a third party (`conference` mode) skips the private
 * talk: the customer and agent go on talking while they ring, then all three hear each
 * other. The agent hanging up mid-consult hands over, as on a desk phone; the customer
 * hanging up ends the consult call too.
 */
export class Consults {
  /** By the customer's call id. */
  private readonly byCall = new Map<string, Live>();
  private readonly calls = new Map<Live, Parties>();

  constructor(
    private readonly ctx: AppContext,
    private readonly routing: RoutingService,
  ) {}

  of(tenantId: string, callId: string): Consult | null {
    const c = this.byCall.get(callId);
    return c && c.tenantId === tenantId ? strip(c) : null;
  }

  /** The customer's live call and the agent's, when `p` may act on it: the agent on it, or a supervisor. */
  private async parties(p: Principal, callId: string): Promise<{ call: Call; agent: Call; agentId: string }> {
    const tel = this.ctx.services.maybe('telephony');
    if (!tel) throw E.noTelephony();
    const record = await tel.calls.get(p.tenantId, callId);
    if (!record) throw notFound('Call');
    const call = record.state === 'ended' ? undefined : tel.manager.get(p.tenantId, callId);
    if (!call || call.state === 'ended') throw conflict('call_ended', 'The call has ended');
    const agent = call.bridgedTo;
    if (!agent) throw conflict('call_not_bridged', 'The call is not connected to an agent');
    const agentId = agent.record.to.startsWith('user:') ? agent.record.to.slice(5) : null;
    if (!hasRole(p, 'supervisor') && (!p.userId || agentId !== p.userId)) throw E.notYourCall();
    return { call, agent, agentId: agentId ?? p.userId ?? '' };
  }

  /** Throws unless `p` may act on the call (the agent on it, or a supervisor). */
  async authorize(p: Principal, callId: string): Promise<void> {
    await this.parties(p, callId);
  }

  private current(tenantId: string, callId: string): Live {
    const c = this.byCall.get(callId);
    if (!c || c.tenantId !== tenantId) throw E.noConsult();
    return c;
  }

  /**
   * Puts the customer on hold and rings `to`: `user:<id>` for an agent, `queue:<id>` for
   * whoever that queue finds, else a number the caller may dial. In `conference` mode the
   * customer and agent go on talking, and the target joins them on answer.
   */
  async start(p: Principal, callId: string, to: string, mode: ConsultMode = 'consult'): Promise<Consult> {
    const { call, agent, agentId } = await this.parties(p, callId);
    if (this.byCall.get(callId)) throw E.consulting();
    if (call.supervision) throw conflict('call_supervised', 'A supervisor is on this call: they leave before a consult');
    const userTarget = to.startsWith('user:') ? to.slice(5) : null;
    if (userTarget === agentId) throw E.consultSelf();
    const targetUser = userTarget ? await this.ctx.users.get(p.tenantId, userTarget) : null;
    if (userTarget && !targetUser) throw notFound('Agent');
    const queue = to.startsWith('queue:') ? await this.voiceQueue(p.tenantId, to.slice(6)) : null;
    const c: Live = {
      tenantId: p.tenantId,
      callId,
      consultCallId: null,
      agentId,
      to: queue ? `queue:${queue.id}` : to,
      targetName: targetUser?.name ?? null,
      queueName: queue?.name ?? null,
      mode,
      state: queue ? 'queued' : 'ringing',
    };
    const parties: Parties = { call, agent, target: null, itemId: null, assigned: null };
    if (queue) Object.assign(parties, await this.enqueue(c, call, queue.id));
    else parties.target = await this.ring(c, call, to, userTarget ? { kind: 'admitted' } : actorOf(p));
    try {
      call.consult(null, mode === 'conference' ? 'join' : 'hold');
    } catch (err) {
      await parties.target?.hangup('consult_failed').catch(() => {});
      if (parties.itemId) await this.routing.cancel(parties.itemId, 'consult_failed').catch(() => {});
      throw err;
    }
    this.byCall.set(callId, c);
    this.calls.set(c, parties);
    await this.publish('desk.consult_started', c);
    this.follow(c);
    return strip(c);
  }

  /** Blind transfer: to a queue, the caller waits there for the next agent (this agent leaves at once); else rings `to` and hands over on answer. */
  async transfer(p: Principal, callId: string, to: string): Promise<void> {
    const { call, agent } = await this.parties(p, callId);
    if (this.byCall.get(callId)) throw E.consulting();
    if (!to.startsWith('queue:')) return this.ctx.services.get('telephony').manager.transfer(call, to, actorOf(p));
    const queue = await this.voiceQueue(p.tenantId, to.slice(6));
    this.requeue(call, { queueId: queue.id });
    await call.transferred(to);
    await agent.hangup('transferred');
  }

  /**
   * Marks a queued caller to be queued again (to a queue, or one agent of it) when their
   * agent's call ends; the caller's own queue (routing) does it. Throws for callers no
   * queue holds (calls placed by the agent, or dialled in straight to them).
   */
  requeue(call: Call, target: { queueId: string; agentId?: string }): void {
    if (this.byCall.has(call.id)) throw E.consulting();
    if (!this.routing.calls.holds(call.id)) throw E.notQueued();
    this.routing.calls.requeue(call.id, target);
  }

  private async voiceQueue(tenantId: string, ref: string): Promise<{ id: string; name: string }> {
    const queue = (await this.routing.repo.queue(tenantId, ref)) ?? (await this.routing.repo.queueByName(tenantId, ref));
    if (!queue) throw RE.unknownQueue(ref);
    if (!queue.channels.includes('voice')) throw RE.channelNotServed('voice', queue.name);
    return queue;
  }

  /** Rings the consult's target; the colleague or number sees who asks. */
  private async ring(c: Live, call: Call, to: string, actor: DialActor): Promise<Call> {
    const agentName = (await this.ctx.users.get(c.tenantId, c.agentId))?.name ?? 'An agent';
    const target = await this.ctx.services.get('telephony').manager.originate(c.tenantId, {
      to,
      // A colleague is rung at the agent's request inside the tenant; a number is a dial out, under the outbound policy.
      actor,
      via: 'transfer',
      from: 'consult',
      fromName: `Consult from ${agentName}`,
      interactionId: call.record.interactionId,
      timeoutSeconds: 30,
    });
    c.consultCallId = target.id;
    return target;
  }

  /** A work item in the queue for the consult: an agent of it is offered the customer's context, marked as a consult. */
  private async enqueue(c: Live, call: Call, queueId: string): Promise<{ itemId: string; assigned: Promise<string | null> }> {
    const agentName = (await this.ctx.users.get(c.tenantId, c.agentId))?.name ?? 'An agent';
    const own = (await this.routing.openItemsOf(c.tenantId, call.record.interactionId)).find((i) => i.context.callId === c.callId);
    const context = { ...(own?.context ?? { callId: c.callId, callerNumber: call.record.from }), subject: `Consult from ${agentName}`, consultFrom: c.agentId };
    const watch = await watchAssignment(this.ctx, call.whenEnded());
    const { itemId } = await this.routing.enqueue({ tenantId: c.tenantId, interactionId: call.record.interactionId, channel: 'voice', queueId, context });
    watch.track(itemId);
    return { itemId, assigned: watch.assigned };
  }

  /** All three hear each other. */
  async conference(p: Principal, callId: string): Promise<Consult> {
    await this.parties(p, callId);
    const c = this.current(p.tenantId, callId);
    if (c.state === 'ringing' || c.state === 'queued') throw E.notAnswered();
    if (c.state === 'conference') return strip(c);
    const { call, target } = this.calls.get(c)!;
    call.consult(target, 'conference');
    c.state = 'conference';
    await this.publish('desk.conference_started', c);
    return strip(c);
  }

  /** The customer and the consulted party are connected and the agent's call is released (their wrap-up starts). */
  async complete(p: Principal, callId: string): Promise<void> {
    await this.parties(p, callId);
    const c = this.current(p.tenantId, callId);
    if (c.state === 'ringing' || c.state === 'queued') throw E.notAnswered();
    await this.handOver(c);
  }

  /** Hangs up the consulted party (or leaves the queue): the customer and the agent hear each other again. */
  async cancel(p: Principal, callId: string): Promise<void> {
    await this.parties(p, callId);
    const c = this.current(p.tenantId, callId);
    const { call, target } = this.calls.get(c)!;
    this.forget(c, 'consult_cancelled');
    call.endConsult();
    await target?.hangup('consult_cancelled').catch((err) => this.ctx.log.warn({ err }, 'hanging up the consulted party failed'));
    await this.publish('desk.consult_ended', c, 'cancelled');
  }

  /** Rings the queue's agent once assigned, joins the target once it answers, and ends the consult when any of the calls ends. */
  private follow(c: Live): void {
    const parties = this.calls.get(c)!;
    const { call, agent } = parties;
    const live = () => this.byCall.get(c.callId) === c;
    const fail = (err: unknown) => this.ctx.log.warn({ err, callId: c.callId }, 'following a consult failed');
    if (parties.target) this.followTarget(c, parties.target);
    else
      void parties.assigned!.then(async (agentId) => {
        if (!live()) return;
        if (!agentId) {
          this.forget(c);
          call.endConsult();
          return this.publish('desk.consult_ended', c, 'no_answer');
        }
        c.targetName = (await this.ctx.users.get(c.tenantId, agentId))?.name ?? null;
        // The queue assigned them: ringing them is routing's doing, not a dial out.
        const target = await this.ring(c, call, `user:${agentId}`, { kind: 'admitted' }).catch((err) => (this.ctx.log.info({ err }, 'ringing the consulted agent failed'), null));
        if (!live()) return void target?.hangup('consult_cancelled').catch(() => {});
        if (!target) {
          this.forget(c, 'target_unreachable');
          call.endConsult();
          return this.publish('desk.consult_ended', c, 'no_answer');
        }
        parties.target = target;
        c.state = 'ringing';
        await this.publish('desk.consult_ringing', c);
        this.followTarget(c, target);
      }).catch(fail);
    void call.whenEnded().then(async () => {
      if (!live()) return;
      const { target } = parties;
      this.forget(c, 'caller_hung_up');
      await target?.hangup('call_ended').catch(() => {});
      await this.publish('desk.consult_ended', c, 'call_ended');
    }).catch(fail);
    void agent.whenEnded().then(async () => {
      if (!live()) return;
      const { target } = parties;
      if (target && (c.state === 'consulting' || c.state === 'conference') && call.state !== 'ended' && target.state === 'answered') return this.handOver(c);
      this.forget(c, 'agent_left');
      await target?.hangup('agent_left').catch(() => {});
      await this.publish('desk.consult_ended', c, 'call_ended');
    }).catch(fail);
  }

  private followTarget(c: Live, target: Call): void {
    const { call, itemId } = this.calls.get(c)!;
    const live = () => this.byCall.get(c.callId) === c;
    const fail = (err: unknown) => this.ctx.log.warn({ err, callId: c.callId }, 'following a consult failed');
    void target.leg.answeredOrEnded().then(async (answered) => {
      if (!answered || !live() || call.state === 'ended') return;
      const mix = c.mode === 'conference' ? 'conference' : 'consult';
      call.consult(target, mix);
      c.state = mix === 'conference' ? 'conference' : 'consulting';
      await this.publish(mix === 'conference' ? 'desk.conference_started' : 'desk.consult_connected', c);
    }).catch(fail);
    void target.whenEnded().then(async () => {
      // The consulted agent's work is done when their call is: their wrap-up starts.
      if (itemId) await this.routing.complete(itemId).catch((err) => this.ctx.log.debug({ err, itemId }, 'completing the consult item failed'));
      if (!live()) return;
      this.forget(c);
      call.endConsult(target);
      await this.publish('desk.consult_ended', c, c.state === 'ringing' ? 'no_answer' : 'target_left');
    }).catch(fail);
  }

  /** Bridges the customer with the target, then releases the agent; the two stay until either hangs up. */
  private async handOver(c: Live): Promise<void> {
    const { call, agent, target } = this.calls.get(c)!;
    if (!target) throw E.notAnswered();
    this.forget(c);
    await call.bridge(target);
    await call.transferred(c.to);
    await agent.hangup('transferred').catch((err) => this.ctx.log.warn({ err }, 'releasing the agent after a transfer failed'));
    await this.publish('desk.consult_ended', c, 'transferred');
    // The customer's flow already let go of them (their agent left): the bridge ends both.
    void Promise.race([call.whenEnded(), target.whenEnded()]).then(async () => {
      await target.hangup('bridge_ended').catch(() => {});
      await call.hangup('bridge_ended').catch(() => {});
    });
  }

  /** Drops the consult; a queue's item nobody answered yet leaves the queue (`reason`). */
  private forget(c: Live, reason?: string): void {
    const parties = this.calls.get(c);
    if (this.byCall.get(c.callId) === c) this.byCall.delete(c.callId);
    this.calls.delete(c);
    if (reason && parties?.itemId && !parties.target) void this.routing.cancel(parties.itemId, reason).catch((err) => this.ctx.log.debug({ err }, 'cancelling the consult item failed'));
  }

  private async publish(type: 'desk.consult_started' | 'desk.consult_ringing' | 'desk.consult_connected' | 'desk.conference_started', c: Live): Promise<void>;
  private async publish(type: 'desk.consult_ended', c: Live, outcome: ConsultOutcome): Promise<void>;
  private async publish(type: string, c: Live, outcome?: ConsultOutcome): Promise<void> {
    await this.ctx.bus
      .publish({ tenantId: c.tenantId, type, data: outcome ? { ...strip(c), outcome } : strip(c) } as never)
      .catch((err) => this.ctx.log.warn({ err, type }, 'publishing a consult event failed'));
  }
}

const strip = ({ callId, consultCallId, agentId, to, targetName, queueName, mode, state }: Consult): Consult => ({ callId, consultCallId, agentId, to, targetName, queueName, mode, state });
