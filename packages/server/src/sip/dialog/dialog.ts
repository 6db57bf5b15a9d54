/**
 * A confirmed INVITE dialog (RFC 3261 12) for either role: identity (Call-ID
 * and tags), route set (12.1.1 / 12.1.2), remote target and its refresh
 * (12.2), CSeq bookkeeping (12.2.1.1, 12.2.2), in-dialog requests, the ACK
 * for 2xx (13.2.2.4) and the UAS's 2xx retransmission until ACK (13.3.1.4),
 * glare (14.1, 491), and RFC 4028 session timers. Early dialogs are not kept:
 * provisional responses only surface as events.
 */
import { getCSeq, getRecordRoutes, SIP_VERSION, SipHeaders, type SipRequest, type SipResponse } from '../message.js';
import { parseNameAddr } from '../name-addr.js';
import { serializeMessage } from '../serializer.js';
import { serializeUri, type Uri } from '../uri.js';
import type { TimerHandle } from '../transaction/timer-wheel.js';
import type { Flow } from '../transport/flow.js';
import { SipFailure } from '../ua/failure.js';
import { ServerRequest, type IncomingRequest } from '../ua/incoming-request.js';
import { applyBody, applyHeaders, SipStack, SUPPORTED, ALLOW, type ResponseOptions } from '../ua/stack.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import { formatReferTo, sipfrag } from './refer.js';
import { formatSessionExpires, parseSessionExpires, SessionTimer } from './session-timer.js';
import { TypedEmitter } from '../../core/typed-emitter.js';

export interface TerminationInfo {
  by: 'local' | 'remote' | 'timeout' | 'error';
  cause: string;
  status?: number;
}

export type DialogEvents = {
  /** re-INVITE / UPDATE / INFO / REFER / NOTIFY / OPTIONS / MESSAGE inside the dialog; the listener responds. */
  request: (req: IncomingRequest) => void;
  terminated: (info: TerminationInfo) => void;
};

export interface RequestOptions {
  headers?: Record<string, string | string[]>;
  body?: string;
  contentType?: string;
}

export interface DialogInit {
  role: 'uac' | 'uas';
  callId: string;
  localTag: string;
  remoteTag: string;
  /** From/To name-addr without tag. */
  localAddr: string;
  remoteAddr: string;
  remoteTarget: Uri;
  routeSet: string[];
  localSeq: number;
  remoteSeq?: number;
  localSdp: string | null;
  remoteSdp: string | null;
  flow: Flow;
  /** Negotiated session interval in seconds and whether we refresh (RFC 4028 7.4, 9). */
  session?: { interval: number; weRefresh: boolean };
}

/** Methods whose request carries a Contact and refreshes the remote target (RFC 3261 12.2; RFC 3311 5.1; RFC 3515 2.1). */
const TARGET_REFRESH = new Set(['INVITE', 'UPDATE', 'REFER', 'SUBSCRIBE', 'NOTIFY']);

interface AckWaiter {
  resolve: () => void;
  reject: (e: Error) => void;
  retransmit?: TimerHandle;
  timeout: TimerHandle;
}

export const dialogId = (callId: string, localTag: string, remoteTag: string) => `${callId};${localTag};${remoteTag}`;

const bareAddr = (raw: string): string => {
  const na = parseNameAddr(raw);
  na.tag = undefined;
  return na.toString();
};

export class Dialog extends TypedEmitter<DialogEvents> {
  readonly id: string;
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  readonly role: 'uac' | 'uas';
  remoteSdp: string | null;
  localSdp: string | null;
  private current: 'confirmed' | 'terminated' = 'confirmed';
  /** 'terminated' once BYE went either way or the dialog timed out; changed only by the dialog itself. */
  get state(): 'confirmed' | 'terminated' {
    return this.current;
  }
  /** True once terminated: nothing more is sent or accepted in it. */
  get closed(): boolean {
    return this.current === 'terminated';
  }
  private readonly localAddr: string;
  /** Our Contact's user part: the user of our own address in this dialog. */
  private get contactUser(): string | undefined {
    try {
      const uri = parseNameAddr(this.localAddr).uri;
      return uri.kind === 'sip' ? uri.user : undefined;
    } catch {
      return undefined;
    }
  }
  private readonly remoteAddr: string;
  private remoteTarget: Uri;
  private readonly routeSet: string[];
  private localSeq: number;
  private remoteSeq: number | undefined;
  private flow: Flow;
  private readonly ackWaiters = new Map<number, AckWaiter>();
  private lastAck?: { seq: number; wire: Buffer; flow: Flow };
  /** An INVITE transaction in progress, ours or theirs (RFC 3261 14.1 glare). */
  private inviteOutstanding: 'local' | 'remote' | undefined;
  private sessionTimer?: SessionTimer;
  private session?: { interval: number; weRefresh: boolean };

