import type { Consult, ConsultOutcome } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import { hasRole, type Principal } from '../auth/principal.js';
import type { Call } from '../calls/call.js';
import { actorOf } from '../calls/outbound-guard.js';
import { conflict, notFound } from '../core/errors.js';
import { deskErrors as E } from './desk-errors.js';

type Live = Consult & { tenantId: string };

/**
 * Warm (consult) transfers and three-way conferences on an agent's call with a customer.
 * The agent rings a colleague or a number while the customer is on hold; once they
 * answer, the agent and they talk without the customer hearing (the customer's bridge
 * mixes who hears whom); then the agent hands the customer over (and leaves), joins all
 * three, or goes back to the customer. The agent hanging up mid-consult hands over, as
 * on a desk phone; the customer hanging up ends the consult call too.
 */
export class Consults {
  /** By the customer's call id. */
  private readonly byCall = new Map<string, Live>();
  private readonly calls = new Map<Live, { call: Call; agent: Call; target: Call }>();

  constructor(private readonly ctx: AppContext) {}

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

  /** Puts the customer on hold and rings `to` (`user:<id>` for an agent, else a number the caller may dial). */
  async start(p: Principal, callId: string, to: string): Promise<Consult> {
    const { call, agent, agentId } = await this.parties(p, callId);
    if (this.byCall.get(callId)) throw E.consulting();
    if (call.supervision) throw conflict('call_supervised', 'A supervisor is on this call: they leave before a consult');
    const userTarget = to.startsWith('user:') ? to.slice(5) : null;
    if (userTarget === agentId) throw E.consultSelf();
    const targetUser = userTarget ? await this.ctx.users.get(p.tenantId, userTarget) : null;
    if (userTarget && !targetUser) throw notFound('Agent');
    const agentName = (await this.ctx.users.get(p.tenantId, agentId))?.name ?? 'An agent';
    const target = await this.ctx.services.get('telephony').manager.originate(p.tenantId, {
      to,
      // A colleague is rung at the agent's request inside the tenant; a number is a dial out, under the outbound policy.
      actor: userTarget ? { kind: 'admitted' } : actorOf(p),
      via: 'transfer',
      from: 'consult',
      fromName: `Consult from ${agentName}`,
      interactionId: call.record.interactionId,
      timeoutSeconds: 30,
    });
    const c: Live = { tenantId: p.tenantId, callId, consultCallId: target.id, agentId, to, targetName: targetUser?.name ?? null, state: 'ringing' };
    try {
      call.consult(null, 'hold');
    } catch (err) {
      await target.hangup('consult_failed').catch(() => {});
      throw err;
    }
    this.byCall.set(callId, c);
    this.calls.set(c, { call, agent, target });
    await this.publish('desk.consult_started', c);
    this.follow(c);
    return strip(c);
  }

  /** All three hear each other. */
  async conference(p: Principal, callId: string): Promise<Consult> {
    await this.parties(p, callId);
    const c = this.current(p.tenantId, callId);
    if (c.state === 'ringing') throw E.notAnswered();
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
    if (c.state === 'ringing') throw E.notAnswered();
    await this.handOver(c);
  }

  /** Hangs up the consulted party: the customer and the agent hear each other again. */
  async cancel(p: Principal, callId: string): Promise<void> {
    await this.parties(p, callId);
    const c = this.current(p.tenantId, callId);
    const { call, target } = this.calls.get(c)!;
    this.forget(c);
    call.endConsult();
    await target.hangup('consult_cancelled').catch((err) => this.ctx.log.warn({ err }, 'hanging up the consulted party failed'));
    await this.publish('desk.consult_ended', c, 'cancelled');
  }

  /** Joins the target once it answers, and ends the consult when any of the three calls ends. */
  private follow(c: Live): void {
    const { call, agent, target } = this.calls.get(c)!;
    const live = () => this.byCall.get(c.callId) === c;
    const fail = (err: unknown) => this.ctx.log.warn({ err, callId: c.callId }, 'following a consult failed');
    void target.leg.answeredOrEnded().then(async (answered) => {
      if (!answered || !live() || call.state === 'ended') return;
      call.consult(target, 'consult');
      c.state = 'consulting';
      await this.publish('desk.consult_connected', c);
    }).catch(fail);
    void target.whenEnded().then(async () => {
      if (!live()) return;
      this.forget(c);
      call.endConsult(target);
      await this.publish('desk.consult_ended', c, c.state === 'ringing' ? 'no_answer' : 'target_left');
    }).catch(fail);
    void call.whenEnded().then(async () => {
      if (!live()) return;
      this.forget(c);
      await target.hangup('call_ended').catch(() => {});
      await this.publish('desk.consult_ended', c, 'call_ended');
    }).catch(fail);
    void agent.whenEnded().then(async () => {
      if (!live()) return;
      if (c.state !== 'ringing' && call.state !== 'ended' && target.state === 'answered') return this.handOver(c);
      this.forget(c);
      await target.hangup('agent_left').catch(() => {});
      await this.publish('desk.consult_ended', c, 'call_ended');
    }).catch(fail);
  }

  /** Bridges the customer with the target, then releases the agent; the two stay until either hangs up. */
  private async handOver(c: Live): Promise<void> {
    const { call, agent, target } = this.calls.get(c)!;
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

  private forget(c: Live): void {
    if (this.byCall.get(c.callId) === c) this.byCall.delete(c.callId);
    this.calls.delete(c);
  }

  private async publish(type: 'desk.consult_started' | 'desk.consult_connected' | 'desk.conference_started', c: Live): Promise<void>;
  private async publish(type: 'desk.consult_ended', c: Live, outcome: ConsultOutcome): Promise<void>;
  private async publish(type: string, c: Live, outcome?: ConsultOutcome): Promise<void> {
    await this.ctx.bus
      .publish({ tenantId: c.tenantId, type, data: outcome ? { ...strip(c), outcome } : strip(c) } as never)
      .catch((err) => this.ctx.log.warn({ err, type }, 'publishing a consult event failed'));
  }
}

const strip = ({ callId, consultCallId, agentId, to, targetName, state }: Consult): Consult => ({ callId, consultCallId, agentId, to, targetName, state });
