/**
 * Adaptive jitter buffer for one incoming audio stream of fixed-size frames.
 *
 * Packets are pushed as they arrive (any order) and one frame is popped per media-clock
 * tick. Frames live in a ring of preallocated slots indexed by extended sequence number,
 * so pushing and popping copy samples but allocate nothing.
 *
 * - Sequence numbers are unwrapped to a 32-bit-safe extended counter (RFC 3550 A.1 idea),
 *   so 65535 → 0 is just the next frame.
 * - Duplicates and packets that arrive after their play-out time are dropped and counted.
 * - The target delay follows the measured interarrival jitter (RFC 3550 A.8 estimator,
 *   in ms): about three jitter deviations of headroom, clamped to [min, max] frames.
 *   When the buffer holds more than target + 2 frames, one frame is dropped per tick
 *   (catching up smoothly); when it runs dry, play-out pauses on concealment, which
 *   grows the delay by one frame.
 * - A missing frame is concealed by repeating the last good one with a linear fade, then
 *   silence — ITU-T G.711 Appendix I style PLC, cheap enough for 1,000 legs.
 */

export type JitterFrameKind = 'audio' | 'concealed' | 'silence';
export type JitterPushResult = 'accepted' | 'duplicate' | 'late';

export interface JitterBufferOptions {
  /** Samples per frame. Default 160 (20 ms at 8 kHz). */
  frameSamples?: number;
  clockRate?: number;
  /** Delay before play-out starts, frames. Default 2. */
  initialDelayFrames?: number;
  minDelayFrames?: number;
  maxDelayFrames?: number;
  /** Frames over which concealment fades to silence. Default 5 (100 ms). */
  concealFrames?: number;
}

export interface JitterBufferStats {
  received: number;
  duplicates: number;
  late: number;
  /** Frames concealed because their packet never arrived in time. */
  concealed: number;
  /** Frames dropped to shrink the delay back to target. */
  dropped: number;
}

const CAPACITY = 64; // slots; power of two so the slot index is a mask
const EMPTY = -1;
/** Ticks of underrun after which the stream is considered stopped and re-primed. */
const RESET_AFTER_UNDERRUN_TICKS = 25;

export class JitterBuffer {
  private readonly frameSamples: number;
  private readonly clockRate: number;
  private readonly frameMs: number;
  private readonly minDelay: number;
  private readonly maxDelay: number;
  private readonly initialDelay: number;
  private readonly concealFrames: number;
  private readonly slotSeq = new Float64Array(CAPACITY).fill(EMPTY);
  private readonly slots: Int16Array;
  private readonly lastFrame: Int16Array;
  private hasLastFrame = false;
  private concealRun = 0;
  private underrunTicks = 0;

  private started = false; // at least one packet since the last reset
  private playing = false;
  private highest = 0; // highest extended seq received
  private earliest = 0; // lowest extended seq buffered before play-out starts
  private nextPlay = 0;
  private target: number;
  private jitterMs = 0;
  private lastArrivalMs = 0;
  private lastTimestamp = 0;

  readonly stats: JitterBufferStats = { received: 0, duplicates: 0, late: 0, concealed: 0, dropped: 0 };

  constructor(opts: JitterBufferOptions = {}) {
    this.frameSamples = opts.frameSamples ?? 160;
    this.clockRate = opts.clockRate ?? 8000;
    this.frameMs = (this.frameSamples * 1000) / this.clockRate;
    this.minDelay = opts.minDelayFrames ?? 1;
    this.maxDelay = Math.min(opts.maxDelayFrames ?? 10, CAPACITY / 2);
    this.initialDelay = Math.max(this.minDelay, Math.min(this.maxDelay, opts.initialDelayFrames ?? 2));
    this.concealFrames = opts.concealFrames ?? 5;
    this.target = this.initialDelay;
    this.slots = new Int16Array(CAPACITY * this.frameSamples);
    this.lastFrame = new Int16Array(this.frameSamples);
  }

  /** Current target delay in frames. */
  get targetDelayFrames(): number {
    return this.target;
  }

  /** Smoothed interarrival jitter, ms. */
  get jitter(): number {
    return this.jitterMs;
  }

  /** Frames currently buffered ahead of the play-out point. */
  get depthFrames(): number {
    return this.playing ? Math.max(0, this.highest - this.nextPlay + 1) : this.started ? this.highest - this.earliest + 1 : 0;
  }