  constructor(
    private readonly stack: SipStack,
    init: DialogInit,
    private readonly onGone: (d: Dialog) => void,
  ) {
    super();
    this.role = init.role;
    this.callId = init.callId;
    this.localTag = init.localTag;
    this.remoteTag = init.remoteTag;
    this.id = dialogId(init.callId, init.localTag, init.remoteTag);
    this.localAddr = bareAddr(init.localAddr);
    this.remoteAddr = bareAddr(init.remoteAddr);
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.localSdp = init.localSdp;
    this.remoteSdp = init.remoteSdp;
    this.flow = init.flow;
    if (init.session) this.startSessionTimer(init.session);
  }

  get localUri(): string {
    return serializeUri(parseNameAddr(this.localAddr).uri);
  }

  get remoteUri(): string {
    return serializeUri(parseNameAddr(this.remoteAddr).uri);
  }

  /** Current remote target (Contact of the peer). */
  get target(): string {
    return serializeUri(this.remoteTarget);
  }

  /** The session interval in force (RFC 4028), if any. */
  get sessionInterval(): number | undefined {
    return this.session?.interval;
  }

  // ---- sending ----------------------------------------------------------------

  /** Builds an in-dialog request (RFC 3261 12.2.1.1). */
  private build(method: string, opts: RequestOptions, seq?: number): { req: SipRequest; flow: Flow } {
    const headers = new SipHeaders();
    headers.append('Via', '');
    headers.append('Max-Forwards', '70');
    for (const r of this.routeSet) headers.append('Route', r);
    headers.append('From', `${this.localAddr};tag=${this.localTag}`);
    headers.append('To', `${this.remoteAddr};tag=${this.remoteTag}`);
    headers.append('Call-ID', this.callId);
    headers.append('CSeq', `${seq ?? ++this.localSeq} ${method}`);
    const req: SipRequest = { kind: 'request', method, uri: this.remoteTarget, version: SIP_VERSION, headers, body: Buffer.alloc(0) };
    const flow = this.stack.flowFor(this.remoteTarget, { routes: this.routeSet, dialogFlow: this.flow });
    if (TARGET_REFRESH.has(method)) headers.append('Contact', this.stack.contact(flow, this.contactUser));
    if (method === 'INVITE' || method === 'UPDATE') {
      headers.append('Allow', ALLOW);
      headers.append('Supported', SUPPORTED.join(', '));
    }
    applyHeaders(req, opts.headers);
    applyBody(req, opts.body, opts.contentType);
    return { req, flow };
  }

  /**
   * Sends a request in the dialog and resolves with its final response (any
   * status). Rejects with SipFailure 408/503 on timeout or transport failure;
   * a 481 or 408 ends the dialog (RFC 3261 12.2.1.2).
   */
  async request(method: string, opts: RequestOptions = {}): Promise<SipResponse> {
    const m = method.toUpperCase();
    if (this.state === 'terminated') throw new SipFailure(481, 'Call/Transaction Does Not Exist');
    if (m === 'BYE') {
      const res = await this.sendBye({ by: 'local', cause: 'BYE sent' }, opts.headers);
      if (!res) throw new SipFailure(408, 'No response to BYE');
      return res;
    }
    if (m === 'INVITE') {
      if (this.inviteOutstanding) throw new SipFailure(491, 'Request Pending');
      this.inviteOutstanding = 'local';
    }
    const { req, flow } = this.build(m, opts);
    if ((m === 'INVITE' || m === 'UPDATE') && this.session) {
      // A refresh keeps the interval and names us refresher if we are (RFC 4028 7.4).
      req.headers.set('Session-Expires', formatSessionExpires({ delta: this.session.interval, refresher: this.session.weRefresh ? 'uac' : 'uas' }));
    }
    const seq = this.localSeq;
    const { final } = this.stack.send(req, flow, { onExtra2xx: () => this.resendAck(seq) });
    let res: SipResponse;
    try {
      res = await final;
    } catch (e) {
      if (m === 'INVITE') this.inviteOutstanding = undefined;
      if (e instanceof SipFailure && e.status === 408) this.terminate({ by: 'timeout', cause: `${m} timed out`, status: 408 });
      throw e;
    } 
    if (m === 'INVITE') {
      this.inviteOutstanding = undefined;
      if (res.status >= 200 && res.status < 300) this.sendAck(seq);
    }
    if (res.status >= 200 && res.status < 300) {
      if (TARGET_REFRESH.has(m)) this.refreshTarget(res);
      if ((m === 'INVITE' || m === 'UPDATE') && opts.body !== undefined) {
        this.localSdp = opts.body;
        if (res.body.length > 0) this.remoteSdp = res.body.toString('utf8');
      }
      if ((m === 'INVITE' || m === 'UPDATE') && this.session) this.applySessionResponse(res);
    } else if (res.status === 481 || res.status === 408) {
      this.terminate({ by: 'error', cause: `${m} answered ${res.status}`, status: res.status });
    }
    return res;
  }

