/** SIP over UDP (RFC 3261 18): one socket, one flow object per remote address. */
import dgram from 'node:dgram';
import type { Flow } from './flow.js';
import type { TransportStats } from './stats.js';

class UdpFlow implements Flow {
  readonly kind = 'udp' as const;
  readonly reliable = false;
  readonly closed = false;
  constructor(
    private readonly transport: UdpTransport,
    readonly remoteAddress: string,
    readonly remotePort: number,
  ) {}
  send(data: Buffer): void {
    this.transport.sendTo(data, this.remotePort, this.remoteAddress);
  }
}

export class UdpTransport {
  private constructor(
    private readonly socket: dgram.Socket,
    private readonly stats: TransportStats,
  ) {}

  static bind(host: string, port: number, stats: TransportStats, onDatagram: (data: Buffer, flow: Flow) => void): Promise<UdpTransport> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
      const transport = new UdpTransport(socket, stats);
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        // A UDP socket error (e.g. ICMP-induced) must never take the process down.
        socket.on('error', () => stats.sendErrors++);
        socket.on('message', (data, rinfo) => onDatagram(data, new UdpFlow(transport, rinfo.address, rinfo.port)));
        resolve(transport);
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  flowTo(address: string, port: number): Flow {
    return new UdpFlow(this, address, port);
  }

  sendTo(data: Buffer, port: number, address: string): void {
    this.stats.sent++;
    this.socket.send(data, port, address, (err) => {
      if (err) this.stats.sendErrors++;
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
