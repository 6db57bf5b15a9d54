import type { GnssFix } from '@callsight/protocol';

/** What a detector found in a device's data: what, how sure, and the stretch of data that shows it. */
export interface Detection {
  kind: 'crash' | 'fall' | 'smoke' | 'co';
  /** 0..1; a detector reports only what clears its own firing threshold. */
  confidence: number;
  /** The evidence window, device time (epoch ms). */
  window: { start: number; end: number };
  /** The figures the decision rested on (peak g, speeds, pulse counts…), for the timeline and the spoken message. */
  evidence: Record<string, number>;
}

/** Acceleration in g (x, y, z per sample) at a fixed rate, the first sample at `start` (epoch ms). */
export interface MotionSeries {
  start: number;
  rate: number;
  accel: readonly (readonly [number, number, number])[];
}

/** A GNSS fix as devices send it (WGS 84; `speed` in m/s, `accuracy` the horizontal 1-σ radius in metres). */
export type Fix = GnssFix;

/** Mono PCM (16-bit samples) at `rate` Hz, the first sample at `start` (epoch ms). */
export interface AudioSeries {
  start: number;
  rate: number;
  pcm: Int16Array;
}

export const magnitude = (a: readonly [number, number, number]) => Math.hypot(a[0], a[1], a[2]);

export function stats(values: ArrayLike<number>, from: number, to: number): { mean: number; std: number; n: number } {
  let sum = 0;
  let sq = 0;
  const n = Math.max(0, to - from);
  for (let i = from; i < to; i++) {
    sum += values[i];
    sq += values[i] * values[i];
  }
  const mean = n ? sum / n : 0;
  return { mean, std: n ? Math.sqrt(Math.max(0, sq / n - mean * mean)) : 0, n };
}

export const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
