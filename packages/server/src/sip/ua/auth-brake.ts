/**
 * Brute-force brake for Digest authentication: after `maxFailures` failed
 * attempts from one source address within `windowMs`, further requests from
 * it are refused (403) until the window passes. Counts what it blocks.
 */
export interface AuthBrakeOptions {
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
}

export class AuthBrake {
  private readonly failures = new Map<string, number[]>();
  private readonly max: number;
  private readonly window: number;
  private readonly now: () => number;
  blocked = 0;

  constructor(opts: AuthBrakeOptions = {}) {
    this.max = opts.maxFailures ?? 10;
    this.window = opts.windowMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  private recent(source: string): number[] {
    const cutoff = this.now() - this.window;
    const list = (this.failures.get(source) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.failures.delete(source);
    else this.failures.set(source, list);
    return list;
  }

  /** True (and counted) when `source` is currently blocked. */
  isBlocked(source: string): boolean {
    if (this.recent(source).length < this.max) return false;
    this.blocked++;
    return true;
  }

  fail(source: string): void {
    const list = this.recent(source);
    list.push(this.now());
    this.failures.set(source, list);
    // Keep the map bounded under a spray of sources.
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeed(source: string): void {
    this.failures.delete(source);
  }
}
