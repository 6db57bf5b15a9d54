import type { SuperviseMode, Supervision } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import type { Call } from '../calls/call.js';
import { conflict, notFound } from '../core/errors.js';
import { deskErrors as E } from './desk-errors.js';

/**
 * Supervisors on agents' calls. Monitor, whisper and barge ring the supervisor's own
 * phones (their softphone in the console, a desk phone); once answered, that call joins
 * the customer's bridge with the agent (the calls layer mixes who hears whom). Hanging
 * it up ends the supervision; so does either party hanging up.
 */
export class Supervisions {
  /** By the customer's call id: the supervisor's call while it rings or is on. */
  private readonly byCall = new Map<string, Supervision & { tenantId: string }>();

  constructor(private readonly ctx: AppContext) {}

  private telephony() {
    const tel = this.ctx.services.maybe('telephony');
    if (!tel) throw E.noTelephony();
    return tel;
  }

  /** The supervision of a call now, if any (the wallboard shows it). */
  of(tenantId: string, callId: string): Supervision | null {
    const s = this.byCall.get(callId);
    return s && s.tenantId === tenantId ? strip(s) : null;
  }

  /** Joins the supervisor to the customer's call in `mode`, or changes the mode when they are on it already. */
  async supervise(tenantId: string, supervisorId: string, callId: string, mode: SuperviseMode): Promise<Supervision> {
    const tel = this.telephony();
    const record = await tel.calls.get(tenantId, callId);
    if (!record) throw notFound('Call');
    if (record.state === 'ended') throw conflict('call_ended', 'The call has ended');
    const call = tel.manager.require(tenantId, callId);
    if (!call.bridgedTo) throw conflict('call_not_bridged', 'The call is not connected to an agent yet');
    const current = this.byCall.get(callId);
    if (current && current.supervisorId !== supervisorId) throw conflict('call_supervised', 'Another supervisor is on this call');
    if (current) {
      current.mode = mode;
      const on = tel.manager.get(tenantId, current.supervisorCallId);
      if (on && call.supervision?.supervisor === on) call.supervise(on, mode);
      await this.publishOn(current);
      return strip(current);
    }
    const mine = await tel.manager.originate(tenantId, {
      to: `user:${supervisorId}`,
      // The supervisor's own phones, rung at their request: not a dial out of the tenant.
      actor: { kind: 'admitted' },
      via: 'rest',
      from: 'supervise',
      fromName: `${MODE_NAMES[mode]}: ${record.from}`,
      timeoutSeconds: 30,
    });
    const s = { tenantId, callId, supervisorCallId: mine.id, supervisorId, mode };
    this.byCall.set(callId, s);
    void this.follow(call, mine, s);
    return strip(s);
  }

  /** Ends the supervisor's call on `callId` (theirs only). */
  async stop(tenantId: string, supervisorId: string, callId: string): Promise<void> {
    const s = this.byCall.get(callId);
    if (!s || s.tenantId !== tenantId || s.supervisorId !== supervisorId) throw E.notSupervising();
    await this.telephony().manager.get(tenantId, s.supervisorCallId)?.hangup('supervision_ended');
  }

  /** Puts the supervisor's call on the bridge once answered, and forgets it when it ends. */
  private async follow(call: Call, mine: Call, s: Supervision & { tenantId: string }): Promise<void> {
    const answered = new Promise<void>((resolve) => {
      if (mine.state === 'answered') return resolve();
      mine.leg.once('answered', () => resolve());
    });
    const ended = mine.whenEnded();
    try {
      if ((await Promise.race([answered.then(() => 'answered'), ended])) === 'answered') {
        if (call.state === 'ended' || !call.bridgedTo) {
          await mine.hangup('supervised_call_ended');
        } else {
          call.supervise(mine, s.mode);
          await this.publishOn(s);
        }
      }
    } catch (err) {
      this.ctx.log.warn({ err, callId: call.id }, 'joining the supervisor to the call failed');
      await mine.hangup('supervision_failed').catch(() => {});
    }
    await ended;
    if (this.byCall.get(s.callId) === s) this.byCall.delete(s.callId);
    await this.ctx.bus
      .publish({ tenantId: s.tenantId, type: 'desk.supervision_ended', data: { callId: s.callId, supervisorCallId: s.supervisorCallId, supervisorId: s.supervisorId } })
      .catch((err) => this.ctx.log.warn({ err }, 'publishing desk.supervision_ended failed'));
  }

  private async publishOn(s: Supervision & { tenantId: string }): Promise<void> {
    await this.ctx.bus.publish({ tenantId: s.tenantId, type: 'desk.supervising', data: strip(s) });
  }
}

const MODE_NAMES: Record<SuperviseMode, string> = { monitor: 'Listening in', whisper: 'Coaching', barge: 'Joining' };

const strip = ({ callId, supervisorCallId, supervisorId, mode }: Supervision): Supervision => ({ callId, supervisorCallId, supervisorId, mode });
