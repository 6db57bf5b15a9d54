/**
 * The transaction layer (RFC 3261 17): matches inbound messages to client and
 * server transactions, creates server transactions for new requests, answers
 * CANCEL (9.2) and hands the rest to the transaction user (the UA core).
 */
import type { Logger } from '../../core/logger.js';
import { getCSeq, getTo, type SipMessage, type SipRequest, type SipResponse } from '../message.js';
import { createResponse } from '../serializer.js';
import type { Flow } from '../transport/flow.js';
import type { TransportLayer } from '../transport/transport-layer.js';
import { ClientTransaction, type ClientTransactionUser } from './client-transaction.js';
import type { TransactionContext } from './context.js';
import { clientKey, serverKey } from './matching.js';
import { ServerTransaction } from './server-transaction.js';
import { TimerWheel } from './timer-wheel.js';
import { resolveTimers, type SipTimers } from './timers.js';

export interface TransactionUser {
  /** A new request (not ACK, not CANCEL) with its server transaction. */
  onRequest(tx: ServerTransaction): void;
  /** CANCEL matched a pending INVITE; 200 to the CANCEL is already sent (9.2). */
  onCancel(invite: ServerTransaction, cancel: SipRequest): void;
  /** An ACK that matched no transaction: the ACK for a 2xx (13.3.1.4, 17.2.3). */
  onAck(ack: SipRequest, flow: Flow): void;
  /** A response no client transaction wants: a retransmitted 2xx to INVITE (13.2.2.4). */
  onStrayResponse(res: SipResponse, flow: Flow): void;
}

/** Seconds a client is asked to wait (Retry-After) when the server-transaction limit is reached. */
const OVERLOAD_RETRY_AFTER_S = 5;
/**
 * In-dialog requests (BYE, re-INVITE) may use this much room above the limit, so a flood
 * of new requests cannot stop calls already up from being ended or refreshed.
 */
const IN_DIALOG_HEADROOM = 1.1;

export class TransactionLayer {
  readonly ctx: TransactionContext;
  private readonly servers = new Map<string, ServerTransaction>();
  private readonly clients = new Map<string, ClientTransaction>();
  private user?: TransactionUser;
  /** Requests answered 503 because `maxServers` transactions were open. */
  private overloaded = 0;

  constructor(
    transport: TransportLayer,
    log: Logger,
    timers?: Partial<SipTimers>,
    private readonly maxServers = 100_000,
  ) {
    this.ctx = { transport, wheel: new TimerWheel(10, 1024, (err) => log.error({ err }, 'sip: a timer callback threw')), timers: resolveTimers(timers), log };
    transport.onMessage((msg, flow) => this.receive(msg, flow));
  }

  setUser(user: TransactionUser): void {
    this.user = user;
  }

  get counts(): { server: number; client: number; overloaded: number } {
    return { server: this.servers.size, client: this.clients.size, overloaded: this.overloaded };
  }

  /**
   * Every open transaction holds memory for 32 s after its answer (timers H/J/L on UDP),
   * so an unbounded number lets a flood exhaust the heap. At the limit a new request is
   * answered 503 + Retry-After statelessly (RFC 3261 21.5.4; 8.2 allows stateless
   * answers): its retransmissions are answered alike, nothing is kept.
   */
  private atLimit(msg: SipRequest): boolean {
    if (this.servers.size < this.maxServers) return false;
    let inDialog = false;
    try {
      inDialog = getTo(msg)?.tag !== undefined;
    } catch {
      // A malformed To is not a dialog's: it gets no headroom.
    }
    const limit = inDialog ? this.maxServers * IN_DIALOG_HEADROOM : this.maxServers;
    return this.servers.size >= limit;
  }

  private receive(msg: SipMessage, flow: Flow): void {
    if (msg.kind === 'response') {
      const key = clientKey(msg);
      const tx = key ? this.clients.get(key) : undefined;
      if (tx) tx.receive(msg);
      else this.user?.onStrayResponse(msg, flow);
      return;
    }
    let key: string;
    try {
      key = serverKey(msg);
      getCSeq(msg);
    } catch {
      this.ctx.transport.stats.dropped++;
      return;
    }
    const existing = this.servers.get(key);
    if (existing) {
      // ACK for a 2xx carries a new branch, so a matching ACK is for a non-2xx final.
      existing.receiveRequest(msg);
      if (msg.method === 'ACK' && existing.state === 'accepted') this.user?.onAck(msg, flow);
      return;
    }
    if (msg.method === 'ACK') {
      this.user?.onAck(msg, flow);
      return;
    }
    if (this.atLimit(msg)) {
      this.overloaded++;
      const res = createResponse(msg, 503, 'Service Unavailable');
      res.headers.set('Retry-After', String(OVERLOAD_RETRY_AFTER_S));
      this.ctx.transport.sendResponse(res, flow);
      return;
    }
    const tx = new ServerTransaction(this.ctx, key, msg, flow, (t) => this.servers.delete(t.key));
    this.servers.set(key, tx);
    if (msg.method === 'CANCEL') {
      // 9.2: the CANCEL matches the INVITE with the same branch and sent-by.
      const invite = this.servers.get(serverKey(msg, 'INVITE'));
      if (!invite || invite.state === 'terminated') {
        tx.respond(createResponse(msg, 481, 'Call/Transaction Does Not Exist'));
        return;
      }
      tx.respond(createResponse(msg, 200));
      if (invite.state === 'proceeding') this.user?.onCancel(invite, msg);
      return;
    }
    if (!this.user) {
      tx.respond(createResponse(msg, 503));
      return;
    }
    this.user.onRequest(tx);
  }

  /** Starts a client transaction; the request must carry its Via (with a fresh branch) already. */
  sendRequest(request: SipRequest, flow: Flow, user: ClientTransactionUser): ClientTransaction {
    const key = clientKey(request) as string;
    const tx = new ClientTransaction(this.ctx, key, request, flow, user, (t) => {
      if (this.clients.get(t.key) === t) this.clients.delete(t.key);
    });
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  close(): void {
    for (const tx of [...this.servers.values()]) tx.terminate();
    for (const tx of [...this.clients.values()]) tx.terminate();
    this.ctx.wheel.stop();
  }
}
