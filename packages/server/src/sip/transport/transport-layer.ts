/**
 * The SIP transport layer (RFC 3261 18): owns the UDP, TCP, TLS and WebSocket
 * sockets, parses what arrives, stamps Via received/rport on requests (18.2.1,
 * RFC 3581 4), routes responses back per 18.2.2, and reuses connections both
 * for responses and for new requests to the same address (18.1.1, 18.2.2).
 * Malformed input never throws out of here: answerable requests get a 400,
 * oversized ones a 513, everything else is dropped and counted. Inbound stream
 * connections are capped per source address and in total, and a message must
 * arrive whole in `messageTimeoutMs` (slowloris).
 */
import { isStun, stunBindingResponse } from './stun-keepalive.js';
import net from 'node:net';
import tls from 'node:tls';
import type { IncomingMessage } from 'node:http';
import type https from 'node:https';
import WebSocket, { type WebSocketServer } from 'ws';
import type { Logger } from '../../core/logger.js';
import { SipParseError } from '../errors.js';
import { getVias, type SipMessage, type SipRequest, type SipResponse } from '../message.js';
import { parseMessage } from '../parser.js';
import { createResponse, serializeMessage } from '../serializer.js';
import { validateResponse } from '../validate.js';
import type { Destination } from './destination.js';
import { SipTransportError } from './errors.js';
import { tooLargeResponse } from './too-large.js';
import type { Flow, TransportKind } from './flow.js';
import { listenTcp, listenTls, listenWs, listenWss } from './listeners.js';
import { newTransportStats, type TransportStats } from './stats.js';
import { StreamConnection } from './stream-connection.js';
import { UdpTransport } from './udp.js';
import { WsConnection } from './ws-connection.js';

export interface TransportOptions {
  bindHost: string;
  /** UDP and TCP share this port; 0 picks an ephemeral one (the same for both). */
  port: number;
  tlsPort?: number;
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer | Array<string | Buffer>; rejectUnauthorized?: boolean };
  wsPort?: number;
  /** SIP over secure WebSocket, with the `tls` credentials. */
  wssPort?: number;
  log: Logger;
  /** Largest message accepted on any transport (default 65535). */
  maxMessageSize?: number;
  /** Connections with no traffic for this long are closed (default 5 minutes). */
  idleTimeoutMs?: number;
  /** A TCP/TLS message must arrive whole this long after its first byte (default 10 s). */
  messageTimeoutMs?: number;
  /** Inbound TCP/TLS/WS connections at most from one address (default 100) and in all (default 10,000). */
  maxConnectionsPerAddress?: number;
  maxConnections?: number;
}

/** A WebSocket message is read whole before we see it: up to this multiple of the cap it is read and answered 513, beyond it ws closes (1009). */
const WS_READ_FACTOR = 4;

export type InboundHandler = (message: SipMessage, flow: Flow) => void;

const key = (kind: TransportKind, address: string, port: number) => `${kind}:${address}:${port}`;

export class TransportLayer {
  readonly stats: TransportStats = newTransportStats();
  /** Open connections by kind:address:port, both accepted and initiated. */
  private readonly connections = new Map<string, Flow>();
  private udp!: UdpTransport;
  private tcpServer?: net.Server;
  private tlsServer?: tls.Server;
  private wsServer?: WebSocketServer;
  private wssServer?: { wss: WebSocketServer; server: https.Server };
  private handler: InboundHandler = () => {};
  private readonly maxMessageSize: number;
  private readonly idleTimeoutMs: number;
  /** Inbound connections open per remote address (outbound ones we opened are not counted). */
  private readonly inbound = new Map<string, number>();
  private inboundTotal = 0;
  readonly ports: { udp: number; tcp: number; tls?: number; ws?: number; wss?: number } = { udp: 0, tcp: 0 };

  private constructor(private readonly opts: TransportOptions) {
    this.maxMessageSize = opts.maxMessageSize ?? 65535;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 300_000;
  }

  static async start(opts: TransportOptions): Promise<TransportLayer> {
    const t = new TransportLayer(opts);
    await t.bind();
    return t;
  }

  onMessage(handler: InboundHandler): void {
    this.handler = handler;
  }

