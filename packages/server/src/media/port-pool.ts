/**
 * Allocation of local RTP ports from a configured range. RTP uses even ports and RTCP
 * the next odd one (RFC 3550 §11); with rtcp-mux (RFC 5761) the odd port simply stays
 * unused. Ports are handed out round-robin rather than lowest-first so a just-released
 * port is not reused at once — late packets of the previous call would land in the
 * next one.
 */
import { CallsightError } from '../core/errors.js';

export interface PortRange {
  min: number;
  max: number;
}

export class PortPool {
  private readonly free: number[] = [];
  private readonly inUse = new Set<number>();

  constructor(range: PortRange) {
    const first = range.min + (range.min % 2);
    if (!(first >= 1024 && range.max <= 65535 && first + 1 <= range.max)) {
      throw new CallsightError('media_port_range_invalid', `invalid RTP port range ${range.min}-${range.max}`, { status: 500 });
    }
    for (let port = first; port + 1 <= range.max; port += 2) this.free.push(port);
  }

  /** Takes the next free even port; throws `media_ports_exhausted` (503) when none is left. */
  allocate(): number {
    const port = this.free.shift();
    if (port === undefined) {
      throw new CallsightError('media_ports_exhausted', 'no free RTP port in the configured range', { status: 503 });
    }
    this.inUse.add(port);
    return port;
  }

  /** Returns a port to the back of the queue. Releasing a port not in use is a no-op. */
  release(port: number): void {
    if (this.inUse.delete(port)) this.free.push(port);
  }

  get available(): number {
    return this.free.length;
  }

  /** Ports handed out and not released: zero once every call is gone, else a leak. */
  get allocated(): number {
    return this.inUse.size;
  }
}