  reinvite(sdp: string, headers?: Record<string, string | string[]>): Promise<SipResponse> {
    return this.request('INVITE', { body: sdp, contentType: 'application/sdp', headers });
  }

  update(sdp: string): Promise<SipResponse> {
    return this.request('UPDATE', { body: sdp, contentType: 'application/sdp' });
  }

  info(contentType: string, body: string): Promise<SipResponse> {
    return this.request('INFO', { body, contentType });
  }

  /**
   * REFER (RFC 3515) to `target`; with `replaces`, the Refer-To carries a
   * Replaces for that other dialog (attended transfer, RFC 5589 7): the tags
   * are as the transfer target sees them (its local tag is our remote tag).
   */
  refer(target: string, opts: { replaces?: Dialog; headers?: Record<string, string | string[]> } = {}): Promise<SipResponse> {
    const r = opts.replaces;
    const referTo = formatReferTo(target, r ? { callId: r.callId, toTag: r.remoteTag, fromTag: r.localTag, earlyOnly: false } : undefined);
    return this.request('REFER', { headers: { 'Refer-To': referTo, 'Referred-By': `<${this.localUri}>`, ...opts.headers } });
  }

  /**
   * Reports the progress of a REFER we accepted (RFC 3515 2.4.4): NOTIFY with
   * a message/sipfrag status line; a final status ends the implicit subscription.
   */
  notifyRefer(status: number, reason: string): Promise<SipResponse> {
    const final = status >= 200;
    return this.request('NOTIFY', {
      headers: { Event: 'refer', 'Subscription-State': final ? 'terminated;reason=noresource' : 'active;expires=60' },
      body: sipfrag(status, reason),
      contentType: 'message/sipfrag;version=2.0',
    });
  }

  /** Ends the dialog with BYE (15.1.1); resolves once answered or timed out, never rejects. */
  async bye(headers?: Record<string, string | string[]>): Promise<void> {
    await this.sendBye({ by: 'local', cause: 'BYE sent' }, headers);
  }

  /**
   * Ends the dialog with BYE, reporting `info` in 'terminated': at once (15.1.1: no
   * requests are accepted after BYE is sent), then awaits the answer. Never rejects,
   * so it may run in the background of a timer or a lost ACK: whatever fails on the
   * way (the flow is gone, the peer never answers), the dialog ends on our side.
   */
  async sendBye(info: TerminationInfo, headers?: Record<string, string | string[]>): Promise<SipResponse | undefined> {
    if (this.state === 'terminated') return undefined;
    let sent: Promise<SipResponse> | undefined;
    try {
      const { req, flow } = this.build('BYE', { headers });
      this.terminate(info);
      sent = this.stack.send(req, flow).final;
    } catch (err) {
      this.stack.log.warn({ err, callId: this.callId }, 'sip: BYE could not be sent; dialog ended here');
      this.terminate(info);
      return undefined;
    }
    // No answer to BYE: the dialog is gone on our side anyway.
    return sent.catch(() => undefined);
  }

  /** ACK for a 2xx to INVITE with CSeq `seq` (13.2.2.4): a new transaction-less request, retained for 2xx retransmissions. */
  sendAck(seq: number, body?: string): void {
    const { req, flow } = this.build('ACK', { body, contentType: body ? 'application/sdp' : undefined }, seq);
    this.lastAck = { seq, wire: this.stack.sendStateless(req, flow), flow };
  }

  /** A retransmitted 2xx (our ACK was lost, or arrived after the transaction): ACK again. */
  resendAck(seq: number): void {
    if (this.lastAck?.seq === seq) this.lastAck.flow.send(this.lastAck.wire);
  }

  // ---- receiving ------------------------------------------------------------------

