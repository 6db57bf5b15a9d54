/**
 * The media clock: ONE timer that ticks every 20 ms and drives every stream in the
 * process. A timer per leg would mean 1,000 timers drifting independently and firing
 * as 1,000 separate event-loop turns; one clock keeps every stream on the same,
 * drift-corrected schedule.
 *
 * Paced ticks: the period is cut into `slots` sub-slots (default 10, 2 ms apart) and each
 * subscriber is given one for life — the least populated at subscribe time. A subscriber
 * therefore still runs exactly every 20 ms (its packets keep 20 ms spacing), but 1,000
 * legs no longer send in one burst at the top of the tick: each slot does a tenth of the
 * work and the event loop is free between slots to take incoming packets, which would
 * otherwise wait behind the whole burst and come out late (measured jitter). Empty slots
 * cost nothing: the timer sleeps until the next slot that has subscribers.
 *
 * Deadlines are absolute (start + n·period + slot·period/slots on process.hrtime.bigint),
 * so timer lateness never accumulates into drift. Node timers have 1 ms resolution, so a
 * slot runs once its deadline is less than 1 ms away: it lands within about ±1 ms of the
 * ideal grid without busy-waiting (spinning to the exact deadline would cost ~7 % of a
 * core and be pointless next to network jitter). If the process stalls, up to
 * `maxCatchUpTicks` missed ticks are replayed so timestamps stay continuous; beyond that
 * the schedule resynchronises (keeping every subscriber's slot) and the skipped ticks are
 * counted.
 */

export type TickHandler = (tick: number) => void;

