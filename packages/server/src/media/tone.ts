/**
 * Tone generation as 16-bit PCM: pure tones, dual tones and DTMF digits.
 * Used for in-band DTMF, ringback/progress tones and as test signals.
 */
import { type DtmfDigit, dtmfFrequencies } from './dtmf-digit.js';

export interface ToneOptions {
  sampleRate?: number;
  /** Level of each component in dBFS (full-scale sine = 0 dBFS). Default −10. */
  levelDbfs?: number;
}

/** Sums sines of the given frequencies, each at `levelDbfs`, for `durationMs`. */
export function generateTone(frequencies: readonly number[], durationMs: number, opts: ToneOptions = {}): Int16Array {
  const sampleRate = opts.sampleRate ?? 8000;
  const amplitude = 32767 * 10 ** ((opts.levelDbfs ?? -10) / 20);
  const out = new Int16Array(Math.round((durationMs * sampleRate) / 1000));
  const steps = frequencies.map((f) => (2 * Math.PI * f) / sampleRate);
  for (let i = 0; i < out.length; i++) {
    let v = 0;
    for (const step of steps) v += Math.sin(step * i);
    out[i] = Math.max(-32768, Math.min(32767, Math.round(v * amplitude)));
  }
  return out;
}

/**
 * A DTMF digit. Phones send the high group a few dB hotter than the low group
 * ("twist", to offset line loss at higher frequencies); `highGroupBoostDb` reproduces it.
 */
export function generateDtmf(
  digit: DtmfDigit,
  durationMs: number,
  opts: ToneOptions & { highGroupBoostDb?: number } = {},
): Int16Array {
  const [low, high] = dtmfFrequencies(digit);
  const level = opts.levelDbfs ?? -10;
  const lowTone = generateTone([low], durationMs, { ...opts, levelDbfs: level });
  const highTone = generateTone([high], durationMs, { ...opts, levelDbfs: level + (opts.highGroupBoostDb ?? 0) });
  for (let i = 0; i < lowTone.length; i++) {
    lowTone[i] = Math.max(-32768, Math.min(32767, lowTone[i] + highTone[i]));
  }
  return lowTone;
}
