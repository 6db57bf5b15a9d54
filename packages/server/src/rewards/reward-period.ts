import type { RewardPeriod } from '@callsight/protocol';

/** One distribution period of a program: `key` names it ('2026-12-02', '2026-W49', '2026-12'). */
export interface PeriodSpan {
  key: string;
  start: number;
  end: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock fields at `ms` in `tz`. */
function wall(ms: number, tz: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year!, m: parts.month!, d: parts.day!, h: parts.hour! % 24, min: parts.minute!, s: parts.second! };
}

/** Offset of `tz` from UTC at `ms`, in ms (east positive). */
function offsetAt(ms: number, tz: string): number {
  const w = wall(ms, tz);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(ms / 1000) * 1000;
}

/** The instant a local midnight (y, m, d) happens in `tz` (DST-safe: the offset is re-read at the result). */
function localMidnight(y: number, m: number, d: number, tz: string): number {
  const guess = Date.UTC(y, m - 1, d);
  let utc = guess - offsetAt(guess, tz);
  utc = guess - offsetAt(utc, tz);
  return utc;
}

export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The last span found per period kind and zone: an award reads the zone's calendar (slow, Intl) only when it leaves that span. */
const lastSpan = new Map<string, PeriodSpan>();

/** The period of `period` containing `ms` in `tz`: days from midnight, weeks from Monday, months from the 1st. */
export function periodOf(ms: number, period: RewardPeriod, tz: string): PeriodSpan {
  const key = `${period} ${tz}`;
  const hit = lastSpan.get(key);
  if (hit && ms >= hit.start && ms < hit.end) return hit;
  const span = Object.freeze(computePeriod(ms, period, tz));
  lastSpan.set(key, span);
  return span;
}

function computePeriod(ms: number, period: RewardPeriod, tz: string): PeriodSpan {
  const w = wall(ms, tz);
  if (period === 'month') {
    const start = localMidnight(w.y, w.m, 1, tz);
    const end = w.m === 12 ? localMidnight(w.y + 1, 1, 1, tz) : localMidnight(w.y, w.m + 1, 1, tz);
    return { key: `${w.y}-${pad(w.m)}`, start, end };
  }
  // Calendar arithmetic on a UTC date of the local day avoids DST (days are counted, not hours).
  const day = new Date(Date.UTC(w.y, w.m - 1, w.d));
  if (period === 'week') day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  const next = new Date(day);
  next.setUTCDate(next.getUTCDate() + (period === 'week' ? 7 : 1));
  const start = localMidnight(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), tz);
  const end = localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), tz);
  const key = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
  return { key: period === 'week' ? `${key}/w` : key, start, end };
}
