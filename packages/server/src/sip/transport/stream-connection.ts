/**
 * One TCP or TLS connection carrying SIP (RFC 3261 18.3): framing with a size
 * limit, CRLF keep-alive answers (RFC 5626 3.5.1), idle cleanup. A stream that
 * cannot be framed is closed, since the next message boundary is unknown; one too
 * large is answered 513 first. A message must arrive whole within
 * `messageTimeoutMs` of its first byte, so a peer trickling a header section
 * (slowloris) cannot hold a connection, and its buffer, forever.
 */
import type net from 'node:net';
import { SipParseError } from '../errors.js';
import { SipStreamFramer } from '../stream-framer.js';
import { tooLargeResponse } from './too-large.js';
import type { Flow, TransportKind } from './flow.js';
import type { TransportStats } from './stats.js';

export interface StreamConnectionOptions {
  maxMessageSize: number;
  idleTimeoutMs: number;
  /** From a message's first byte to its last (default 10 s). */
  messageTimeoutMs?: number;
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
  /** Running while a message is partly received. */
  private slow: NodeJS.Timeout | undefined;

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
    socket.setTimeout(opts.idleTimeoutMs, () => this.destroy());
    let emitted = 0;
    const framer = new SipStreamFramer({
      maxMessageSize: opts.maxMessageSize,
      onMessage: (frame) => {
        emitted++;
        opts.onMessage(frame, this);
      },
      onKeepAlive: () => this.socket.write('\r\n'),
    });
    this.framer = framer;
    socket.on('data', (chunk: Buffer) => {
      if (this.closed) return;
      emitted = 0;
      try {
        framer.push(chunk);
      } catch (e) {
        opts.stats.dropped++;
        if (e instanceof SipParseError && e.code === 'sip_too_large') return this.refuseTooLarge();
        return this.destroy();
      }
      this.watchPartial(emitted > 0);
    });
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
  }

  /** The clock of a partly received message starts at its first byte and is not reset by more bytes of it. */
  private watchPartial(completedOne: boolean): void {
    if (this.framer.buffered === 0 || completedOne) {
      clearTimeout(this.slow);
      this.slow = undefined;
    }
    if (this.framer.buffered > 0 && !this.slow) {
      this.slow = setTimeout(() => {
        this.opts.stats.slowMessages++;
        this.destroy();
      }, this.opts.messageTimeoutMs ?? 10_000).unref();
    }
  }

  /** RFC 3261 21.5.14: say why before closing (the stream cannot be resynchronised after a message we skip). */
  private refuseTooLarge(): void {
    const res = tooLargeResponse(this.framer.pendingHead());
    if (!res) return this.destroy();
    this.opts.stats.tooLarge++;
    this.socket.pause();
    this.socket.write(res, () => this.destroy());
    // A peer that does not read cannot keep the connection open by not taking the answer.
    setTimeout(() => this.destroy(), 2000).unref();
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
    clearTimeout(this.slow);
    this.opts.stats.connectionsClosed++;
    this.socket.destroy();
    this.opts.onClose(this);
  }
}
