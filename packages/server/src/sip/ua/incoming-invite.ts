/**
 * An INVITE that creates a dialog, seen from the UAS (RFC 3261 13.3):
 * provisional responses, accept (200 OK retransmitted until ACK, 13.3.1.4),
 * reject, and CANCEL (9.2: 487 to the INVITE, 'cancel' event).
 */
import { sdpOf } from '../multipart.js';
import { newTag } from '../ids.js';
import { getCallId, getCSeq, getFrom, getRequire, getTo, type SipResponse } from '../message.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import type { TimerHandle } from '../transaction/timer-wheel.js';
import { Dialog, dialogId, uasRouteSet } from '../dialog/dialog.js';
import { formatSessionExpires, parseSessionExpires } from '../dialog/session-timer.js';
import { TypedEmitter } from '../../core/typed-emitter.js';
import type { ReplacesValue } from '../dialog/replaces.js';
import { SipFailure } from './failure.js';
import { ServerRequest, type IncomingRequest } from './incoming-request.js';
import { SipStack, ALLOW, SUPPORTED } from './stack.js';
import type { FlowSource } from '../transport/flow.js';

export type IncomingInviteEvents = {
  /** CANCEL arrived; 487 was already sent. */
  cancel: () => void;
};

export interface AnswerOptions {
  sdp: string;
  headers?: Record<string, string | string[]>;
}

export interface IncomingInvite extends IncomingRequest {
  /** Replaces header (RFC 3891) when this INVITE asks to take over an existing dialog. */
  readonly replaces?: ReplacesValue;
  /** That dialog, when it is one of ours (RFC 3891 3 matching). */
  readonly replacedDialog?: Dialog;
  readonly cancelled: boolean;
  progress(status?: 180 | 183, opts?: { sdp?: string; headers?: Record<string, string | string[]> }): void;
  accept(opts: AnswerOptions): Promise<Dialog>;
  reject(status: number, opts?: { reason?: string; headers?: Record<string, string | string[]> }): void;
  on<K extends keyof IncomingInviteEvents>(event: K, h: IncomingInviteEvents[K]): this;
}

export interface DialogFactory {
  create(d: (onGone: (d: Dialog) => void) => Dialog): Dialog;
  /** Routes PRACKs of this early dialog (id as `dialogId`) to the INVITE until its final response. */
  early(id: string, inv: IncomingInviteImpl): void;
}

/** RAck = response-num LWS CSeq-num LWS Method (RFC 3262 7.2). */
const RACK = /^\s*(\d{1,10})\s+(\d{1,10})\s+([A-Za-z]+)\s*$/;

export class IncomingInviteImpl extends TypedEmitter<IncomingInviteEvents> implements IncomingInvite {
  readonly source: FlowSource;
  cancelled = false;
  /** The unanswered-INVITE limit; cancelled by the first final response so nothing is retained. */
  expiry?: TimerHandle;
  private readonly toTag = newTag();
  private readonly inner: ServerRequest;
  /** The caller requires 100rel (RFC 3262): our 180/183 are sent reliably and PRACKed. */
  private readonly reliable: boolean;
  private rseq = Math.floor(Math.random() * 10_000) + 1;
  private finalListeners: (() => void)[] = [];
  /** The reliable provisional awaiting its PRACK, and who waits for it. */
  private unacked: { rseq: number; acked: Promise<boolean>; settle: (acked: boolean) => void } | null = null;

  constructor(
    private readonly stack: SipStack,
    private readonly tx: ServerTransaction,
    private readonly dialogs: DialogFactory,
    readonly replaces?: ReplacesValue,
    readonly replacedDialog?: Dialog,
  ) {
    super();
    this.inner = new ServerRequest(stack, tx, {
      toTag: this.toTag,
      decorate: (res) => {
        if (res.status >= 200) {
          this.expiry?.cancel();
          this.unacked?.settle(false);
          this.unacked = null;
          for (const f of this.finalListeners.splice(0)) f();
        }
        if (res.status > 100 && res.status < 300) {
          res.headers.append('Contact', stack.contact(tx.flow, tx.request.uri.kind === 'sip' ? tx.request.uri.user : undefined));
          res.headers.append('Allow', ALLOW);
          res.headers.append('Supported', SUPPORTED.join(', '));
        }
      },
    });
    this.source = this.inner.source;
    let required: string[] = [];
    try {
      required = getRequire(tx.request);
    } catch {
      // validated before: a malformed Require never gets here
    }
    this.reliable = required.some((t) => t.toLowerCase() === '100rel');
  }

  get message() {
    return this.inner.message;
  }

  respond(status: number, opts?: Parameters<ServerRequest['respond']>[1]): void {
    this.inner.respond(status, opts);
  }

  progress(status: 180 | 183 = 180, opts: { sdp?: string; headers?: Record<string, string | string[]> } = {}): void {
    if (this.inner.finalSent) return;
    const body = { body: opts.sdp, contentType: opts.sdp ? 'application/sdp' : undefined };
    if (!this.reliable) {
      this.inner.respond(status, { headers: opts.headers, ...body });
      return;
    }
    // RFC 3262 3: one reliable provisional at a time; the caller has already been told it rings.
    if (this.unacked) return;
    const rseq = ++this.rseq;
    let settle!: (acked: boolean) => void;
    const acked = new Promise<boolean>((r) => (settle = r));
    this.unacked = { rseq, acked, settle };
    this.dialogs.early(dialogId(getCallId(this.message) ?? '', this.toTag, getFrom(this.message)?.tag ?? ''), this);
    this.inner.respondReliably(status, { headers: { ...opts.headers, Require: '100rel', RSeq: String(rseq) }, ...body }, () => {
      // RFC 3262 3: no PRACK within 64*T1 — the caller cannot complete the call; reject it.
      settle(false);
      this.unacked = null;
      this.inner.respond(504, { reason: 'No PRACK' });
    });
  }

