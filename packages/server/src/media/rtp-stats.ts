/**
 * Per-source reception statistics for RTCP reception report blocks, implemented
 * exactly as RFC 3550 Appendix A.1 (sequence validation with probation, wrap-around
 * cycles, restart detection), A.3 (expected/lost/fraction lost) and A.8 (interarrival
 * jitter). Everything is plain numeric fields: one instance per leg, no allocation
 * per packet.
 */
import type { RtcpReportBlock } from './rtcp.js';

const RTP_SEQ_MOD = 0x10000;
/** A.1: a source is valid after this many in-sequence packets. */
const MIN_SEQUENTIAL = 2;
/** A.1: the largest forward jump still treated as loss rather than a restart. */
const MAX_DROPOUT = 3000;
/** A.1: the largest backward jump treated as reordering rather than a restart. */
const MAX_MISORDER = 100;

export class RtpReceiverStats {
  private maxSeq = 0;
  private cycles = 0;
  private baseSeq = 0;
  private badSeq = RTP_SEQ_MOD + 1;
  private probation = MIN_SEQUENTIAL;
  private started = false;
  private receivedCount = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private transit = 0;
  private hasTransit = false;
  private jitterEstimate = 0;
  /** Payload octets of the counted packets. */
  octets = 0;

  /** @param clockRate RTP clock rate of the source, used to convert arrival times (A.8). */
  constructor(private readonly clockRate = 8000) {}

  /**
   * Accounts one received packet. Returns false while the source is still on
   * probation or when the packet is an isolated jump that may signal a restart
   * (A.1); such packets are not counted.
   */
  update(sequenceNumber: number, rtpTimestamp: number, arrivalMs: number, payloadLength: number): boolean {
    const seq = sequenceNumber & 0xffff;
    if (!this.started) {
      this.initSequence(seq);
      this.maxSeq = (seq - 1) & 0xffff;
      this.probation = MIN_SEQUENTIAL;
      this.started = true;
    }
    if (!this.updateSequence(seq)) return false;
    this.octets += payloadLength;
    // A.8: transit time difference in timestamp units, smoothed with gain 1/16.
    const transit = Math.round((arrivalMs * this.clockRate) / 1000) - rtpTimestamp;
    if (this.hasTransit) {
      // Wrap-safe difference of 32-bit quantities.
      const d = Math.abs((transit - this.transit) | 0);
      this.jitterEstimate += (d - this.jitterEstimate) / 16;
    }
    this.transit = transit;
    this.hasTransit = true;
    return true;
  }

  private initSequence(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.receivedCount = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
  }

  private updateSequence(seq: number): boolean {
    const udelta = (seq - this.maxSeq) & 0xffff;
    if (this.probation > 0) {
      if (seq === ((this.maxSeq + 1) & 0xffff)) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSequence(seq);
          this.receivedCount++;
          return true;
        }
      } else {
        this.probation = MIN_SEQUENTIAL - 1;
        this.maxSeq = seq;
      }
      return false;
    }
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD; // wrapped
      this.maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A very large jump: accept it as a restart only if the next packet follows it.
      if (seq === this.badSeq) {
        this.initSequence(seq);
      } else {
        this.badSeq = (seq + 1) & 0xffff;
        return false;
      }
    }
    // Otherwise a duplicate or reordered packet: counted, max unchanged.
    this.receivedCount++;
    return true;
  }

  /** Packets counted as received (A.1 `received`). */
  get received(): number {
    return this.receivedCount;
  }

  /** Extended highest sequence number received (A.3). */
  get extendedHighestSequence(): number {
    return this.cycles + this.maxSeq;
  }

  /** Packets expected from the first counted one to the highest (A.3). */
  get expected(): number {
    return this.receivedCount === 0 ? 0 : this.extendedHighestSequence - this.baseSeq + 1;
  }

  /** Cumulative number of packets lost, clamped to the signed 24-bit field (A.3). */
  get cumulativeLost(): number {
    return Math.max(-0x800000, Math.min(0x7fffff, this.expected - this.receivedCount));
  }

  /** Interarrival jitter in RTP timestamp units (A.8). */
  get jitter(): number {
    return Math.floor(this.jitterEstimate);
  }

  /**
   * Builds a report block and starts a new reporting interval: fraction lost is
   * computed over the packets since the previous call (A.3).
   */
  reportBlock(ssrc: number, lastSr = 0, delaySinceLastSr = 0): RtcpReportBlock {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.receivedCount - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.receivedCount;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    return {
      ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: this.cumulativeLost,
      highestSequence: this.extendedHighestSequence >>> 0,
      jitter: this.jitter,
      lastSr,
      delaySinceLastSr,
    };
  }
}
