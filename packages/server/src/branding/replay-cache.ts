/**
 * Remembers PASSporT signatures for the freshness window: the same token seen
 * twice inside it is a replay (RFC 8224 §6.2.3 step 5 leaves the policy to the
 * verifier; ATIS-1000074 recommends rejecting). Outside the window `iat`
 * freshness rejects it anyway, so entries can be forgotten after it.
 *
 * Per process: with several callsight processes behind one trunk a replay
 * routed to another process is caught only by the freshness check.
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>();
  private lastSweep = 0;

  constructor(private readonly windowMs: number) {}

  /** True when `key` was already seen inside the window; records it either way. */
  checkAndRemember(key: string, now: number): boolean {
    if (now - this.lastSweep > this.windowMs) this.sweep(now);
    const expires = this.seen.get(key);
    const replayed = expires !== undefined && expires > now;
    if (!replayed) this.seen.set(key, now + this.windowMs);
    return replayed;
  }

  private sweep(now: number): void {
    for (const [k, expires] of this.seen) if (expires <= now) this.seen.delete(k);
    this.lastSweep = now;
  }
}
