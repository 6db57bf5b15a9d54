/**
 * SipEndpoint: the user-agent API the calls layer uses. It binds the
 * transports, runs the transaction layer, routes requests to dialogs (12.2.2)
 * or to 'invite' / 'request' listeners, answers what nobody handles
 * (OPTIONS 200 with Allow, 11.2; unknown methods 501, known ones 405, 8.2.1),
 * and offers UAC operations: invite, request, register.
 */
import type { Logger } from '../../core/logger.js';
import { getCallId, getCSeq, getExpires, getFrom, getTo, type SipRequest, type SipResponse } from '../message.js';
import { validateRequest } from '../validate.js';
import { Dialog, dialogId } from '../dialog/dialog.js';
import { parseReplaces } from '../dialog/replaces.js';
import { TypedEmitter } from '../../core/typed-emitter.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import { TransactionLayer, type TransactionUser } from '../transaction/transaction-layer.js';
import type { SipTimers } from '../transaction/timers.js';
import type { Flow } from '../transport/flow.js';
import { TransportLayer } from '../transport/transport-layer.js';
import type { TransportStats } from '../transport/stats.js';
import { IncomingInviteImpl, sessionIntervalTooSmall, type IncomingInvite } from './incoming-invite.js';
import { ServerRequest, type IncomingRequest } from './incoming-request.js';
import { isIP } from 'node:net';
import { parseUri } from '../uri.js';
import { SipLocator } from '../transport/rfc3263.js';
import { FailoverInvite } from './failover-invite.js';
import { OutgoingInviteImpl, type InviteOptions, type OutgoingInvite } from './outgoing-invite.js';
import { Registration, type RegisterOptions } from './registration.js';
import { ALLOW, SipStack, SUPPORTED } from './stack.js';
import { MIN_SE } from '../dialog/session-timer.js';
import { buildUacRequest, sendUacRequest, type Credentials, type Party } from './uac-request.js';

export interface SipEndpointOptions {
  bindHost: string;
  /** UDP and TCP port; 0 = ephemeral (the same one for both). */
  port: number;
  tlsPort?: number;
  /** TLS server credentials; `ca`/`rejectUnauthorized` apply to connections we open. */
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer | Array<string | Buffer>; rejectUnauthorized?: boolean };
  wsPort?: number;
  /** SIP over secure WebSocket (needs `tls`). */
  wssPort?: number;
  /** Host for Via and Contact. */
  publicHost: string;
  log: Logger;
  userAgent?: string;
  timers?: Partial<SipTimers>;
  /** Idle connection lifetime (default 5 min) and message size cap (default 65535). */
  idleTimeoutMs?: number;
  maxMessageSize?: number;
  /** Stream transports: a message must arrive whole this long after its first byte (default 10 s). */
  messageTimeoutMs?: number;
  /** Inbound TCP/TLS/WS connections at most per address (default 100) and in total (default 10,000). */
  maxConnectionsPerAddress?: number;
  maxConnections?: number;
  /** An INVITE without Expires left unanswered this long gets 408 and a 'cancel' event (default 5 min). */
  unansweredInviteTimeoutMs?: number;
  /** Smallest session interval accepted (RFC 4028 Min-SE, default 90 s); others get 422. */
  minSessionExpires?: number;
  /** Open server transactions at most; beyond it new requests get 503 (default 100,000). */
  maxServerTransactions?: number;
  /** DNS servers (`host` or `host:port`) for RFC 3263 lookups of next hops; default the system's. */
  dnsServers?: string[];
  /** A server located by DNS that answers nothing (not even 100 Trying) this long is given up for the next (default 4 s). */
  failoverSilenceMs?: number;
}

/** The host of a SIP URI string (maddr wins), or null when it does not parse. */
function nextHopHost(uri: string): string | null {
  try {
    const u = parseUri(uri);
    if (u.kind !== 'sip') return null;
    return (u.params.get('maddr') ?? u.host).replace(/^\[(.*)\]$/, '$1');
  } catch {
    return null;
  }
}

export type SipEndpointEvents = {
  invite: (inv: IncomingInvite) => void;
  request: (req: IncomingRequest) => void;
};

export interface OutOfDialogRequestOptions {
  method: string;
  target: string;
  from?: Party;
  to?: Party;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  contentType?: string;
  auth?: Credentials;
  proxy?: string;
}

/** Methods we know but only handle when a listener does (405 rather than 501). */
const KNOWN = new Set(['REGISTER', 'MESSAGE', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'REFER', 'INFO', 'UPDATE', 'PRACK']);

