import type { GnssFix, VehicleInfo } from '@callsight/protocol';
import { DIRECTION_UNKNOWN, POSITION_UNKNOWN, toMilliarcseconds, type LocationDelta, type Msd } from './ecall-msd.js';

/** EN 15722: the position "can be trusted" when it is within 150 m at 95 % confidence. */
const TRUSTED_RADIUS_M = 150;
/** Recent positions are taken at least this far back from the one after them, so they show the approach. */
const RECENT_SPACING_MS = 1000;
/** Below this distance two fixes give no usable bearing (GNSS noise). */
const MIN_BEARING_M = 5;

/**
 * The MSD of a car's emergency: its registered vehicle data, the detection (automatic
 * activation, when), and the GNSS fixes up to it — the newest as the position, two
 * earlier ones as recent positions, the direction from the fix's course or else the
 * bearing between the last fixes.
 */
export function buildMsd(input: { vehicle: VehicleInfo; detectedAt: number; fixes: GnssFix[]; automatic: boolean; testCall: boolean; passengers?: number }): Msd {
  const fixes = input.fixes.filter((f) => f.t <= input.detectedAt + RECENT_SPACING_MS).sort((a, b) => b.t - a.t);
  const now = fixes[0];
  const n1 = now && olderThan(fixes, now.t - RECENT_SPACING_MS);
  const n2 = n1 && olderThan(fixes, n1.t - RECENT_SPACING_MS);
  const msd: Msd = {
    version: 2,
    messageIdentifier: 1,
    automaticActivation: input.automatic,
    testCall: input.testCall,
    positionCanBeTrusted: !!now && now.accuracy <= TRUSTED_RADIUS_M,
    vehicleClass: input.vehicle.vehicleClass,
    vin: input.vehicle.vin,
    propulsion: input.vehicle.propulsion,
    timestamp: Math.floor(input.detectedAt / 1000),
    latitude: now ? toMilliarcseconds(now.lat) : POSITION_UNKNOWN,
    longitude: now ? toMilliarcseconds(now.lon) : POSITION_UNKNOWN,
    direction: now ? direction(now, n1) : DIRECTION_UNKNOWN,
  };
  const d1 = now && n1 ? delta(now, n1) : undefined;
  // N2 is relative to N1, so it is only sent after it.
  const d2 = d1 && n1 && n2 ? delta(n1, n2) : undefined;
  if (d1) msd.recentN1 = d1;
  if (d2) msd.recentN2 = d2;
  if (input.passengers !== undefined) msd.numberOfPassengers = input.passengers;
  return msd;
}

const olderThan = (newestFirst: GnssFix[], t: number) => newestFirst.find((f) => f.t <= t);

/** A recent position as the MSD's delta from `from` (100 milliarcseconds); out of range (> ~1.5 km) → left out. */
function delta(from: GnssFix, to: GnssFix): LocationDelta | undefined {
  const d = { latitudeDelta: Math.round((toMilliarcseconds(to.lat) - toMilliarcseconds(from.lat)) / 100), longitudeDelta: Math.round((toMilliarcseconds(to.lon) - toMilliarcseconds(from.lon)) / 100) };
  const ok = (v: number) => v >= -512 && v <= 511;
  return ok(d.latitudeDelta) && ok(d.longitudeDelta) ? d : undefined;
}

/** vehicleDirection: 2° steps (0..179) clockwise from north, 255 when there is neither a course nor movement. */
function direction(now: GnssFix, before: GnssFix | undefined): number {
  let deg = now.heading;
  if (deg === undefined && before) {
    const φ1 = (before.lat * Math.PI) / 180;
    const φ2 = (now.lat * Math.PI) / 180;
    const Δλ = ((now.lon - before.lon) * Math.PI) / 180;
    const metres = 6_371_000 * Math.hypot(φ2 - φ1, Δλ * Math.cos((φ1 + φ2) / 2));
    if (metres >= MIN_BEARING_M) deg = (Math.atan2(Math.sin(Δλ) * Math.cos(φ2), Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ)) * 180) / Math.PI;
  }
  if (deg === undefined) return DIRECTION_UNKNOWN;
  return Math.round((((deg % 360) + 360) % 360) / 2) % 180;
}

/**
 * The service URN of an eCall (RFC 8147 3): `urn:service:sos.ecall.automatic|manual`,
 * under `urn:service:test.sos` for the test service (RFC 6881 test calls).
 */
export function ecallUrn(routed: string, automatic: boolean): string | undefined {
  const m = /^urn:service:(test\.)?sos(\.[a-z0-9.-]+)?$/i.exec(routed);
  if (!m) return undefined;
  return `urn:service:${m[1] ? 'test.' : ''}sos.ecall.${automatic ? 'automatic' : 'manual'}`;
}

export const isTestService = (urn: string | undefined) => !!urn && /^urn:service:test\./i.test(urn);