  private async bind(): Promise<void> {
    const { bindHost, port } = this.opts;
    // With port 0, UDP picks a port and TCP takes the same one; retry if TCP finds it taken.
    for (let attempt = 0; ; attempt++) {
      this.udp = await UdpTransport.bind(bindHost, port, this.stats, (d, f) => this.receive(d, f));
      try {
        this.tcpServer = await listenTcp(bindHost, this.udp.port, (s) => this.accept('tcp', s));
        break;
      } catch (e) {
        await this.udp.close();
        if (port !== 0 || attempt >= 5) throw e;
      }
    }
    this.ports.udp = this.udp.port;
    this.ports.tcp = (this.tcpServer.address() as net.AddressInfo).port;
    // A listening socket's later errors (EMFILE on accept, …) have no listener otherwise and would end the process.
    const serverError = (kind: string) => (err: Error) => this.opts.log.error({ err, kind }, 'sip: listener error');
    this.tcpServer.on('error', serverError('tcp'));
    if (this.opts.tls && this.opts.tlsPort !== undefined) {
      this.tlsServer = await listenTls(bindHost, this.opts.tlsPort, this.opts.tls, (s) => this.accept('tls', s));
      this.tlsServer.on('tlsClientError', () => this.stats.dropped++);
      this.tlsServer.on('error', serverError('tls'));
      this.ports.tls = (this.tlsServer.address() as net.AddressInfo).port;
    }
    if (this.opts.wsPort !== undefined) {
      this.wsServer = await listenWs(bindHost, this.opts.wsPort, this.maxMessageSize * WS_READ_FACTOR);
      this.wsServer.on('connection', (ws, req) => this.acceptWs(ws, req));
      this.wsServer.on('error', serverError('ws'));
      this.ports.ws = (this.wsServer.address() as net.AddressInfo).port;
    }
    if (this.opts.tls && this.opts.wssPort !== undefined) {
      this.wssServer = await listenWss(bindHost, this.opts.wssPort, this.maxMessageSize * WS_READ_FACTOR, this.opts.tls);
      this.wssServer.wss.on('connection', (ws, req) => this.acceptWs(ws, req));
      this.wssServer.wss.on('error', serverError('wss'));
      this.wssServer.server.on('error', serverError('wss'));
      this.wssServer.server.on('tlsClientError', () => this.stats.dropped++);
      this.ports.wss = (this.wssServer.server.address() as net.AddressInfo).port;
    }
  }

  private accept(kind: 'tcp' | 'tls', socket: net.Socket): void {
    const address = socket.remoteAddress ?? '';
    if (!this.admit(address)) {
      socket.destroy();
      return;
    }
    const conn = this.streamConnection(kind, socket, undefined, () => this.release(address));
    this.connections.set(key(kind, conn.remoteAddress, conn.remotePort), conn);
  }

  /** Counts an inbound connection from `address`, or refuses it at a cap. */
  private admit(address: string): boolean {
    const fromThere = this.inbound.get(address) ?? 0;
    if (fromThere >= (this.opts.maxConnectionsPerAddress ?? 100) || this.inboundTotal >= (this.opts.maxConnections ?? 10_000)) {
      this.stats.connectionsRefused++;
      return false;
    }
    this.inbound.set(address, fromThere + 1);
    this.inboundTotal++;
    return true;
  }

  private release(address: string): void {
    const n = (this.inbound.get(address) ?? 1) - 1;
    if (n > 0) this.inbound.set(address, n);
    else this.inbound.delete(address);
    this.inboundTotal--;
  }

  private streamConnection(kind: 'tcp' | 'tls', socket: net.Socket, remote?: { address: string; port: number }, released?: () => void): StreamConnection {
    return new StreamConnection(
      kind,
      socket,
      {
        maxMessageSize: this.maxMessageSize,
        idleTimeoutMs: this.idleTimeoutMs,
        messageTimeoutMs: this.opts.messageTimeoutMs,
        stats: this.stats,
        onMessage: (frame, flow) => this.receive(frame, flow),
        onClose: (c) => {
          released?.();
          this.forget(c);
        },
      },
      remote,
    );
  }

