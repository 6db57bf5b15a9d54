/**
 * Client transactions (RFC 3261 17.1): the INVITE machine (17.1.1, with the
 * Accepted state of RFC 6026 7.2) and the non-INVITE machine (17.1.2).
 * Retransmissions (timers A and E) run only over unreliable flows; the
 * timeouts (B, F) run everywhere. Responses reach the TU via `onResponse`.
 */
import type { SipRequest, SipResponse } from '../message.js';
import { serializeMessage } from '../serializer.js';
import type { Flow } from '../transport/flow.js';
import { buildNon2xxAck } from './ack.js';
import type { ClientTransactionFailure, TransactionContext } from './context.js';
import type { TimerHandle } from './timer-wheel.js';

export interface ClientTransactionUser {
  onResponse(res: SipResponse): void;
  onFailure(reason: ClientTransactionFailure): void;
}

type State = 'calling' | 'trying' | 'proceeding' | 'accepted' | 'completed' | 'terminated';

export class ClientTransaction {
  readonly isInvite: boolean;
  state: State;
  private readonly wire: Buffer;
  private retransmit?: TimerHandle;
  private timeout?: TimerHandle;
  private ack?: Buffer;
  private interval: number;

  constructor(
    private readonly ctx: TransactionContext,
    readonly key: string,
    readonly request: SipRequest,
    readonly flow: Flow,
    private readonly user: ClientTransactionUser,
    private readonly onTerminated: (tx: ClientTransaction) => void,
  ) {
    this.isInvite = request.method === 'INVITE';
    this.state = this.isInvite ? 'calling' : 'trying';
    this.wire = serializeMessage(request);
    this.interval = ctx.timers.T1;
  }

  start(): void {
    this.flow.send(this.wire);
    const { T1 } = this.ctx.timers;
    if (!this.flow.reliable) this.retransmit = this.ctx.wheel.schedule(T1, () => this.onRetransmitTimer());
    // Timer B (INVITE) / F (non-INVITE): 64*T1 for a final response.
    this.timeout = this.ctx.wheel.schedule(64 * T1, () => this.fail('timeout'));
  }

  /** Timer A doubles without bound (17.1.1.2); timer E doubles up to T2, and stays at T2 once proceeding (17.1.2.2). */
  private onRetransmitTimer(): void {
    if (this.state !== 'calling' && this.state !== 'trying' && this.state !== 'proceeding') return;
    if (this.isInvite && this.state === 'proceeding') return;
    this.flow.send(this.wire);
    const { T2 } = this.ctx.timers;
    this.interval = this.isInvite ? this.interval * 2 : this.state === 'proceeding' ? T2 : Math.min(this.interval * 2, T2);
    this.retransmit = this.ctx.wheel.schedule(this.interval, () => this.onRetransmitTimer());
  }

  receive(res: SipResponse): void {
    const s = res.status;
    switch (this.state) {
      case 'calling':
      case 'trying':
      case 'proceeding':
        if (s < 200) {
          this.state = 'proceeding';
          if (this.isInvite) this.retransmit?.cancel();
          this.user.onResponse(res);
        } else if (this.isInvite && s < 300) {
          // RFC 6026 7.2: Accepted — 2xx retransmissions go to the TU (which ACKs them) for timer M = 64*T1.
          this.state = 'accepted';
          this.clearTimers();
          this.timeout = this.ctx.wheel.schedule(64 * this.ctx.timers.T1, () => this.terminate());
          this.user.onResponse(res);
        } else {
          this.state = 'completed';
          this.clearTimers();
          if (this.isInvite) {
            this.ack = serializeMessage(buildNon2xxAck(this.request, res));
            this.flow.send(this.ack);
          }
          this.user.onResponse(res);
          // Timer D (32 s, absorbs final-response retransmissions) / K (T4); zero on reliable flows.
          const linger = this.flow.reliable ? 0 : this.isInvite ? 64 * this.ctx.timers.T1 : this.ctx.timers.T4;
          if (linger === 0) this.terminate();
          else this.timeout = this.ctx.wheel.schedule(linger, () => this.terminate());
        }
        break;
      case 'accepted':
        if (s >= 200 && s < 300) this.user.onResponse(res);
        break;
      case 'completed':
        // A retransmitted non-2xx final: the ACK was lost, send it again (17.1.1.2).
        if (this.ack && s >= 300) this.flow.send(this.ack);
        break;
      default:
        break;
    }
  }

  private fail(reason: ClientTransactionFailure): void {
    if (this.state === 'terminated' || this.state === 'completed' || this.state === 'accepted') return;
    this.terminate();
    this.user.onFailure(reason);
  }

  private clearTimers(): void {
    this.retransmit?.cancel();
    this.timeout?.cancel();
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.clearTimers();
    this.onTerminated(this);
  }
}
