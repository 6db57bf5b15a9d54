/** A request received by the UA, answered through its server transaction. */
import type { SipRequest, SipResponse } from '../message.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import { sourceOf, type FlowSource } from '../transport/flow.js';
import type { ResponseOptions, SipStack } from './stack.js';

export interface IncomingRequest {
  readonly message: SipRequest;
  readonly source: FlowSource;
  respond(status: number, opts?: ResponseOptions): void;
}

export interface ServerRequestHooks {
  /** To tag for every response (a dialog's local tag); otherwise one random tag per response. */
  toTag?: string;
  /** Called with each response before it is sent (adds Contact, tracks 2xx). */
  decorate?: (res: SipResponse) => void;
  /** Called after a final response is sent. */
  afterFinal?: (res: SipResponse) => void;
}

export class ServerRequest implements IncomingRequest {
  readonly source: FlowSource;
  private answered = false;

  /** Ours to keep: the transaction releases its request once answered. */
  readonly message: SipRequest;

  constructor(
    protected readonly stack: SipStack,
    readonly tx: ServerTransaction,
    protected readonly hooks: ServerRequestHooks = {},
  ) {
    this.source = sourceOf(tx.flow);
    this.message = tx.request;
  }

  /** True once a final response went out. */
  get finalSent(): boolean {
    return this.answered;
  }

  respond(status: number, opts: ResponseOptions = {}): void {
    this.respondWith(status, opts);
  }

  /** A reliable provisional response (RFC 3262): retransmitted until PRACKed; `onGiveUp` after 64*T1. */
  respondReliably(status: number, opts: ResponseOptions, onGiveUp: () => void): void {
    if (this.answered || status < 101 || status > 199) return;
    const res = this.stack.response(this.message, status, opts, this.hooks.toTag);
    this.hooks.decorate?.(res);
    this.tx.respondReliably(res, onGiveUp);
  }

  /** respond() with a last look at the response before it is sent. Returns it, or undefined if already answered. */
  respondWith(status: number, opts: ResponseOptions = {}, inspect?: (res: SipResponse) => void): SipResponse | undefined {
    if (this.answered) return undefined;
    const res = this.stack.response(this.message, status, opts, this.hooks.toTag);
    this.hooks.decorate?.(res);
    inspect?.(res);
    if (status >= 200) this.answered = true;
    this.tx.respond(res);
    if (status >= 200) this.hooks.afterFinal?.(res);
    return res;
  }
}
