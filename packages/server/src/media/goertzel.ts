/**
 * The Goertzel algorithm: the power of one frequency in a block of samples, in O(N)
 * with one multiply per sample — far cheaper than an FFT when only a handful of
 * frequencies matter (DTMF detection, tone checks in tests).
 */

/**
 * Power of `frequency` in `samples[start, start+length)`, normalised so that a sine of
 * amplitude A at exactly that frequency yields ≈ A²·length/2, i.e. the same scale as
 * the block energy Σx² — so the ratio of the two is the tone's share of the energy.
 */
export function goertzelPower(
  samples: ArrayLike<number>,
  frequency: number,
  sampleRate: number,
  start = 0,
  length = samples.length - start,
): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = start, end = start + length; i < end; i++) {
    const s0 = samples[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2; // |X(f)|²
  return (2 * power) / length;
}

/** Σx² over the same block: the reference for `goertzelPower` ratios. */
export function blockEnergy(samples: ArrayLike<number>, start = 0, length = samples.length - start): number {
  let e = 0;
  for (let i = start, end = start + length; i < end; i++) e += samples[i] * samples[i];
  return e;
}