  /**
   * A PRACK in this early dialog (routed by the endpoint): 200 if its RAck names our
   * outstanding reliable provisional (RFC 3262 4), else 481.
   */
  /** Runs `f` once a final response has been sent. */
  onFinal(f: () => void): void {
    if (this.inner.finalSent) f();
    else this.finalListeners.push(f);
  }

  receivePrack(prack: IncomingRequest): void {
    const m = RACK.exec(prack.message.headers.get('rack') ?? '');
    const inviteSeq = getCSeq(this.message)?.seq;
    const u = this.unacked;
    if (!m || !u || Number(m[1]) !== u.rseq || Number(m[2]) !== inviteSeq || m[3].toUpperCase() !== 'INVITE') {
      prack.respond(481);
      return;
    }
    this.unacked = null;
    this.tx.provisionalAcknowledged();
    prack.respond(200);
    u.settle(true);
  }

  reject(status: number, opts: { reason?: string; headers?: Record<string, string | string[]> } = {}): void {
    if (status < 300) throw new SipFailure(500, `reject() needs a status >= 300, got ${status}`);
    this.inner.respond(status, opts);
  }

  /**
   * 200 OK with the answer. The dialog exists (and in-dialog requests are
   * routed to it) from this moment; the promise settles on the ACK, or
   * rejects after 64*T1 without one, in which case BYE is sent (13.3.1.4).
   */
  async accept(opts: AnswerOptions): Promise<Dialog> {
    if (this.cancelled) throw new SipFailure(487, 'Request Terminated');
    if (this.inner.finalSent) throw new SipFailure(500, 'INVITE already answered');
    // RFC 3262 3: no 2xx while a reliable provisional (which may carry SDP) is unacknowledged.
    if (this.unacked) {
      const acked = await this.unacked.acked;
      if (this.cancelled) throw new SipFailure(487, 'Request Terminated');
      if (!acked) throw new SipFailure(504, 'No PRACK');
      if (this.inner.finalSent) throw new SipFailure(500, 'INVITE already answered');
    }
    const req = this.inner.message;
    const headers: Record<string, string | string[]> = { ...opts.headers };
    // RFC 4028 9: honour the caller's session interval (and refresher, default uac so it refreshes).
    const se = parseSessionExpires(req.headers.get('session-expires'));
    let session: { interval: number; weRefresh: boolean } | undefined;
    if (se) {
      const refresher = se.refresher ?? 'uac';
      headers['Session-Expires'] = formatSessionExpires({ delta: se.delta, refresher });
      headers['Require'] = 'timer';
      session = { interval: se.delta, weRefresh: refresher === 'uas' };
    }
    const from = getFrom(req)!;
    const dialog = this.dialogs.create(
      (onGone) =>
        new Dialog(
          this.stack,
          {
            role: 'uas',
            callId: getCallId(req)!,
            localTag: this.toTag,
            remoteTag: from.tag ?? '',
            localAddr: getTo(req)!.toString(),
            remoteAddr: from.toString(),
            remoteTarget: SipStack.contactUri(req) ?? from.uri,
            routeSet: uasRouteSet(req),
            localSeq: Math.floor(Math.random() * 10_000) + 1,
            remoteSeq: getCSeq(req)?.seq,
            localSdp: opts.sdp,
            remoteSdp: req.body.length > 0 ? sdpOf(req.headers.get('content-type'), req.body).toString('utf8') || null : null,
            flow: this.tx.flow,
            session,
          },
          onGone,
        ),
    );
    const sent = this.inner.respondWith(200, { headers, body: opts.sdp, contentType: 'application/sdp' }) as SipResponse;
    try {
      await dialog.expectAck(getCSeq(req)?.seq ?? 0, sent, this.tx.flow);
    } catch (e) {
      if (dialog.state !== 'terminated') {
        void dialog.sendBye({ by: 'timeout', cause: 'no ACK for 2xx', status: 408 }, { Reason: 'SIP;cause=408;text="ACK timeout"' });
      }
      throw e instanceof SipFailure ? e : new SipFailure(408, 'No ACK for 2xx');
    }
    return dialog;
  }

  /**
   * Called by the endpoint when a CANCEL matched (9.2: 487), or when the
   * INVITE's Expires ran out (13.3.1: 487) or our own unanswered-INVITE limit
   * did (408). Either way the application hears 'cancel' and stops ringing.
   */
  cancel(status: 408 | 487 = 487): void {
    if (this.inner.finalSent || this.cancelled) return;
    this.cancelled = true;
    this.inner.respond(status);
    this.emit('cancel');
  }
}

/** Checks a new INVITE's Session-Expires against our Min-SE (RFC 4028 8.1): a 422 verdict or undefined. */
export function sessionIntervalTooSmall(req: ServerTransaction['request'], minSE: number): boolean {
  const se = parseSessionExpires(req.headers.get('session-expires'));
  return se !== undefined && se.delta < minSE;
}
