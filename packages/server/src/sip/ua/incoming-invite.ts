/**
 * An INVITE that creates a dialog, seen from the UAS (RFC 3261 13.3):
 * provisional responses, accept (200 OK retransmitted until ACK, 13.3.1.4),
 * reject, and CANCEL (9.2: 487 to the INVITE, 'cancel' event).
 */
import { newTag } from '../ids.js';
import { getCallId, getCSeq, getFrom, getTo, type SipResponse } from '../message.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import type { TimerHandle } from '../transaction/timer-wheel.js';
import { Dialog, uasRouteSet } from '../dialog/dialog.js';
import { formatSessionExpires, parseSessionExpires } from '../dialog/session-timer.js';
import { TypedEmitter } from '../dialog/typed-emitter.js';
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
}

export class IncomingInviteImpl extends TypedEmitter<IncomingInviteEvents> implements IncomingInvite {
  readonly source: FlowSource;
  cancelled = false;
  /** The unanswered-INVITE limit; cancelled by the first final response so nothing is retained. */
  expiry?: TimerHandle;
  private readonly toTag = newTag();
  private readonly inner: ServerRequest;

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
        if (res.status >= 200) this.expiry?.cancel();
        if (res.status > 100 && res.status < 300) {
          res.headers.append('Contact', stack.contact(tx.flow));
          res.headers.append('Allow', ALLOW);
          res.headers.append('Supported', SUPPORTED.join(', '));
        }
      },
    });
    this.source = this.inner.source;
  }

  get message() {
    return this.inner.message;
  }

  respond(status: number, opts?: Parameters<ServerRequest['respond']>[1]): void {
    this.inner.respond(status, opts);
  }

  progress(status: 180 | 183 = 180, opts: { sdp?: string; headers?: Record<string, string | string[]> } = {}): void {
    if (this.inner.finalSent) return;
    this.inner.respond(status, { headers: opts.headers, body: opts.sdp, contentType: opts.sdp ? 'application/sdp' : undefined });
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
            remoteSdp: req.body.length > 0 ? req.body.toString('utf8') : null,
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