/** Request-URIs taken: SIP and tel, and service URNs (RFC 5031), which an emergency service is called by; routing refuses the ones it has no number for. */
const URI_SCHEMES = ['sip', 'sips', 'tel', 'urn'];

export class SipEndpoint extends TypedEmitter<SipEndpointEvents> implements TransactionUser {
  private readonly dialogs = new Map<string, Dialog>();
  /** Early dialogs of INVITEs that sent a reliable provisional: where their PRACKs go, until the final response. */
  private readonly earlyDialogs = new Map<string, IncomingInviteImpl>();
  /** INVITEs a CANCEL may still match: until their final response. */
  private readonly pendingInvites = new WeakMap<ServerTransaction, IncomingInviteImpl>();
  private readonly registrations = new Set<Registration>();

  private readonly locator: SipLocator;

  private constructor(
    private readonly stack: SipStack,
    private readonly opts: SipEndpointOptions,
  ) {
    super();
    this.locator = new SipLocator({ servers: opts.dnsServers });
  }

  static async start(opts: SipEndpointOptions): Promise<SipEndpoint> {
    const transport = await TransportLayer.start({
      bindHost: opts.bindHost,
      port: opts.port,
      tlsPort: opts.tlsPort,
      tls: opts.tls,
      wsPort: opts.wsPort,
      wssPort: opts.wssPort,
      log: opts.log,
      idleTimeoutMs: opts.idleTimeoutMs,
      maxMessageSize: opts.maxMessageSize,
      messageTimeoutMs: opts.messageTimeoutMs,
      maxConnectionsPerAddress: opts.maxConnectionsPerAddress,
      maxConnections: opts.maxConnections,
    });
    const transactions = new TransactionLayer(transport, opts.log, opts.timers, opts.maxServerTransactions);
    const stack = new SipStack(transport, transactions, opts.publicHost, opts.userAgent ?? 'callsight', opts.log, opts.minSessionExpires ?? MIN_SE);
    const endpoint = new SipEndpoint(stack, opts);
    transactions.setUser(endpoint);
    return endpoint;
  }

  get ports(): { udp: number; tcp: number; tls?: number; ws?: number; wss?: number } {
    return this.stack.transport.ports;
  }

  get stats(): TransportStats & { dialogs: number; transactions: { server: number; client: number; overloaded: number } } {
    return { ...this.stack.transport.stats, dialogs: this.dialogs.size, transactions: this.stack.transactions.counts };
  }

  /** A dialog of ours by Call-ID and tags, e.g. to honour Replaces (RFC 3891 3). */
  findDialog(callId: string, localTag: string, remoteTag: string): Dialog | undefined {
    return this.dialogs.get(dialogId(callId, localTag, remoteTag));
  }

  private readonly dialogFactory = {
    create: (make: (onGone: (d: Dialog) => void) => Dialog): Dialog => {
      const d = make((gone) => {
        if (this.dialogs.get(gone.id) === gone) this.dialogs.delete(gone.id);
      });
      this.dialogs.set(d.id, d);
      return d;
    },
    early: (id: string, inv: IncomingInviteImpl): void => {
      this.earlyDialogs.set(id, inv);
      inv.onFinal(() => this.earlyDialogs.delete(id));
    },
  };

  // ---- TransactionUser ------------------------------------------------------------

  onRequest(tx: ServerTransaction): void {
    const req = tx.request;
    const plain = () => new ServerRequest(this.stack, tx);
    const verdict = validateRequest(req, { supported: SUPPORTED, uriSchemes: URI_SCHEMES });
    if (verdict) {
      const headers: Record<string, string> = {};
      for (const [n, v] of verdict.headers ?? []) headers[n] = v;
      plain().respond(verdict.status, { reason: verdict.reason, headers });
      return;
    }
    const toTag = getTo(req)?.tag;
    if (toTag !== undefined) {
      // 12.2.2: mid-dialog request.
      const id = dialogId(getCallId(req) ?? '', toTag, getFrom(req)?.tag ?? '');
      const dialog = this.dialogs.get(id);
      const early = req.method === 'PRACK' ? this.earlyDialogs.get(id) : undefined;
      if (dialog) dialog.receiveRequest(tx);
      else if (early) early.receivePrack(new ServerRequest(this.stack, tx, { toTag }));
      else plain().respond(481);
      return;
    }
    if (req.method === 'INVITE') return this.onInvite(tx);
    if (req.method === 'BYE') return plain().respond(481);
    const incoming = plain();
    if (this.listenerCount('request') > 0) {
      this.emit('request', incoming);
      return;
    }
    if (req.method === 'OPTIONS') incoming.respond(200, { headers: { Allow: ALLOW, Accept: 'application/sdp', Supported: SUPPORTED.join(', ') } });
    else if (KNOWN.has(req.method)) incoming.respond(405, { headers: { Allow: ALLOW } });
    else incoming.respond(501);
  }

