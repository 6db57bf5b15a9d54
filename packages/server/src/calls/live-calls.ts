import type { AppContext } from '../app-context.js';
import type { Logger } from '../core/logger.js';
import { notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { Call } from './call.js';
import type { CallRepo } from './call-repo.js';
import { telephoneNumberOf } from './destinations.js';
import type { Leg } from './leg.js';
import type { MediaEngine } from './media-engine.js';
import type { NumberRepo } from './number-repo.js';

export interface NewCall {
  id?: string;
  tenantId: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  flowId: string | null;
  interactionId?: string;
}

/** This process's live calls: created here (record, interaction, `call.created`), forgotten when they end. */
export class LiveCalls {
  private readonly live = new Map<string, Call>();

  constructor(
    private readonly ctx: AppContext,
    private readonly deps: { calls: CallRepo; numbers: NumberRepo; media: MediaEngine },
  ) {}

  get(tenantId: string, callId: string): Call | undefined {
    const call = this.live.get(callId);
    return call && call.record.tenantId === tenantId ? call : undefined;
  }

  /** A live call of this process, or 404 (ended calls are history: read them from the store). */
  require(tenantId: string, callId: string): Call {
    const call = this.get(tenantId, callId);
    if (!call) throw notFound('Live call');
    return call;
  }

  get size(): number {
    return this.live.size;
  }

  async create(input: NewCall, leg: Leg): Promise<Call> {
    const interactionId =
      input.interactionId ??
      (
        await this.ctx.interactions.create({
          tenantId: input.tenantId,
          channel: 'voice',
          customerId: await this.customerOf(input.tenantId, [input.from, input.to]),
          subject: `Call ${input.from} → ${input.to}`,
        })
      ).id;
    const record = await this.deps.calls.create({
      id: input.id ?? newId('call'),
      tenantId: input.tenantId,
      interactionId,
      direction: input.direction,
      from: input.from,
      to: input.to,
      flowId: input.flowId,
    });
    const call = new Call(record, leg, this.ctx, this.deps.calls, this.deps.media, (c) => this.live.delete(c.id));
    this.live.set(call.id, call);
    try {
      await this.ctx.bus.publish({
        tenantId: input.tenantId,
        type: 'call.created',
        interactionId,
        data: { callId: call.id, direction: input.direction, from: input.from, to: input.to },
      });
      await call.catchUp();
    } catch (err) {
      // Nobody gets this call back: end it so its leg, ports and row are released.
      await call.hangup('failed').catch(() => {});
      throw err;
    }
    return call;
  }

  /**
   * The customer a new call is with (a customer's own number or app account at either
   * end), so its interaction has them and cards pushed during the call reach their app.
   */
  private async customerOf(tenantId: string, parties: string[]): Promise<string | null> {
    for (const party of parties) {
      const userId = party.startsWith('user:') ? party.slice(5) : (await this.deps.numbers.lookup(telephoneNumberOf(party) ?? party))?.userId;
      if (!userId) continue;
      const user = await this.ctx.users.get(tenantId, userId);
      if (user?.role === 'customer') return user.id;
    }
    return null;
  }

  /** Hangs up every live call; peers that stopped answering do not hold up shutdown. */
  async hangupAll(graceMs: number): Promise<void> {
    const hangups = Promise.all([...this.live.values()].map((c) => c.hangup('shutdown').catch(() => {})));
    await Promise.race([hangups, new Promise((r) => setTimeout(r, graceMs).unref())]);
  }
}

/** Last resort for a background step of a call that threw: log it and end the call, so nothing stays half set up. */
export function endFailedCall(log: Logger, call: Call, err: unknown, what: string): void {
  log.error({ err, callId: call.id }, what);
  if (call.state !== 'ended') call.hangup('failed').catch((e) => log.error({ err: e, callId: call.id }, 'hanging up a failed call failed'));
}