  private acceptWs(ws: WebSocket, req: IncomingMessage): void {
    // RFC 7118 4.1: the "sip" subprotocol is mandatory.
    if (ws.protocol !== 'sip') {
      ws.close(1002, 'sip subprotocol required');
      return;
    }
    const address = req.socket.remoteAddress ?? '';
    if (!this.admit(address)) {
      // 1013 Try Again Later (RFC 6455 7.4.1 registry).
      ws.close(1013, 'too many connections');
      return;
    }
    const conn = new WsConnection(
      ws,
      address,
      req.socket.remotePort ?? 0,
      this.stats,
      (d, f) => this.receiveWs(d, f as WsConnection),
      (c) => {
        this.release(address);
        this.forget(c);
      },
      this.idleTimeoutMs,
    );
    this.connections.set(key('ws', conn.remoteAddress, conn.remotePort), conn);
  }

  private forget(conn: Flow): void {
    const k = key(conn.kind, conn.remoteAddress, conn.remotePort);
    if (this.connections.get(k) === conn) this.connections.delete(k);
  }

  // ---- receiving --------------------------------------------------------------

  /** One WebSocket message is one SIP message (RFC 7118 5.1); one too large is answered 513 and the connection closed. */
  private receiveWs(data: Buffer, conn: WsConnection): void {
    if (data.length <= this.maxMessageSize) return this.receive(data, conn);
    this.stats.received++;
    this.stats.dropped++;
    const res = tooLargeResponse(data.subarray(0, this.maxMessageSize));
    if (res) {
      this.stats.tooLarge++;
      conn.send(res);
    }
    conn.closeAfterSend();
  }

  private receive(data: Buffer, flow: Flow): void {
    this.stats.received++;
    // A datagram of only CRLFs is a keep-alive (RFC 5626 4.4.1), not a message.
    if (data.length <= 4 && data.every((b) => b === 0x0d || b === 0x0a)) return;
    // So is a STUN Binding request on UDP (RFC 5626 4.4.2): answered with the address it came from.
    if (flow.kind === 'udp' && isStun(data)) {
      const res = stunBindingResponse(data, flow.remoteAddress, flow.remotePort);
      if (res) flow.send(res);
      return;
    }
    if (data.length > this.maxMessageSize) {
      this.stats.dropped++;
      // A datagram has no connection to close: answer 513 when the request can be answered at all.
      const res = flow.kind === 'udp' ? tooLargeResponse(data.subarray(0, this.maxMessageSize)) : null;
      if (res) {
        this.stats.tooLarge++;
        flow.send(res);
      }
      return;
    }
    let msg: SipMessage;
    try {
      msg = parseMessage(data);
    } catch (e) {
      this.stats.dropped++;
      if (e instanceof SipParseError && e.respondable && e.partial) this.sendBadRequest(e.partial, e.message, flow);
      return;
    }
    try {
      if (msg.kind === 'request') {
        if (!this.stampVia(msg, flow)) return;
      } else if (validateResponse(msg) !== null) {
        this.stats.dropped++; // RFC 3261 18.1.2: malformed responses are silently discarded
        return;
      }
      this.handler(msg, flow);
    } catch (e) {
      // A bug above us must not take the transport down; count and log it.
      this.stats.dropped++;
      this.opts.log.error({ err: e }, 'sip: error handling inbound message');
    }
  }

  private sendBadRequest(partial: { headers: SipRequest['headers'] }, reason: string, flow: Flow): void {
    try {
      const res = createResponse(partial, 400, `Bad Request (${reason.replace(/[\r\n]/g, ' ').slice(0, 80)})`);
      this.stats.badRequests++;
      // Straight back to the packet's source: the Via of a broken request was never stamped (18.2.1).
      flow.send(serializeMessage(res));
    } catch {
      // The partial headers could not even make a response: drop.
    }
  }

  /**
   * RFC 3261 18.2.1 / RFC 3581 4: record the packet's source in the top Via
   * (received when it differs from sent-by, rport when the client asked), so
   * the response finds its way back through NATs. False when the request had
   * no usable Via and was answered or dropped.
   */
  private stampVia(req: SipRequest, flow: Flow): boolean {
    let vias;
    try {
      vias = getVias(req);
    } catch {
      this.stats.dropped++;
      return false;
    }
    const top = vias[0];
    if (!top) {
      this.stats.dropped++;
      return false;
    }
    let changed = false;
    if (top.rport === true) {
      top.params.set('rport', String(flow.remotePort));
      top.params.set('received', flow.remoteAddress);
      changed = true;
    } else if (top.host !== flow.remoteAddress) {
      top.params.set('received', flow.remoteAddress);
      changed = true;
    }
    if (changed) {
      req.headers.set('via', vias.map(String));
    }
    return true;
  }

