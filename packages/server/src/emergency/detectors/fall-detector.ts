import { clamp01, magnitude, stats, type Detection, type MotionSeries } from './detection.js';

/**
 * Fall thresholds, as wearables detect falls: (1) free fall, |a| well below 1 g for
 * a tenth of a second or more; (2) an impact soon after; (3) the wearer then lies
 * still, their orientation changed (standing → lying), for about a minute.
 * Running and jumping have (1) and (2) but never (3); sitting down has a small dip
 * and a soft landing, never (1) and (2).
 */
export const FALL_THRESHOLDS = {
  freeFallG: 0.5,
  minFreeFallMs: 100,
  impactG: 2.5,
  /** The impact follows the end of the free fall within this, ms. */
  impactWithinMs: 500,
  /** Inactivity after the impact: from `settleSeconds` after it, for `inactivitySeconds`, std of |a| below `stillStdG`. */
  settleSeconds: 2,
  inactivitySeconds: 60,
  stillStdG: 0.08,
  /** The gravity vector after the fall differs from the one before by at least this, degrees. */
  minOrientationChangeDeg: 45,
} as const;

export type FallThresholds = { -readonly [K in keyof typeof FALL_THRESHOLDS]: number };

export function detectFall(motion: MotionSeries, t: FallThresholds = FALL_THRESHOLDS): Detection | undefined {
  const a = motion.accel;
  const mag = Float64Array.from(a, magnitude);
  const dt = 1000 / motion.rate;
  const timeOf = (i: number) => motion.start + i * dt;
  const minFree = Math.max(1, Math.round(t.minFreeFallMs / dt));
  const within = Math.round(t.impactWithinMs / dt);
  const settleN = Math.round(t.settleSeconds * motion.rate);
  const inactiveN = Math.round(t.inactivitySeconds * motion.rate);
  let i = 0;
  while (i < mag.length) {
    if (mag[i] >= t.freeFallG) {
      i++;
      continue;
    }
    let end = i;
    while (end < mag.length && mag[end] < t.freeFallG) end++;
    const freeN = end - i;
    const next = end;
    if (freeN < minFree) {
      i = next;
      continue;
    }
    let impact = -1;
    for (let k = end; k < Math.min(mag.length, end + within); k++) if (mag[k] >= t.impactG && (impact < 0 || mag[k] > mag[impact])) impact = k;
    if (impact < 0) {
      i = next;
      continue;
    }
    const stillFrom = impact + settleN;
    if (stillFrom + inactiveN > mag.length) {
      i = next;
      continue;
    }
    const still = stats(mag, stillFrom, stillFrom + inactiveN);
    if (still.std > t.stillStdG) {
      i = next;
      continue;
    }
    const pre = meanVector(a, Math.max(0, i - Math.round(motion.rate)), i);
    const post = meanVector(a, stillFrom, stillFrom + inactiveN);
    const angle = angleDeg(pre, post);
    if (angle < t.minOrientationChangeDeg) {
      i = next;
      continue;
    }
    const freeMs = freeN * dt;
    const confidence = 0.7 + 0.1 * clamp01((freeMs - t.minFreeFallMs) / 300) + 0.1 * clamp01((mag[impact] - t.impactG) / 4) + 0.1 * clamp01((angle - t.minOrientationChangeDeg) / 45);
    return {
      kind: 'fall',
      confidence: Math.round(confidence * 100) / 100,
      window: { start: timeOf(Math.max(0, i - Math.round(motion.rate))), end: timeOf(stillFrom + inactiveN - 1) },
      evidence: { freeFallMs: Math.round(freeMs), impactG: Math.round(mag[impact] * 100) / 100, stillSeconds: t.inactivitySeconds, orientationChangeDeg: Math.round(angle) },
    };
  }
  return undefined;
}

function meanVector(a: MotionSeries['accel'], from: number, to: number): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  for (let i = from; i < to; i++) for (let k = 0; k < 3; k++) out[k] += a[i][k];
  const n = Math.max(1, to - from);
  return [out[0] / n, out[1] / n, out[2] / n];
}

function angleDeg(u: readonly number[], v: readonly number[]): number {
  const dot = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  const n = Math.hypot(u[0], u[1], u[2]) * Math.hypot(v[0], v[1], v[2]);
  return n === 0 ? 0 : (Math.acos(Math.min(1, Math.max(-1, dot / n))) * 180) / Math.PI;
}
