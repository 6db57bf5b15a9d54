/**
 * SIP over WebSocket (RFC 7118): each text or binary WebSocket message carries
 * exactly one SIP message, so no stream framing is needed (RFC 7118 5.1).
 */
import WebSocket from 'ws';
import type { Flow } from './flow.js';
import type { TransportStats } from './stats.js';

export class WsConnection implements Flow {
  readonly kind = 'ws' as const;
  readonly reliable = true;
  closed = false;
  private queue: Buffer[] | undefined;

  constructor(
    private readonly ws: WebSocket,
    readonly remoteAddress: string,
    readonly remotePort: number,
    private readonly stats: TransportStats,
    onMessage: (data: Buffer, flow: Flow) => void,
    private readonly onClose: (conn: WsConnection) => void,
    idleTimeoutMs: number,
  ) {
    stats.connectionsOpened++;
    if (ws.readyState === WebSocket.CONNECTING) {
      this.queue = [];
      ws.once('open', () => {
        const queued = this.queue ?? [];
        this.queue = undefined;
        for (const data of queued) this.send(data);
      });
    }
    const idle = setTimeout(() => this.destroy(), idleTimeoutMs).unref();
    ws.on('message', (data: WebSocket.RawData) => {
      idle.refresh();
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      onMessage(buf, this);
    });
    ws.on('error', () => this.destroy());
    ws.on('close', () => {
      clearTimeout(idle);
      this.destroy();
    });
  }

  send(data: Buffer): void {
    if (this.closed) {
      this.stats.sendErrors++;
      return;
    }
    if (this.queue) {
      this.queue.push(data);
      return;
    }
    this.stats.sent++;
    // Text frames: SIP is UTF-8 and browsers' SIP.js/JsSIP expect text (RFC 7118 5.1 allows both).
    this.ws.send(data.toString('utf8'), (err) => {
      if (err) this.stats.sendErrors++;
    });
  }

  /** Closes once what was sent has gone out (ws flushes before the close frame). */
  closeAfterSend(): void {
    if (this.closed) return;
    this.closed = true;
    this.stats.connectionsClosed++;
    this.ws.close(1009, 'message too large');
    // A peer that never completes the closing handshake is cut off.
    setTimeout(() => this.ws.terminate(), 2000).unref();
    this.onClose(this);
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.stats.connectionsClosed++;
    this.ws.terminate();
    this.onClose(this);
  }
}
