/**
 * Server transactions (RFC 3261 17.2): the INVITE machine (17.2.1, with the
 * Accepted state of RFC 6026 7.1) and the non-INVITE machine (17.2.2). They
 * absorb request retransmissions by resending the last response, retransmit
 * non-2xx INVITE finals until ACK (timer G/H), and linger (timers I/J) so late
 * retransmissions are still matched. 2xx retransmission is the UA core's job
 * (13.3.1.4), not the transaction's.
 */
import type { SipRequest, SipResponse } from '../message.js';
import { createResponse, serializeMessage } from '../serializer.js';
import type { Flow } from '../transport/flow.js';
import type { TransactionContext } from './context.js';
import type { TimerHandle } from './timer-wheel.js';

type State = 'trying' | 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';

export class ServerTransaction {
  readonly isInvite: boolean;
  state: State;
  /**
   * The request, until the final response: a lingering transaction (32 s on UDP) only
   * needs its key and the response's octets, and a flood keeps tens of thousands of them.
   */
  private req: SipRequest | null;
  private lastWire?: Buffer;
  private responseFlow?: Flow;
  private timer?: TimerHandle;
  private trying?: TimerHandle;
  /** Non-INVITE: answers 408 if the TU never responds, so the transaction cannot leak. */
  private guard?: TimerHandle;
  private retransmit?: TimerHandle;
  private interval = 0;
  /** Called when the INVITE gets an ACK (non-2xx) or timer H fires without one. */
  onAckTimeout?: () => void;
  /** Called once the final response is sent: whatever the TU kept for this request can go. */
  onFinal?: () => void;

  constructor(
    private readonly ctx: TransactionContext,
    readonly key: string,
    request: SipRequest,
    readonly flow: Flow,
    private readonly onTerminated: (tx: ServerTransaction) => void,
  ) {
    this.req = request;
    this.isInvite = request.method === 'INVITE';
    this.state = this.isInvite ? 'proceeding' : 'trying';
    // 17.2.1: a 100 Trying is due if the TU will not answer within 200 ms.
    if (this.isInvite) this.trying = ctx.wheel.schedule(200, () => this.sendTrying());
    else this.guard = ctx.wheel.schedule(64 * ctx.timers.T1, () => this.req && this.respond(createResponse(this.req, 408, 'Request Timeout')));
  }

  /** The request; the transaction user reads it before answering (keep your own reference beyond). */
  get request(): SipRequest {
    if (!this.req) throw new Error(`server transaction ${this.key} has answered: its request is released`);
    return this.req;
  }

  /** Sends 100 Trying at once (e.g. when the TU knows it will be slow). */
  sendTrying(): void {
    if (this.state === 'proceeding' && !this.lastWire && this.req) this.respond(createResponse(this.req, 100));
  }

  /** A retransmission of the request (or the ACK for a non-2xx final) matched this transaction. */
  receiveRequest(req: SipRequest): void {
    if (req.method === 'ACK') {
      if (this.state === 'completed') {
        this.state = 'confirmed';
        this.retransmit?.cancel();
        this.timer?.cancel();
        // Timer I: absorb ACK retransmissions for T4 on unreliable flows.
        if (this.flow.reliable) this.terminate();
        else this.timer = this.ctx.wheel.schedule(this.ctx.timers.T4, () => this.terminate());
      }
      return;
    }
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastWire) this.send(this.lastWire);
  }

  respond(res: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    this.trying?.cancel();
    const wire = serializeMessage(res);
    this.lastWire = wire;
    this.responseFlow ??= this.ctx.transport.responseFlow(res, this.flow);
    this.send(wire);
    const { T1, T2 } = this.ctx.timers;
    if (res.status < 200) {
      this.state = 'proceeding';
      return;
    }
    this.retransmit?.cancel();
    this.req = null;
    this.guard?.cancel();
    this.guard = undefined;
    this.trying = undefined;
    this.onFinal?.();
    this.onFinal = undefined;
    if (this.isInvite && res.status < 300) {
      // RFC 6026 7.1: Accepted — absorb INVITE retransmissions for timer L = 64*T1.
      this.state = 'accepted';
      this.timer = this.ctx.wheel.schedule(64 * T1, () => this.terminate());
    } else if (this.isInvite) {
      this.state = 'completed';
      if (!this.flow.reliable) {
        this.interval = T1;
        const g = () => {
          if (this.state !== 'completed') return;
          this.send(wire);
          this.interval = Math.min(this.interval * 2, T2);
          this.retransmit = this.ctx.wheel.schedule(this.interval, g);
        };
        this.retransmit = this.ctx.wheel.schedule(T1, g);
      }
      // Timer H: give up waiting for the ACK.
      this.timer = this.ctx.wheel.schedule(64 * T1, () => {
        if (this.state === 'completed') this.onAckTimeout?.();
        this.terminate();
      });
    } else {
      this.state = 'completed';
      // Timer J: 64*T1 on unreliable flows, zero otherwise.
      if (this.flow.reliable) this.terminate();
      else this.timer = this.ctx.wheel.schedule(64 * T1, () => this.terminate());
    }
  }

  /**
   * A reliable provisional response (RFC 3262 3): sent like any 1xx, then retransmitted
   * every T1, doubling, until `provisionalAcknowledged()` (its PRACK came) or a final
   * response; after 64*T1 without PRACK `onGiveUp` runs.
   */
  respondReliably(res: SipResponse, onGiveUp: () => void): void {
    this.respond(res);
    const wire = this.lastWire;
    const { T1 } = this.ctx.timers;
    const giveUpAt = performance.now() + 64 * T1;
    let interval = T1;
    // The last wait is cut short so the give-up comes at 64*T1, not at the next doubling.
    const next = () => (this.retransmit = this.ctx.wheel.schedule(Math.min(interval, Math.max(0, giveUpAt - performance.now())), again));
    const again = () => {
      if (this.state !== 'proceeding' || this.lastWire !== wire) return;
      if (performance.now() >= giveUpAt - 1) return onGiveUp();
      this.send(wire!);
      interval *= 2;
      next();
    };
    next();
  }

  /** The PRACK for the reliable provisional response arrived: stop retransmitting it. */
  provisionalAcknowledged(): void {
    if (this.state === 'proceeding') this.retransmit?.cancel();
  }

  private send(wire: Buffer): void {
    (this.responseFlow ?? this.flow).send(wire);
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.trying?.cancel();
    this.guard?.cancel();
    this.retransmit?.cancel();
    this.timer?.cancel();
    this.onTerminated(this);
  }
}
