/**
 * The media clock: ONE timer that ticks every 20 ms and drives every stream in the
 * process. A timer per leg would mean 1,000 timers drifting independently and firing
 * as 1,000 separate event-loop turns; one loop does all the work of a tick in one turn
 * and keeps every stream on the same, drift-corrected schedule.
 *
 * Deadlines are absolute (start + n·period on process.hrtime.bigint), so timer
 * lateness never accumulates into drift. Node timers have 1 ms resolution, so a tick
 * runs once its deadline is less than 1 ms away: ticks land within about ±1 ms of the
 * ideal grid without busy-waiting (spinning to the exact deadline would cost ~7 % of a
 * core and be pointless next to network jitter). If the process stalls, up to
 * `maxCatchUpTicks` missed ticks are replayed so timestamps stay continuous; beyond that
 * the schedule resynchronises and the skipped ticks are counted.
 */

export type TickHandler = (tick: number) => void;

export interface MediaClockOptions {
  periodMs?: number;
  maxCatchUpTicks?: number;
  /** Called when a handler throws; the clock keeps running for everyone else. */
  onError?: (error: unknown) => void;
}

export interface MediaClockStats {
  ticks: number;
  /** Ticks delivered more than 2 ms after their deadline. */
  lateTicks: number;
  /** Ticks dropped after a stall longer than maxCatchUpTicks periods. */
  skippedTicks: number;
  /** Handler exceptions caught. */
  errors: number;
}

/** A tick may run this early: the resolution of Node timers. */
const EARLY_NS = 1_000_000n;
const LATE_NS = 2_000_000n;

interface Subscription {
  handler: TickHandler;
  active: boolean;
}

export class MediaClock {
  readonly periodMs: number;
  private readonly periodNs: bigint;
  private readonly maxCatchUp: number;
  private readonly onError: (error: unknown) => void;
  private subscriptions: Subscription[] = [];
  private live = 0;
  private timer: NodeJS.Timeout | null = null;
  private inTick = false;
  private deadline = 0n;
  private tick = 0;
  readonly stats: MediaClockStats = { ticks: 0, lateTicks: 0, skippedTicks: 0, errors: 0 };

  constructor(opts: MediaClockOptions = {}) {
    this.periodMs = opts.periodMs ?? 20;
    this.periodNs = BigInt(Math.round(this.periodMs * 1e6));
    this.maxCatchUp = opts.maxCatchUpTicks ?? 5;
    this.onError = opts.onError ?? (() => {});
  }

  /**
   * Calls `handler` every tick, in subscription order, until the returned function is
   * called. The clock runs only while it has subscribers, so an idle process can exit.
   */
  subscribe(handler: TickHandler): () => void {
    const sub: Subscription = { handler, active: true };
    this.subscriptions.push(sub);
    this.live++;
    if (this.timer === null && !this.inTick) {
      this.deadline = process.hrtime.bigint() + this.periodNs;
      this.schedule();
    }
    return () => {
      if (!sub.active) return;
      sub.active = false; // removed from the array between ticks, never during one
      if (--this.live === 0 && !this.inTick) this.halt();
    };
  }

  get subscribers(): number {
    return this.live;
  }

  private halt(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.subscriptions = [];
  }

  private schedule(): void {
    const remaining = this.deadline - process.hrtime.bigint();
    this.timer = setTimeout(this.run, remaining > 0n ? Number(remaining / 1_000_000n) : 0);
  }

  private readonly run = (): void => {
    let now = process.hrtime.bigint();
    if (this.deadline - now > EARLY_NS) {
      this.schedule(); // woke too early (timers round down): sleep again
      return;
    }
    this.inTick = true;
    let due = 0;
    while (this.deadline - now <= EARLY_NS && due <= this.maxCatchUp && this.live > 0) {
      if (now - this.deadline > LATE_NS) this.stats.lateTicks++;
      this.fire();
      this.deadline += this.periodNs;
      due++;
      now = process.hrtime.bigint();
    }
    this.inTick = false;
    if (this.live === 0) {
      this.timer = null;
      this.halt();
      return;
    }
    if (now >= this.deadline) {
      const behind = (now - this.deadline) / this.periodNs + 1n;
      this.stats.skippedTicks += Number(behind);
      this.deadline += behind * this.periodNs;
    }
    if (this.live * 2 < this.subscriptions.length) this.subscriptions = this.subscriptions.filter((s) => s.active);
    this.schedule();
  };

  private fire(): void {
    const tick = this.tick++;
    this.stats.ticks++;
    const subs = this.subscriptions;
    for (let i = 0, n = subs.length; i < n; i++) {
      const s = subs[i];
      if (!s.active) continue;
      try {
        s.handler(tick);
      } catch (error) {
        this.stats.errors++;
        this.onError(error);
      }
    }
  }
}
