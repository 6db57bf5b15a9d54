import { clamp01, magnitude, stats, type Detection, type Fix, type MotionSeries } from './detection.js';

/**
 * Crash thresholds. A vehicle crash shows as (1) an acceleration peak of several g
 * lasting tens of milliseconds, (2) the vehicle's speed dropping from driving speed
 * to about zero around it (GNSS), (3) the device then lying still. Potholes and a
 * phone dropped in the footwell give short peaks without (2); hard braking gives
 * (2) and (3) without (1).
 */
export const CRASH_THRESHOLDS = {
  /** Peak acceleration magnitude, g. */
  peakG: 4,
  /** Time spent above `impulseG` around the peak (±250 ms), ms: a crash pulse lasts 50–150 ms, a pothole spike ≤ 20 ms. */
  impulseG: 3,
  minImpulseMs: 30,
  /** Highest GNSS speed in the 15 s before the peak, m/s (25 km/h). */
  speedBeforeMps: 6.9,
  /** Lowest GNSS speed in the 15 s after the peak must fall to this, m/s (≈ 5 km/h). */
  speedAfterMps: 1.5,
  /** Without GNSS speeds around the peak a crash needs this much more: peak g. */
  peakWithoutSpeedG: 8,
  /** Stillness after the crash: starting `settleSeconds` after the peak, for `stillSeconds`, std of |a| below `stillStdG`. */
  settleSeconds: 2,
  stillSeconds: 5,
  stillStdG: 0.08,
} as const;

export type CrashThresholds = { -readonly [K in keyof typeof CRASH_THRESHOLDS]: number };

/** Looks for a crash in a motion series (with the GNSS fixes of the same stretch); undefined when there is none. */
export function detectCrash(motion: MotionSeries, fixes: readonly Fix[], t: CrashThresholds = CRASH_THRESHOLDS): Detection | undefined {
  const mag = Float64Array.from(motion.accel, magnitude);
  const dt = 1000 / motion.rate;
  const timeOf = (i: number) => motion.start + i * dt;
  const stillN = Math.round(t.stillSeconds * motion.rate);
  const settleN = Math.round(t.settleSeconds * motion.rate);
  let i = 0;
  while (i < mag.length) {
    if (mag[i] < t.peakG) {
      i++;
      continue;
    }
    // The peak of this excursion.
    let peak = i;
    let j = i;
    while (j < mag.length && mag[j] >= t.impulseG) {
      if (mag[j] > mag[peak]) peak = j;
      j++;
    }
    const next = Math.max(j, i + 1);
    const half = Math.round(0.25 * motion.rate);
    let above = 0;
    for (let k = Math.max(0, peak - half); k < Math.min(mag.length, peak + half); k++) if (mag[k] >= t.impulseG) above++;
    const impulseMs = above * dt;
    const stillFrom = peak + settleN;
    if (impulseMs < t.minImpulseMs || stillFrom + stillN > mag.length) {
      i = next;
      continue;
    }
    const still = stats(mag, stillFrom, stillFrom + stillN);
    if (still.std > t.stillStdG) {
      i = next;
      continue;
    }
    const tp = timeOf(peak);
    const speeds = (from: number, to: number) => fixes.filter((f) => f.speed !== undefined && f.t >= from && f.t <= to).map((f) => f.speed!);
    const before = speeds(tp - 15_000, tp);
    const after = speeds(tp, tp + 15_000);
    const peakG = mag[peak];
    let confidence: number;
    const evidence: Record<string, number> = { peakG: round(peakG), impulseMs: Math.round(impulseMs), stillStdG: round(still.std, 3) };
    if (before.length && after.length) {
      const vBefore = Math.max(...before);
      const vAfter = Math.min(...after);
      evidence.speedBeforeKmh = round(vBefore * 3.6, 1);
      evidence.speedAfterKmh = round(vAfter * 3.6, 1);
      if (vBefore < t.speedBeforeMps || vAfter > t.speedAfterMps) {
        i = next;
        continue;
      }
      confidence = 0.7 + 0.15 * clamp01((peakG - t.peakG) / 6) + 0.15 * clamp01((vBefore - t.speedBeforeMps) / 15);
    } else {
      if (peakG < t.peakWithoutSpeedG) {
        i = next;
        continue;
      }
      confidence = 0.55 + 0.15 * clamp01((peakG - t.peakWithoutSpeedG) / 8);
    }
    return {
      kind: 'crash',
      confidence: round(confidence, 2),
      window: { start: Math.max(motion.start, tp - 15_000), end: timeOf(stillFrom + stillN - 1) },
      evidence,
    };
  }
  return undefined;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
