/**
 * The pieces of the UA core that dialogs and the endpoint share: local
 * addressing (Via sent-by, Contact), choosing the flow for a request, running
 * a client transaction to its final response, and building responses.
 */
import type { Logger } from '../../core/logger.js';
import { newBranch } from '../ids.js';
import { getContacts, getVias, type SipRequest, type SipResponse } from '../message.js';
import { parseNameAddr } from '../name-addr.js';
import { createResponse, serializeMessage } from '../serializer.js';
import { parseUri, type Uri } from '../uri.js';
import type { ClientTransaction } from '../transaction/client-transaction.js';
import type { TransactionLayer } from '../transaction/transaction-layer.js';
import { destinationOf } from '../transport/destination.js';
import type { Flow } from '../transport/flow.js';
import type { TransportLayer } from '../transport/transport-layer.js';
import { SipFailure } from './failure.js';

export interface ResponseOptions {
  reason?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
  contentType?: string;
}

export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, INFO, UPDATE, REFER, NOTIFY, MESSAGE, REGISTER, SUBSCRIBE';
/** Option tags we implement: session timers (RFC 4028), Replaces (RFC 3891), no-refer-sub is not. */
/** Option tags we implement, as UAS and UAC (100rel: we send and PRACK reliable provisionals). */
export const SUPPORTED = ['timer', 'replaces', '100rel'];

