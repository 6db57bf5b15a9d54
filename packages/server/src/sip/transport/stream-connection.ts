/**
 * One TCP or TLS connection carrying SIP (RFC 3261 18.3): framing with a size
 * limit, CRLF keep-alive answers (RFC 5626 3.5.1), idle cleanup. A stream that
 * cannot be framed is closed, since the next message boundary is unknown.
 */
import type net from 'node:net';
import { SipStreamFramer } from '../stream-framer.js';
import type { Flow, TransportKind } from './flow.js';
import type { TransportStats } from './stats.js';

export interface StreamConnectionOptions {
  maxMessageSize: number;
  idleTimeoutMs: number;
  stats: TransportStats;
  onMessage: (frame: Buffer, flow: Flow) => void;
  onClose: (conn: StreamConnection) => void;
}

export class StreamConnection implements Flow {
  readonly reliable = true;
  closed = false;
  readonly remoteAddress: string;
  readonly remotePort: number;
  private readonly framer: SipStreamFramer;

  constructor(
    readonly kind: Extract<TransportKind, 'tcp' | 'tls'>,
    private readonly socket: net.Socket,
    private readonly opts: StreamConnectionOptions,
    remote?: { address: string; port: number },
  ) {
    this.remoteAddress = remote?.address ?? socket.remoteAddress ?? '';
    this.remotePort = remote?.port ?? socket.remotePort ?? 0;
    opts.stats.connectionsOpened++;
    socket.setNoDelay(true);
    this.framer = new SipStreamFramer({
      maxMessageSize: opts.maxMessageSize,
      onMessage: (frame) => opts.onMessage(frame, this),
      onKeepAlive: () => this.socket.write('\r\n'),
    });
    socket.setTimeout(opts.idleTimeoutMs, () => this.destroy());
    socket.on('data', (chunk: Buffer) => {
      try {
        this.framer.push(chunk);
      } catch {
        opts.stats.dropped++;
        this.destroy();
      }
    });
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
  }

  send(data: Buffer): void {
    if (this.closed) {
      this.opts.stats.sendErrors++;
      return;
    }
    this.opts.stats.sent++;
    this.socket.write(data);
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.opts.stats.connectionsClosed++;
    this.socket.destroy();
    this.opts.onClose(this);
  }
}
