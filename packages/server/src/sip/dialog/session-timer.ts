/**
 * Session timers (RFC 4028): Session-Expires / Min-SE parsing, the refresher
 * choice, and the per-dialog timer that either refreshes the session (we are
 * the refresher: at half the interval, 10.) or ends it with BYE (the other side
 * is: "the minimum of 32 seconds and one third of the session interval" before
 * expiry, 10.).
 */
import type { TimerHandle, TimerWheel } from '../transaction/timer-wheel.js';

export interface SessionExpires {
  /** Seconds. */
  delta: number;
  refresher?: 'uac' | 'uas';
}

/** Default Min-SE floor; RFC 4028 4 recommends 90 s (tests lower it through the endpoint options). */
export const MIN_SE = 90;

export function parseSessionExpires(value: string | undefined): SessionExpires | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d{1,10})\s*((?:;.*)?)$/.exec(value);
  if (!m) return undefined;
  const refresher = /;\s*refresher\s*=\s*(uac|uas)\b/i.exec(m[2])?.[1]?.toLowerCase() as 'uac' | 'uas' | undefined;
  return { delta: Number(m[1]), refresher };
}

export function formatSessionExpires(se: SessionExpires): string {
  return se.refresher ? `${se.delta};refresher=${se.refresher}` : String(se.delta);
}

export class SessionTimer {
  private handle?: TimerHandle;

  constructor(
    private readonly wheel: TimerWheel,
    private readonly onRefresh: () => void,
    private readonly onExpire: () => void,
  ) {}

  /** (Re)arms the timer after a successful offer/answer that carried Session-Expires. */
  arm(intervalSeconds: number, weRefresh: boolean): void {
    this.handle?.cancel();
    const ms = intervalSeconds * 1000;
    this.handle = weRefresh
      ? this.wheel.schedule(ms / 2, this.onRefresh)
      : this.wheel.schedule(ms - Math.min(32_000, ms / 3), this.onExpire);
  }

  stop(): void {
    this.handle?.cancel();
    this.handle = undefined;
  }
}