  private onInvite(tx: ServerTransaction): void {
    const req = tx.request;
    if (sessionIntervalTooSmall(req, this.stack.minSE)) {
      new ServerRequest(this.stack, tx).respond(422, { headers: { 'Min-SE': String(this.stack.minSE) } });
      return;
    }
    const repHeader = req.headers.get('replaces');
    const replaces = repHeader ? parseReplaces(repHeader) : undefined;
    // RFC 3891 3: the Replaces to-tag is our local tag, from-tag the remote one.
    const replaced = replaces ? this.findDialog(replaces.callId, replaces.toTag, replaces.fromTag) : undefined;
    if (repHeader && !replaced) {
      new ServerRequest(this.stack, tx).respond(481);
      return;
    }
    const inv = new IncomingInviteImpl(this.stack, tx, this.dialogFactory, replaces, replaced);
    if (this.listenerCount('invite') === 0) {
      inv.reject(480);
      return;
    }
    this.pendingInvites.set(tx, inv);
    tx.onFinal = () => this.pendingInvites.delete(tx);
    // An INVITE nobody answers must not live forever: its Expires (13.3.1, 487), else our limit (408).
    let expires: number | undefined;
    try {
      expires = getExpires(req);
    } catch {
      expires = undefined;
    }
    const limitMs = expires !== undefined ? expires * 1000 : (this.opts.unansweredInviteTimeoutMs ?? 300_000);
    inv.expiry = this.stack.ctx.wheel.schedule(limitMs, () => inv.cancel(expires !== undefined ? 487 : 408));
    this.emit('invite', inv);
  }

  onCancel(invite: ServerTransaction): void {
    this.pendingInvites.get(invite)?.cancel();
    this.pendingInvites.delete(invite);
  }

  onAck(ack: SipRequest): void {
    const dialog = this.dialogs.get(dialogId(getCallId(ack) ?? '', getTo(ack)?.tag ?? '', getFrom(ack)?.tag ?? ''));
    dialog?.receiveAck(ack);
  }

  onStrayResponse(res: SipResponse, _flow: Flow): void {
    // A 2xx to INVITE after its transaction ended: ACK it again (13.2.2.4).
    const cseq = getCSeq(res);
    if (cseq?.method !== 'INVITE' || res.status < 200 || res.status >= 300) return;
    const dialog = this.dialogs.get(dialogId(getCallId(res) ?? '', getFrom(res)?.tag ?? '', getTo(res)?.tag ?? ''));
    dialog?.resendAck(cseq.seq);
  }

  // ---- UAC ------------------------------------------------------------------------

  /**
   * Sends an INVITE. A next hop (the proxy, else the target) named by a host name is
   * located through DNS (RFC 3263: NAPTR, SRV, A/AAAA) and its servers tried in order.
   */
  invite(opts: InviteOptions): OutgoingInvite {
    const hop = nextHopHost(opts.proxy ?? opts.target);
    if (!hop || isIP(hop) || hop === 'localhost' || hop.endsWith('.invalid')) return new OutgoingInviteImpl(this.stack, opts, this.dialogFactory);
    return new FailoverInvite(this.locator.locate(opts.proxy ?? opts.target), (proxy) => new OutgoingInviteImpl(this.stack, proxy ? { ...opts, proxy } : opts, this.dialogFactory), this.opts.failoverSilenceMs ?? 4000);
  }

  /** A non-INVITE request outside a dialog; resolves with the final response (any status). */
  async request(opts: OutOfDialogRequestOptions): Promise<SipResponse> {
    const from = opts.from ?? { uri: `sip:callsight@${this.opts.publicHost}` };
    const built = buildUacRequest(this.stack, { ...opts, method: opts.method.toUpperCase(), from });
    return (await sendUacRequest(this.stack, built, opts.auth)).response;
  }

  register(opts: RegisterOptions): Registration {
    const reg = new Registration(this.stack, opts);
    this.registrations.add(reg);
    reg.on('unregistered', () => this.registrations.delete(reg));
    reg.start();
    return reg;
  }

  /** Unregisters and hangs up; a peer that no longer answers delays shutdown by at most `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    const goodbyes = Promise.all([
      ...[...this.registrations].map((r) => r.unregister().catch(() => undefined)),
      ...[...this.dialogs.values()].map((d) => d.bye().catch(() => undefined)),
    ]);
    await Promise.race([goodbyes, new Promise((r) => setTimeout(r, graceMs).unref())]);
    this.stack.transactions.close();
    await this.stack.transport.close();
  }
}