  /** A request inside this dialog arrived in server transaction `tx` (RFC 3261 12.2.2). */
  receiveRequest(tx: ServerTransaction): void {
    const req = tx.request;
    const seq = getCSeq(req)?.seq ?? 0;
    const make = (hooks = {}) => new ServerRequest(this.stack, tx, { toTag: this.localTag, ...hooks });
    if (this.state === 'terminated') return make().respond(481);
    // 12.2.2: an out-of-order CSeq is answered 500.
    if (this.remoteSeq !== undefined && seq <= this.remoteSeq) return make().respond(500, { reason: 'Out of Order CSeq', headers: { 'Retry-After': '1' } });
    this.remoteSeq = seq;
    this.flow = tx.flow.closed ? this.flow : tx.flow;
    const method = req.method;
    if (method === 'BYE') {
      make().respond(200);
      this.terminate({ by: 'remote', cause: 'BYE received' });
      return;
    }
    if (method === 'INVITE') {
      // 14.2: glare with our own re-INVITE → 491; an INVITE while theirs is pending → 500 + Retry-After.
      if (this.inviteOutstanding === 'local') return make().respond(491);
      if (this.inviteOutstanding === 'remote') return make().respond(500, { headers: { 'Retry-After': '2' } });
      this.inviteOutstanding = 'remote';
    }
    const se = parseSessionExpires(req.headers.get('session-expires'));
    if ((method === 'INVITE' || method === 'UPDATE') && se && se.delta < this.stack.minSE) {
      if (method === 'INVITE') this.inviteOutstanding = undefined;
      return make().respond(422, { headers: { 'Min-SE': String(this.stack.minSE) } });
    }
    const incoming = make({
      decorate: (res: SipResponse) => this.decorateResponse(req, res, tx.flow, se?.refresher),
      afterFinal: (res: SipResponse) => this.afterResponse(req, res, tx.flow, seq),
    });
    if (this.listenerCount('request') > 0) {
      this.emit('request', incoming);
      return;
    }
    // A request may arrive in the same read as the ACK that resolved accept(), before the
    // application could attach its listener: give it one turn of the event loop.
    setImmediate(() => {
      if (this.listenerCount('request') > 0) this.emit('request', incoming);
      else this.defaultAnswer(incoming, req);
    });
  }

  /** No listener: sensible defaults so a peer is never left waiting. */
  private defaultAnswer(incoming: ServerRequest, req: SipRequest): void {
    const method = req.method;
    if (method === 'INVITE' || method === 'UPDATE') {
      if (req.body.length === 0 && this.localSdp) incoming.respond(200, { body: this.localSdp, contentType: 'application/sdp' });
      else if (req.body.length === 0) incoming.respond(200);
      else incoming.respond(488);
    } else if (method === 'REFER') incoming.respond(603);
    else incoming.respond(200);
  }

  private decorateResponse(req: SipRequest, res: SipResponse, flow: Flow, refresher?: 'uac' | 'uas'): void {
    if (!TARGET_REFRESH.has(req.method) || res.status >= 300) return;
    if (res.status > 100 && !res.headers.has('contact')) res.headers.append('Contact', this.stack.contact(flow, this.contactUser));
    if (res.status >= 200 && (req.method === 'INVITE' || req.method === 'UPDATE') && this.session) {
      // RFC 4028 9: echo the interval; the requester's refresher choice wins, else keep the current refresher.
      const who = refresher ?? (this.session.weRefresh ? 'uas' : 'uac');
      res.headers.set('Session-Expires', formatSessionExpires({ delta: this.session.interval, refresher: who }));
      res.headers.set('Require', 'timer');
    }
  }

  private afterResponse(req: SipRequest, res: SipResponse, flow: Flow, seq: number): void {
    const method = req.method;
    if (method === 'INVITE') this.inviteOutstanding = undefined;
    if (res.status < 200 || res.status >= 300) return;
    if (TARGET_REFRESH.has(method)) this.refreshTarget(req);
    if ((method === 'INVITE' || method === 'UPDATE') && req.body.length > 0) {
      this.remoteSdp = req.body.toString('utf8');
      if (res.body.length > 0) this.localSdp = res.body.toString('utf8');
    }
    if ((method === 'INVITE' || method === 'UPDATE') && this.session) {
      const se = parseSessionExpires(res.headers.get('session-expires'));
      if (se) this.startSessionTimer({ interval: se.delta, weRefresh: se.refresher === 'uas' });
    }
    if (method === 'INVITE') {
      this.expectAck(seq, res, flow).catch(() => {
        void this.sendBye({ by: 'timeout', cause: 'no ACK for 2xx', status: 408 }, { Reason: 'SIP;cause=408;text="ACK timeout"' });
      });
    }
  }

