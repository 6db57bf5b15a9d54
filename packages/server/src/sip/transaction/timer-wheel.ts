/**
 * One hashed timer wheel shared by every transaction and dialog timer. At a
 * thousand calls per second a stack arms several thousand SIP timers a second
 * (A/B/E/F/G/H/J/K/L, 100 Trying, 2xx retransmission) and cancels nearly all
 * of them; here arming is an array push and cancelling a flag, and one
 * interval (unref'd, running only while timers are pending) drives them all.
 * Resolution is `tickMs`; SIP timers (T1 = 500 ms) need nothing finer.
 */
export interface TimerHandle {
  cancel(): void;
}

class Entry implements TimerHandle {
  cancelled = false;
  constructor(
    public rounds: number,
    /** Dropped on cancel: a cancelled entry waits in its slot, but must not keep its closure's objects alive. */
    public fn: (() => void) | undefined,
  ) {}
  cancel(): void {
    this.cancelled = true;
    this.fn = undefined;
  }
}

export class TimerWheel {
  private readonly slots: Entry[][];
  private cursor = 0;
  private pending = 0;
  private interval: NodeJS.Timeout | undefined;
  private lastTick = 0;

  constructor(
    private readonly tickMs = 10,
    slotCount = 1024,
    /** A callback that threw: a bug, reported rather than silently dropped. */
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.slots = Array.from({ length: slotCount }, () => []);
  }

  /** Runs `fn` after about `ms` (never earlier than the next tick). */
  schedule(ms: number, fn: () => void): TimerHandle {
    const ticks = Math.max(1, Math.ceil(ms / this.tickMs));
    const n = this.slots.length;
    const entry = new Entry(Math.floor((ticks - 1) / n), fn);
    this.slots[(this.cursor + ticks) % n].push(entry);
    if (this.pending++ === 0) this.startTicking();
    return entry;
  }

  private startTicking(): void {
    this.lastTick = performance.now();
    this.interval = setInterval(() => this.advance(), this.tickMs);
    this.interval.unref();
  }

  /** Processes every slot whose time has come; catches up after event-loop stalls. */
  private advance(): void {
    const now = performance.now();
    let due = Math.floor((now - this.lastTick) / this.tickMs);
    this.lastTick += due * this.tickMs;
    while (due-- > 0 && this.pending > 0) {
      this.cursor = (this.cursor + 1) % this.slots.length;
      const slot = this.slots[this.cursor];
      if (slot.length === 0) continue;
      const keep: Entry[] = [];
      this.slots[this.cursor] = keep;
      for (const e of slot) {
        if (e.cancelled) {
          this.pending--;
        } else if (e.rounds > 0) {
          e.rounds--;
          keep.push(e);
        } else {
          this.pending--;
          const fn = e.fn as () => void;
          e.cancel();
          try {
            fn();
          } catch (err) {
            // A failing timer callback must not stop the others.
            this.onError(err);
          }
        }
      }
    }
    if (this.pending === 0 && this.interval) {
      clearInterval(this.interval);
      this.interval = undefined;
    }
  }

  /** Cancels everything (endpoint shutdown). */
  stop(): void {
    for (const slot of this.slots) slot.length = 0;
    this.pending = 0;
    if (this.interval) clearInterval(this.interval);
    this.interval = undefined;
  }
}