/** The user part of our Contact when no dialled user names it (RFC 3261 allows none, but many phones need one). */
export const CONTACT_USER = 'callsight';
/** Unreserved user characters only (RFC 3261 25.1): anything else falls back to CONTACT_USER rather than being escaped. */
const SAFE_USER = /^[A-Za-z0-9\-_.!~*'()+&=$,]{1,64}$/;

export function applyHeaders(msg: SipRequest | SipResponse, headers?: Record<string, string | string[]>): void {
  if (!headers) return;
  for (const [name, value] of Object.entries(headers)) msg.headers.set(name, value);
}

export function applyBody(msg: SipRequest | SipResponse, body: string | Buffer | undefined, contentType: string | undefined): void {
  if (body === undefined) return;
  msg.body = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (contentType) msg.headers.set('Content-Type', contentType);
}

export interface SendHandlers {
  onProvisional?: (res: SipResponse) => void;
  /** A 2xx after the first one (retransmission or fork) for INVITE. */
  onExtra2xx?: (res: SipResponse) => void;
}

export class SipStack {
  /** Host used for Via/Contact on WebSocket flows we opened ourselves (RFC 7118 5.2: a .invalid name). */
  private readonly wsClientHost = `${newBranch().slice(7).toLowerCase().replace(/[^a-z0-9]/g, 'x')}.invalid`;

  constructor(
    readonly transport: TransportLayer,
    readonly transactions: TransactionLayer,
    readonly publicHost: string,
    readonly userAgent: string,
    readonly log: Logger,
    /** RFC 4028 Min-SE we enforce, seconds. */
    readonly minSE: number,
  ) {}

  get ctx() {
    return this.transactions.ctx;
  }

  /** sent-by for our Via / host:port for our Contact on this kind of flow. */
  sentBy(flow: Flow): string {
    const p = this.transport.ports;
    switch (flow.kind) {
      case 'udp':
        return `${this.publicHost}:${p.udp}`;
      case 'tcp':
        return `${this.publicHost}:${p.tcp}`;
      case 'tls':
        return `${this.publicHost}:${p.tls ?? p.tcp}`;
      case 'ws':
        return p.ws !== undefined ? `${this.publicHost}:${p.ws}` : this.wsClientHost;
    }
  }

  /** Our Contact on `flow`, always with a user part (the dialled user, else `callsight`) so phones that key on it route back. */
  contact(flow: Flow, user?: string): string {
    const t = flow.kind === 'udp' ? '' : `;transport=${flow.kind}`;
    return `<sip:${user && SAFE_USER.test(user) ? user : CONTACT_USER}@${this.sentBy(flow)}${t}>`;
  }

  /** A fresh top Via for a request sent on `flow` (RFC 3261 8.1.1.7, 18.1.1; rport per RFC 3581 3). */
  stampVia(req: SipRequest, flow: Flow): void {
    // set() keeps the position of a placeholder Via, so it stays the first header.
    req.headers.set('Via', `SIP/2.0/${flow.kind.toUpperCase()} ${this.sentBy(flow)};branch=${newBranch()};rport`);
  }

  /**
   * The flow for a request: an explicit outbound proxy, else the first Route
   * (loose routing, RFC 3261 8.1.2), else the Request-URI; a dialog's own
   * connection is reused when the target is reachable only through it (WS
   * clients, RFC 7118 5.3) or nothing better is known.
   */
  flowFor(target: Uri, opts: { proxy?: string; routes?: string[]; dialogFlow?: Flow } = {}): Flow {
    const next = opts.proxy ? parseUri(opts.proxy) : opts.routes?.length ? parseNameAddr(opts.routes[0], true).uri : target;
    if (opts.dialogFlow && !opts.dialogFlow.closed && opts.dialogFlow.reliable && !opts.proxy && !opts.routes?.length) return opts.dialogFlow;
    const dest = destinationOf(next);
    if (next.kind === 'sip' && next.host.endsWith('.invalid') && opts.dialogFlow) return opts.dialogFlow;
    return this.transport.flowTo(dest);
  }

  /**
   * Sends a request in a client transaction; resolves with the final response
   * (any status), rejects with SipFailure 408 (timeout) or 503 (transport).
   */
  send(req: SipRequest, flow: Flow, handlers: SendHandlers = {}, keepVia = false): { tx: ClientTransaction; final: Promise<SipResponse> } {
    // CANCEL reuses the INVITE's Via (same branch, RFC 3261 9.1); everything else gets a new one.
    if (!keepVia) this.stampVia(req, flow);
    if (!req.headers.has('user-agent')) req.headers.append('User-Agent', this.userAgent);
    let settled = false;
    let tx!: ClientTransaction;
    const final = new Promise<SipResponse>((resolve, reject) => {
      tx = this.transactions.sendRequest(req, flow, {
        onResponse: (res) => {
          if (res.status < 200) {
            if (!settled) handlers.onProvisional?.(res);
            return;
          }
          if (settled) {
            if (res.status < 300) handlers.onExtra2xx?.(res);
            return;
          }
          settled = true;
          resolve(res);
        },
        onFailure: (reason) => {
          if (settled) return;
          settled = true;
          reject(reason === 'timeout' ? new SipFailure(408, 'Request Timeout') : new SipFailure(503, 'Service Unavailable'));
        },
      });
    });
    return { tx, final };
  }

  /** Sends a request outside any transaction (ACK for 2xx, 13.2.2.4). Returns the wire form for resending. */
  sendStateless(req: SipRequest, flow: Flow): Buffer {
    this.stampVia(req, flow);
    const wire = serializeMessage(req);
    flow.send(wire);
    return wire;
  }

  /** Builds a response with our Server header, optional extra headers and body. */
  response(req: SipRequest, status: number, opts: ResponseOptions = {}, toTag?: string): SipResponse {
    const res = createResponse(req, status, opts.reason, toTag);
    if (status > 100) res.headers.append('Server', this.userAgent);
    applyHeaders(res, opts.headers);
    applyBody(res, opts.body, opts.contentType);
    return res;
  }

  /** Remote target from a message's first Contact, when usable (12.1.1, 12.1.2). */
  static contactUri(msg: SipRequest | SipResponse): Uri | undefined {
    try {
      const c = getContacts(msg);
      return c === '*' ? undefined : c[0]?.uri;
    } catch {
      return undefined;
    }
  }

  /** Where a request was sent from, for logs. */
  static topVia(msg: SipRequest | SipResponse): string | undefined {
    try {
      return getVias(msg)[0]?.toString();
    } catch {
      return undefined;
    }
  }
}
