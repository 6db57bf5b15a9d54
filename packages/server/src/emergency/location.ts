import type { CivicAddress, EmergencyLocation, GnssFix } from '@callsight/protocol';

/** Fixes older than this (relative to the newest) do not compete for "best". */
const RECENT_MS = 60_000;
/** A stored last fix older than this is not used; the civic address (if any) is. */
const STALE_MS = 10 * 60_000;

/**
 * The location of an emergency: the most accurate GNSS fix among the recent ones,
 * else the device's registered civic address; both when both are known.
 */
export function locate(fixes: readonly GnssFix[], civic: CivicAddress | null, now = Date.now()): EmergencyLocation | null {
  const fresh = fixes.filter((f) => now - f.t <= STALE_MS);
  if (fresh.length) {
    const newest = Math.max(...fresh.map((f) => f.t));
    const best = fresh.filter((f) => newest - f.t <= RECENT_MS).reduce((a, b) => (b.accuracy < a.accuracy || (b.accuracy === a.accuracy && b.t > a.t) ? b : a));
    return { source: 'gnss', lat: best.lat, lon: best.lon, radius: Math.round(best.accuracy), civic, address: civic ? formatAddress(civic) : null, time: best.t };
  }
  if (civic) return { source: 'civic', lat: null, lon: null, radius: null, civic, address: formatAddress(civic), time: now };
  return null;
}

/** A civic address as one would write it: "12 Rue Cler, Floor 3, 75007 Paris, FR". */
export function formatAddress(c: CivicAddress): string {
  const street = [c.HNO, c.RD].filter(Boolean).join(' ');
  const city = [c.PC, c.A3].filter(Boolean).join(' ');
  return [c.NAM, street, c.FLR ? `floor ${c.FLR}` : undefined, c.LOC, city, c.A1, c.country].filter(Boolean).join(', ');
}
