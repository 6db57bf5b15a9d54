/**
 * An INVITE we send (RFC 3261 13.2): provisional events, the dialog on 2xx
 * (ACKed at once, 13.2.2.4), one Digest retry on 401/407, CANCEL (9.1: only
 * once a provisional arrived; requested earlier it is sent on the first 1xx),
 * and SipFailure for every non-2xx outcome.
 */
import { getCSeq, getFrom, getRequire, getTo, SIP_VERSION, SipHeaders, type SipRequest, type SipResponse } from '../message.js';
import type { ClientTransaction } from '../transaction/client-transaction.js';
import { Dialog, uacRouteSet } from '../dialog/dialog.js';
import { formatSessionExpires, parseSessionExpires } from '../dialog/session-timer.js';
import { TypedEmitter } from '../../core/typed-emitter.js';
import { SipFailure } from './failure.js';
import { SipStack, ALLOW, SUPPORTED } from './stack.js';
import { authorize, buildUacRequest, type BuiltRequest, type Credentials, type Party } from './uac-request.js';
import type { DialogFactory } from './incoming-invite.js';
import { buildMultipart, type BodyPart } from '../multipart.js';

export interface InviteOptions {
  target: string;
  from: Party;
  to?: Party;
  sdp: string;
  headers?: Record<string, string | string[]>;
  auth?: Credentials;
  /** Outbound proxy / trunk, e.g. sip:host:port;transport=tcp. */
  proxy?: string;
  /** Cancel if unanswered after this long. */
  timeoutMs?: number;
  /** Ask for RFC 4028 session timers with this interval (seconds, ≥ 90). */
  sessionExpires?: number;
  /** More body parts besides the SDP (a location object, data blocks): the INVITE then carries multipart/mixed with the SDP first. */
  bodyParts?: BodyPart[];
  /**
   * A final 4xx the caller may answer with a changed request: same Call-ID and From tag,
   * CSeq + 1 (RFC 3261 8.1.3.5), e.g. a 424 (RFC 6442 4.3) retried with less location.
   * Undefined: the rejection stands. Asked at most three times.
   */
  retry?: (res: SipResponse) => InviteRetry | undefined;
}

/** How a retried INVITE differs: headers set or removed (null), and its body parts besides the SDP. */
export interface InviteRetry {
  headers: Record<string, string | string[] | null>;
  bodyParts: BodyPart[];
}

export type OutgoingInviteEvents = {
  provisional: (res: SipResponse) => void;
  /** The first response of any kind (100 Trying included): the next hop is there (RFC 3263 failover stops looking). */
  heard: (res: SipResponse) => void;
};

export interface OutgoingInvite {
  on<K extends keyof OutgoingInviteEvents>(event: K, h: OutgoingInviteEvents[K]): this;
  readonly response: Promise<{ dialog: Dialog; response: SipResponse }>;
  cancel(): void;
}