/** Where the clock reads the time and sets its timer: the process's own, or a virtual one in tests. */
export interface ClockTimers {
  /** Monotonic nanoseconds. */
  now(): bigint;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const PROCESS_TIMERS: ClockTimers = {
  now: () => process.hrtime.bigint(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface MediaClockOptions {
  periodMs?: number;
  /** Sub-slots the period is cut into (1 = every subscriber at the top of the tick). Default 10. */
  slots?: number;
  maxCatchUpTicks?: number;
  /** Called when a handler throws; the clock keeps running for everyone else. */
  onError?: (error: unknown) => void;
  /** The process's clock and timers unless given (tests drive a virtual one). */
  timers?: ClockTimers;
}

export interface MediaClockStats {
  ticks: number;
  /** Ticks in which some slot ran more than 2 ms after its deadline. */
  lateTicks: number;
  /** Ticks dropped after a stall longer than maxCatchUpTicks periods. */
  skippedTicks: number;
  /** Handler exceptions caught. */
  errors: number;
}

/** A slot may run this early: the resolution of Node timers. */
const EARLY_NS = 1_000_000n;
const LATE_NS = 2_000_000n;

interface Subscription {
  handler: TickHandler;
  slot: number;
  active: boolean;
}

export class MediaClock {
  readonly periodMs: number;
  readonly slots: number;
  private readonly periodNs: bigint;
  private readonly slotNs: bigint;
  private readonly maxCatchUp: number;
  private readonly onError: (error: unknown) => void;
  /** Subscriptions per slot, in subscription order; inactive ones are swept between ticks. */
  private bySlot: Subscription[][];
  private liveBySlot: number[];
  private live = 0;
  private readonly timers: ClockTimers;
  private timer: unknown = null;
  private inTick = false;
  /** Deadline of the next slot to run (`slot` of tick `tick`). */
  private deadline = 0n;
  private slot = 0;
  private tick = 0;
  private lastCountedTick = -1;
  private lastLateTick = -1;
  readonly stats: MediaClockStats = { ticks: 0, lateTicks: 0, skippedTicks: 0, errors: 0 };

  constructor(opts: MediaClockOptions = {}) {
    this.periodMs = opts.periodMs ?? 20;
    this.slots = Math.max(1, Math.floor(opts.slots ?? 10));
    this.periodNs = BigInt(Math.round(this.periodMs * 1e6));
    this.slotNs = this.periodNs / BigInt(this.slots);
    this.maxCatchUp = opts.maxCatchUpTicks ?? 5;
    this.onError = opts.onError ?? (() => {});
    this.timers = opts.timers ?? PROCESS_TIMERS;
    this.bySlot = Array.from({ length: this.slots }, () => []);
    this.liveBySlot = new Array<number>(this.slots).fill(0);
  }

  /**
   * Calls `handler` every tick until the returned function is called. Handlers of one
   * slot run in subscription order. The clock runs only while it has subscribers, so an
   * idle process can exit.
   */
  subscribe(handler: TickHandler): () => void {
    let slot = 0;
    for (let k = 1; k < this.slots; k++) if (this.liveBySlot[k] < this.liveBySlot[slot]) slot = k;
    const sub: Subscription = { handler, slot, active: true };
    this.bySlot[slot].push(sub);
    this.liveBySlot[slot]++;
    this.live++;
    if (this.timer === null && !this.inTick) {
      // Idle until now: the first tick starts one period from now.
      this.deadline = this.timers.now() + this.periodNs;
      this.slot = 0;
      this.skipEmptySlots();
      this.schedule();
    }
    return () => {
      if (!sub.active) return;
      sub.active = false; // removed from its slot's array between ticks, never during one
      this.liveBySlot[sub.slot]--;
      if (--this.live === 0 && !this.inTick) this.halt();
    };
  }

  get subscribers(): number {
    return this.live;
  }

  private halt(): void {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
    this.bySlot = Array.from({ length: this.slots }, () => []);
    this.liveBySlot.fill(0);
  }

  private schedule(): void {
    const remaining = this.deadline - this.timers.now();
    this.timer = this.timers.setTimeout(this.run, remaining > 0n ? Number(remaining / 1_000_000n) : 0);
  }

  /** Moves to the next slot of the grid. */
  private advance(): void {
    this.deadline += this.slotNs;
    if (++this.slot === this.slots) {
      this.slot = 0;
      this.tick++;
      // Slot spacing is period/slots rounded down: realign on the exact period grid.
      this.deadline += this.periodNs - this.slotNs * BigInt(this.slots);
    }
  }

  /** Advances to the next slot that has subscribers (at most one full period ahead). */
  private skipEmptySlots(): void {
    for (let n = 0; n < this.slots && this.liveBySlot[this.slot] === 0; n++) this.advance();
  }

  private readonly run = (): void => {
    let now = this.timers.now();
    if (this.deadline - now > EARLY_NS) {
      this.schedule(); // woke too early (timers round down): sleep again
      return;
    }
    this.inTick = true;
    const maxSlots = (this.maxCatchUp + 1) * this.slots;
    let due = 0;
    while (this.deadline - now <= EARLY_NS && due < maxSlots && this.live > 0) {
      if (this.tick !== this.lastCountedTick) {
        this.lastCountedTick = this.tick;
        this.stats.ticks++;
      }
      if (now - this.deadline > LATE_NS && this.lastLateTick !== this.tick) {
        this.lastLateTick = this.tick;
        this.stats.lateTicks++;
      }
      this.fire(this.bySlot[this.slot]);
      this.advance();
      this.skipEmptySlots();
      due++;
      now = this.timers.now();
    }
    this.inTick = false;
    if (this.live === 0) {
      this.timer = null;
      this.halt();
      return;
    }
    if (now >= this.deadline) {
      // Still behind after replaying maxCatchUp ticks: jump whole periods, so every
      // subscriber keeps its slot (its phase) and only whole ticks are dropped.
      const behind = (now - this.deadline) / this.periodNs + 1n;
      this.stats.skippedTicks += Number(behind);
      this.deadline += behind * this.periodNs;
      this.tick += Number(behind);
    }
    this.sweep();
    this.schedule();
  };

  private fire(subs: Subscription[]): void {
    const tick = this.tick;
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

  /** Drops unsubscribed entries once they are half of a slot's array. */
  private sweep(): void {
    for (let k = 0; k < this.slots; k++) {
      if (this.liveBySlot[k] * 2 < this.bySlot[k].length) this.bySlot[k] = this.bySlot[k].filter((s) => s.active);
    }
  }
}
