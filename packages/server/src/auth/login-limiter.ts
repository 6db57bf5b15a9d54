/**
 * Sliding-window limiter for password attempts, keyed by client address and by
 * account, so neither one address guessing many accounts nor many addresses
 * guessing one account gets far. In memory: a restart resets it, which is
 * acceptable for a brute-force brake (the scrypt cost is the second brake).
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  /**
   * `maxAttempts` per account; an address gets ten times that, since one office
   * or NAT gateway carries many people who sometimes mistype.
   */
  constructor(
    private readonly maxAttempts: number,
    private readonly windowMs = 15 * 60_000,
  ) {}

  private limit(key: string): number {
    return key.startsWith('ip:') ? this.maxAttempts * 10 : this.maxAttempts;
  }

  /** Milliseconds until another attempt is allowed for any of the keys, 0 if allowed now. */
  retryAfter(keys: string[], now = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      const list = this.recent(key, now);
      if (list.length >= this.limit(key)) wait = Math.max(wait, list[0] + this.windowMs - now);
    }
    return wait;
  }

  fail(keys: string[], now = Date.now()): void {
    for (const key of keys) {
      const list = this.recent(key, now);
      list.push(now);
      this.failures.set(key, list);
    }
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }
}