export class OutgoingInviteImpl extends TypedEmitter<OutgoingInviteEvents> implements OutgoingInvite {
  readonly response: Promise<{ dialog: Dialog; response: SipResponse }>;
  private built: BuiltRequest;
  private tx?: ClientTransaction;
  private gotProvisional = false;
  /** Highest RSeq PRACKed, and the CSeq of the last PRACK (RFC 3262). */
  private prackedRseq: number | null = null;
  private prackSeq = 0;
  private cancelRequested = false;
  private cancelSent = false;
  private dialog?: Dialog;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly stack: SipStack,
    private readonly opts: InviteOptions,
    private readonly dialogs: DialogFactory,
  ) {
    super();
    const headers: Record<string, string | string[]> = { Allow: ALLOW, Supported: SUPPORTED.join(', ') };
    if (opts.sessionExpires) headers['Session-Expires'] = formatSessionExpires({ delta: opts.sessionExpires, refresher: 'uac' });
    const body = inviteBody(opts.sdp, opts.bodyParts);
    this.built = buildUacRequest(stack, {
      method: 'INVITE',
      target: opts.target,
      from: opts.from,
      to: opts.to,
      proxy: opts.proxy,
      headers: { ...headers, ...opts.headers },
      body: body.body,
      contentType: body.contentType,
      contactUser: userOf(opts.from.uri),
    });
    this.response = this.run();
    // Callers that only listen to events must not see an unhandled rejection.
    this.response.catch(() => undefined);
    if (opts.timeoutMs) this.timer = setTimeout(() => this.cancel(), opts.timeoutMs);
  }

  private async run(): Promise<{ dialog: Dialog; response: SipResponse }> {
    try {
      let res = await this.sendOnce();
      if (res.status === 422 && this.opts.sessionExpires && !this.cancelRequested) res = await this.retryWithMinSE(res);
      if ((res.status === 401 || res.status === 407) && this.opts.auth && !this.cancelRequested && authorize(this.built.req, res, this.opts.auth)) {
        this.built.cseq++;
        res = await this.sendOnce();
      }
      for (let n = 0; n < 3 && res.status >= 400 && res.status < 500 && !this.cancelRequested; n++) {
        const change = this.opts.retry?.(res);
        if (!change) break;
        this.amend(change);
        res = await this.sendOnce();
      }
      if (res.status >= 300) throw new SipFailure(res.status, res.reason, res);
      const dialog = this.createDialog(res);
      dialog.sendAck(this.built.cseq);
      if (this.cancelRequested) {
        // 2xx raced our CANCEL (9.1): the call was established anyway; ACK then BYE it.
        void dialog.bye();
        throw new SipFailure(487, 'Request Terminated', res);
      }
      return { dialog, response: res };
    } finally {
      if (this.timer) clearTimeout(this.timer);
    }
  }

  /** RFC 4028 6: after 422, retry with the peer's Min-SE as interval (and in a Min-SE header). */
  private async retryWithMinSE(res: SipResponse): Promise<SipResponse> {
    const min = Number((res.headers.get('min-se') ?? '').split(';')[0].trim());
    if (!Number.isInteger(min) || min <= 0 || min > 86_400) return res;
    const req = this.built.req;
    req.headers.set('Session-Expires', formatSessionExpires({ delta: min, refresher: 'uac' }));
    req.headers.set('Min-SE', String(min));
    req.headers.set('CSeq', `${++this.built.cseq} INVITE`);
    return this.sendOnce();
  }

  private amend(change: InviteRetry): void {
    const req = this.built.req;
    for (const [name, value] of Object.entries(change.headers)) {
      if (value === null) req.headers.remove(name);
      else req.headers.set(name, value);
    }
    const body = inviteBody(this.opts.sdp, change.bodyParts);
    req.body = typeof body.body === 'string' ? Buffer.from(body.body, 'utf8') : body.body;
    req.headers.set('Content-Type', body.contentType);
    req.headers.set('CSeq', `${++this.built.cseq} INVITE`);
  }

  private sendOnce(): Promise<SipResponse> {
    this.gotProvisional = false;
    const seq = this.built.cseq;
    const sent = this.stack.send(this.built.req, this.built.flow, {
      onProvisional: (res) => {
        this.emit('heard', res);
        if (res.status === 100) return;
        this.gotProvisional = true;
        if (getRequire(res).some((t) => t.toLowerCase() === '100rel')) this.prack(res);
        if (this.cancelRequested && !this.cancelSent) this.sendCancel();
        this.emit('provisional', res);
      },
      onExtra2xx: (res) => {
        // A retransmitted 2xx of our dialog: the ACK was lost. (Other forks' 2xx are ignored.)
        if (this.dialog && getTo(res)?.tag === this.dialog.remoteTag) this.dialog.resendAck(seq);
      },
    });
    this.tx = sent.tx;
    return sent.final;
  }

  /**
   * PRACK for a reliable provisional response (RFC 3262 4), in its early dialog. Its
   * retransmissions (same or lower RSeq) are not PRACKed again: the PRACK's own
   * transaction retransmits until answered.
   */
  private prack(res: SipResponse): void {
    const rseq = Number(res.headers.get('rseq'));
    const toTag = getTo(res)?.tag;
    if (!Number.isInteger(rseq) || rseq < 1 || !toTag || (this.prackedRseq !== null && rseq <= this.prackedRseq)) return;
    this.prackedRseq = rseq;
    const invite = this.built.req;
    const headers = new SipHeaders();
    headers.append('Max-Forwards', '70');
    for (const r of uacRouteSet(res)) headers.append('Route', r);
    headers.append('From', invite.headers.get('from') ?? '');
    headers.append('To', res.headers.get('to') ?? '');
    headers.append('Call-ID', invite.headers.get('call-id') ?? '');
    this.prackSeq = Math.max(this.prackSeq, this.built.cseq) + 1;
    headers.append('CSeq', `${this.prackSeq} PRACK`);
    headers.append('RAck', `${rseq} ${this.built.cseq} INVITE`);
    const prack: SipRequest = { kind: 'request', method: 'PRACK', uri: SipStack.contactUri(res) ?? invite.uri, version: SIP_VERSION, headers, body: Buffer.alloc(0) };
    this.stack.send(prack, this.built.flow).final.catch(() => undefined);
  }

  private createDialog(res: SipResponse): Dialog {
    const req = this.built.req;
    const se = parseSessionExpires(res.headers.get('session-expires'));
    const dialog = this.dialogs.create(
      (onGone) =>
        new Dialog(
          this.stack,
          {
            role: 'uac',
            callId: this.built.callId,
            localTag: this.built.fromTag,
            remoteTag: getTo(res)?.tag ?? '',
            localAddr: getFrom(req)!.toString(),
            remoteAddr: getTo(res)!.toString(),
            remoteTarget: SipStack.contactUri(res) ?? req.uri,
            routeSet: uacRouteSet(res),
            // Past any PRACK's CSeq: the dialog's next request must be numbered above it.
            localSeq: Math.max(getCSeq(req)?.seq ?? 1, this.prackSeq),
            localSdp: this.opts.sdp,
            remoteSdp: res.body.length > 0 ? res.body.toString('utf8') : null,
            flow: this.built.flow,
            session: se ? { interval: se.delta, weRefresh: (se.refresher ?? 'uac') === 'uac' } : undefined,
          },
          onGone,
        ),
    );
    this.dialog = dialog;
    return dialog;
  }

  /** CANCEL (9.1): same Request-URI, Call-ID, From, To, CSeq number, top Via and Route as the INVITE. */
  cancel(): void {
    if (this.cancelRequested) return;
    this.cancelRequested = true;
    if (this.gotProvisional) this.sendCancel();
  }

  private sendCancel(): void {
    const tx = this.tx;
    if (!tx || this.cancelSent || tx.state === 'completed' || tx.state === 'accepted' || tx.state === 'terminated') return;
    this.cancelSent = true;
    const invite = this.built.req;
    const headers = new SipHeaders();
    headers.append('Via', invite.headers.get('via') ?? '');
    headers.append('Max-Forwards', '70');
    for (const r of invite.headers.getAll('route')) headers.append('Route', r);
    for (const name of ['from', 'to', 'call-id']) headers.append(name, invite.headers.get(name) ?? '');
    headers.append('CSeq', `${this.built.cseq} CANCEL`);
    const cancel: SipRequest = { kind: 'request', method: 'CANCEL', uri: invite.uri, version: SIP_VERSION, headers, body: Buffer.alloc(0) };
    this.stack.send(cancel, this.built.flow, {}, true).final.catch(() => undefined);
  }
}

function userOf(uri: string): string | undefined {
  const m = /^sips?:([^@;?]+)@/i.exec(uri);
  return m?.[1];
}

/** The SDP alone, or multipart/mixed with the SDP first when there are more parts. */
function inviteBody(sdp: string, parts: BodyPart[] | undefined): { contentType: string; body: string | Buffer } {
  return parts?.length ? buildMultipart([{ contentType: 'application/sdp', body: sdp }, ...parts]) : { contentType: 'application/sdp', body: sdp };
}