  /** Stores one frame (`pcm` holds at least `frameSamples` samples; it is copied). */
  push(sequenceNumber: number, timestamp: number, pcm: Int16Array, arrivalMs: number): JitterPushResult {
    let ext: number;
    const first = !this.started;
    if (first) {
      ext = sequenceNumber & 0xffff;
      this.started = true;
      this.highest = this.earliest = ext;
    } else {
      // Signed 16-bit distance from the highest seen: handles wrap-around and reordering.
      const delta = ((((sequenceNumber - this.highest) & 0xffff) + 0x8000) & 0xffff) - 0x8000;
      ext = this.highest + delta;
      const horizon = this.playing ? this.nextPlay : this.earliest;
      if (ext >= horizon + CAPACITY || ext <= this.highest - CAPACITY) {
        // A jump no reordering explains: the sender restarted its stream.
        this.restart();
        return this.push(sequenceNumber, timestamp, pcm, arrivalMs);
      }
      if (this.playing && ext < this.nextPlay) {
        this.stats.late++;
        return 'late';
      }
    }
    const slot = ext & (CAPACITY - 1);
    if (this.slotSeq[slot] === ext) {
      this.stats.duplicates++;
      return 'duplicate';
    }
    if (!first) this.updateJitter(timestamp, arrivalMs);
    this.slotSeq[slot] = ext;
    this.slots.set(pcm.subarray(0, this.frameSamples), slot * this.frameSamples);
    if (ext > this.highest) this.highest = ext;
    if (!this.playing && ext < this.earliest) this.earliest = ext;
    this.lastArrivalMs = arrivalMs;
    this.lastTimestamp = timestamp;
    this.stats.received++;
    return 'accepted';
  }

  /** Writes the next 20 ms of audio into `out` and says where it came from. */
  pop(out: Int16Array): JitterFrameKind {
    if (!this.playing) {
      if (!this.started || this.highest - this.earliest + 1 < this.target) return this.conceal(out);
      this.playing = true;
      this.nextPlay = this.earliest;
    }
    // Shrink towards the target by dropping the oldest frame, one per tick.
    if (this.highest - this.nextPlay + 1 > this.target + 2) {
      this.nextPlay++;
      this.stats.dropped++;
    }
    const slot = this.nextPlay & (CAPACITY - 1);
    if (this.slotSeq[slot] === this.nextPlay) {
      const start = slot * this.frameSamples;
      const frame = this.slots.subarray(start, start + this.frameSamples);
      out.set(frame);
      this.lastFrame.set(frame);
      this.hasLastFrame = true;
      this.concealRun = 0;
      this.underrunTicks = 0;
      this.nextPlay++;
      return 'audio';
    }
    if (this.nextPlay > this.highest) {
      // Underrun: nothing newer has arrived, so hold the play-out point (adds one frame
      // of delay) unless the stream has clearly stopped.
      if (++this.underrunTicks >= RESET_AFTER_UNDERRUN_TICKS) this.restart();
      return this.conceal(out);
    }
    this.nextPlay++; // genuinely lost: newer frames exist
    this.stats.concealed++;
    return this.conceal(out);
  }

  private conceal(out: Int16Array): JitterFrameKind {
    this.concealRun++;
    if (!this.hasLastFrame || this.concealRun > this.concealFrames) {
      out.fill(0, 0, this.frameSamples);
      return 'silence';
    }
    // Linear fade across the concealment run: gain goes from (1 - (run-1)/n) to (1 - run/n).
    const n = this.concealFrames;
    const g0 = 1 - (this.concealRun - 1) / n;
    const step = 1 / n / this.frameSamples;
    for (let i = 0; i < this.frameSamples; i++) out[i] = this.lastFrame[i] * (g0 - step * i);
    return 'concealed';
  }

  private updateJitter(timestamp: number, arrivalMs: number): void {
    // RFC 3550 A.8 in ms: difference between arrival spacing and media-time spacing.
    const mediaMs = (((timestamp - this.lastTimestamp) | 0) * 1000) / this.clockRate;
    const d = Math.abs(arrivalMs - this.lastArrivalMs - mediaMs);
    this.jitterMs += (Math.min(d, 1000) - this.jitterMs) / 16;
    const wanted = 1 + Math.ceil((3 * this.jitterMs) / this.frameMs);
    this.target = Math.max(this.minDelay, Math.min(this.maxDelay, wanted));
  }

  private restart(): void {
    this.slotSeq.fill(EMPTY);
    this.started = false;
    this.playing = false;
    this.underrunTicks = 0;
    this.target = this.initialDelay;
  }
}