  /** An ACK for a 2xx we sent (13.3.1.4). A body in it is the answer to a late offer. */
  receiveAck(ack: SipRequest): void {
    const seq = getCSeq(ack)?.seq ?? -1;
    const waiter = this.ackWaiters.get(seq);
    if (!waiter) return;
    if (ack.body.length > 0) this.remoteSdp = ack.body.toString('utf8');
    this.clearWaiter(seq, waiter);
    waiter.resolve();
  }

  /**
   * UAS side of 13.3.1.4: retransmit the 2xx (T1 doubling to T2, unreliable
   * flows only) until the ACK; reject after 64*T1 without one.
   */
  expectAck(seq: number, res: SipResponse, flow: Flow): Promise<void> {
    const { T1, T2 } = this.stack.ctx.timers;
    const wheel = this.stack.ctx.wheel;
    return new Promise<void>((resolve, reject) => {
      const waiter: AckWaiter = {
        resolve,
        reject,
        timeout: wheel.schedule(64 * T1, () => {
          this.clearWaiter(seq, waiter);
          reject(new SipFailure(408, 'No ACK for 2xx'));
        }),
      };
      this.ackWaiters.set(seq, waiter);
      if (!flow.reliable) {
        const wire = serializeMessage(res);
        const target = this.stack.transport.responseFlow(res, flow);
        let interval = T1;
        const tick = () => {
          if (!this.ackWaiters.has(seq)) return;
          target.send(wire);
          interval = Math.min(interval * 2, T2);
          waiter.retransmit = wheel.schedule(interval, tick);
        };
        waiter.retransmit = wheel.schedule(T1, tick);
      }
    });
  }

  private clearWaiter(seq: number, waiter: AckWaiter): void {
    waiter.retransmit?.cancel();
    waiter.timeout.cancel();
    this.ackWaiters.delete(seq);
  }

  private refreshTarget(msg: SipRequest | SipResponse): void {
    const uri = SipStack.contactUri(msg);
    if (uri) this.remoteTarget = uri;
  }

  // ---- session timers (RFC 4028) ------------------------------------------------

  private applySessionResponse(res: SipResponse): void {
    const se = parseSessionExpires(res.headers.get('session-expires'));
    // The answer to a refresh names the refresher relative to our request: 'uac' means us.
    if (se) this.startSessionTimer({ interval: se.delta, weRefresh: se.refresher === 'uac' });
  }

  private startSessionTimer(session: { interval: number; weRefresh: boolean }): void {
    this.session = session;
    this.sessionTimer ??= new SessionTimer(
      this.stack.ctx.wheel,
      // Both end in a BYE when anything fails, and sendBye never rejects.
      () => void this.refreshSession(),
      () => void this.expireSession(),
    );
    this.sessionTimer.arm(session.interval, session.weRefresh);
  }

  private async refreshSession(): Promise<void> {
    if (this.state === 'terminated') return;
    try {
      // A refresh re-INVITE offers the unchanged session (RFC 4028 10: same SDP, no new o= version needed).
      const res = this.localSdp ? await this.reinvite(this.localSdp) : await this.request('UPDATE');
      if (res.status >= 300 && res.status !== 491) await this.expireSession();
      else if (res.status === 491 && this.session) this.sessionTimer?.arm(this.session.interval / 4, true);
    } catch {
      await this.expireSession();
    }
  }

  private async expireSession(): Promise<void> {
    await this.sendBye({ by: 'timeout', cause: 'session timer expired' }, { Reason: 'SIP;cause=408;text="Session timer expired"' });
  }

  // ---- end ------------------------------------------------------------------------

  terminate(info: TerminationInfo): void {
    if (this.current === 'terminated') return;
    this.current = 'terminated';
    this.sessionTimer?.stop();
    for (const [seq, w] of this.ackWaiters) {
      this.clearWaiter(seq, w);
      w.reject(new SipFailure(481, 'Dialog terminated'));
    }
    this.onGone(this);
    // Whatever a listener does, the dialog is gone and the transaction layer goes on.
    this.safeEmit('terminated', info);
  }
}

/** Route set of a UAC dialog: Record-Route of the 2xx in reverse order (12.1.2). */
export function uacRouteSet(res: SipResponse): string[] {
  try {
    return getRecordRoutes(res).map(String).reverse();
  } catch {
    return [];
  }
}

/** Route set of a UAS dialog: Record-Route of the request in order (12.1.1). */
export function uasRouteSet(req: SipRequest): string[] {
  try {
    return getRecordRoutes(req).map(String);
  } catch {
    return [];
  }
}

export type { ResponseOptions };