  // ---- sending ------------------------------------------------------------------

  /**
   * The flow a response to a request must take (RFC 3261 18.2.2, RFC 3581 4):
   * the request's connection when still open; else the received address and
   * rport (or sent-by port) of the top Via.
   */
  responseFlow(res: SipResponse, requestFlow: Flow): Flow {
    const via = getVias(res)[0];
    if (requestFlow.kind === 'udp' && via) {
      // 18.2.2 / RFC 3581 4: the received address, and the source port only when rport was asked for;
      // otherwise the sent-by port (received is set whenever sent-by differs from the source).
      const host = via.received ?? via.host;
      const port = typeof via.rport === 'number' ? via.rport : (via.port ?? 5060);
      return host === requestFlow.remoteAddress && port === requestFlow.remotePort ? requestFlow : this.udp.flowTo(host, port);
    }
    if (!requestFlow.closed) return requestFlow;
    const kind = (via?.transport.toLowerCase() ?? requestFlow.kind) as TransportKind;
    const host = via?.received ?? via?.host ?? requestFlow.remoteAddress;
    const rport = via?.rport;
    const port = typeof rport === 'number' ? rport : (via?.port ?? 5060);
    // A WebSocket client cannot be reached on a new connection (RFC 7118 5.3): the response is lost.
    return this.flowTo({ kind: kind === 'ws' ? 'ws' : kind, host, port }, false);
  }

  sendResponse(res: SipResponse, requestFlow: Flow): void {
    this.responseFlow(res, requestFlow).send(serializeMessage(res));
  }

  /**
   * A flow to a destination: the existing connection when there is one (18.1.1
   * connection reuse), otherwise a new connection (writes queue until it is up).
   * `connect` false only looks up connections (used for WebSocket peers).
   */
  flowTo(dest: Destination, connect = true): Flow {
    if (dest.kind === 'udp') return this.udp.flowTo(dest.host, dest.port);
    const k = key(dest.kind, dest.host, dest.port);
    const existing = this.connections.get(k);
    if (existing && !existing.closed) return existing;
    if (!connect && dest.kind === 'ws') throw new SipTransportError('sip_transport_unavailable', `no WebSocket connection to ${dest.host}:${dest.port}`);
    const conn = this.connect(dest);
    this.connections.set(k, conn);
    return conn;
  }

  private connect(dest: Destination): Flow {
    const remote = { address: dest.host, port: dest.port };
    if (dest.kind === 'tcp') return this.streamConnection('tcp', net.connect({ host: dest.host, port: dest.port, noDelay: true }), remote);
    if (dest.kind === 'tls') {
      const t = this.opts.tls;
      const socket = tls.connect({
        host: dest.host,
        port: dest.port,
        servername: net.isIP(dest.host) ? undefined : dest.host,
        ca: t?.ca,
        rejectUnauthorized: t?.rejectUnauthorized ?? true,
      });
      return this.streamConnection('tls', socket, remote);
    }
    const ws = new WebSocket(`ws://${dest.host.includes(':') ? `[${dest.host}]` : dest.host}:${dest.port}`, 'sip', { maxPayload: this.maxMessageSize });
    return new WsConnection(ws, dest.host, dest.port, this.stats, (d, f) => this.receiveWs(d, f as WsConnection), (c) => this.forget(c), this.idleTimeoutMs);
  }

  async close(): Promise<void> {
    for (const conn of [...this.connections.values()]) (conn as StreamConnection | WsConnection).destroy();
    this.connections.clear();
    const closeServer = (s?: net.Server | tls.Server | https.Server) => (s ? new Promise<void>((r) => s.close(() => r())) : Promise.resolve());
    await Promise.all([
      this.udp.close(),
      closeServer(this.tcpServer),
      closeServer(this.tlsServer),
      this.wsServer ? new Promise<void>((r) => this.wsServer!.close(() => r())) : Promise.resolve(),
      this.wssServer ? new Promise<void>((r) => this.wssServer!.wss.close(() => r())).then(() => closeServer(this.wssServer!.server)) : Promise.resolve(),
    ]);
  }
}
