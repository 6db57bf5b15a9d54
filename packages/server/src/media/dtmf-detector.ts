/**
 * In-band DTMF detection on 8 kHz PCM with the Goertzel algorithm, for callers whose
 * equipment sends digits as audio instead of RFC 4733 events.
 *
 * Each analysis window is 205 samples (25.6 ms, the classic choice: bins land close to
 * all eight Q.23 frequencies and neighbouring tones leak < −20 dB), advanced every 80
 * samples (10 ms). A window votes for a digit only when all of these hold:
 * - both tones are loud enough (absolute energy floor),
 * - together they carry most of the window's energy (rejects speech and noise, whose
 *   energy is spread over many frequencies),
 * - each is clearly the strongest of its group (relative peak, rejects chords/music),
 * - the level difference between the groups ("twist") is within 8 dB when the high
 *   group is louder and 4 dB when the low group is louder (the usual detector limits,
 *   cf. ITU-T Q.24),
 * and a digit is reported once, after consecutive votes amount to `minDurationMs`
 * (40 ms, after Q.24; measured: tones ≥ 45 ms are always accepted, ≤ 35 ms always
 * rejected, 40 ms depends on alignment with the analysis windows).
 */
import { blockEnergy, goertzelPower } from './goertzel.js';
import { type DtmfDigit, DTMF_COLUMN_HZ, DTMF_ROW_HZ, dtmfDigitAt } from './dtmf-digit.js';

const SAMPLE_RATE = 8000;
const WINDOW = 205;
const HOP = 80;
/** Both tones together must carry this share of the window energy. */
const MIN_TONE_SHARE = 0.6;
/** Strongest tone of a group must exceed the others in it by 8 dB. */
const RELATIVE_PEAK = 10 ** (8 / 10);
const MAX_HIGH_LOUDER = 10 ** (8 / 10);
const MAX_LOW_LOUDER = 10 ** (4 / 10);
/** Windows without the reported digit before it can be reported again (≈ 20 ms pause). */
const RELEASE_WINDOWS = 2;

export interface DtmfDetectorOptions {
  /** Minimum tone duration before a digit is reported, ms. Default 40. */
  minDurationMs?: number;
  /** Minimum level of each tone, dBFS. Default −36. */
  minLevelDbfs?: number;
}

const NONE: readonly DtmfDigit[] = [];

export class DtmfDetector {
  private readonly pending = new Float64Array(WINDOW + 4096);
  private pendingLength = 0;
  private readonly rowPower = new Float64Array(4);
  private readonly columnPower = new Float64Array(4);
  private readonly minVotes: number;
  private readonly minTonePower: number;
  private candidate: DtmfDigit | null = null;
  private votes = 0;
  private reported: DtmfDigit | null = null;
  private missesSinceReported = 0;

  constructor(opts: DtmfDetectorOptions = {}) {
    // Windows only partly covered by a tone still vote (silence adds no energy to spoil
    // the ratios), so a tone of duration D collects ≈ D / hop votes.
    this.minVotes = Math.max(1, Math.round((opts.minDurationMs ?? 40) / ((HOP / SAMPLE_RATE) * 1000)));
    const amplitude = 32767 * 10 ** ((opts.minLevelDbfs ?? -36) / 20);
    this.minTonePower = (amplitude * amplitude * WINDOW) / 2;
  }

  /** Feeds 8 kHz samples; returns the digits whose onset was confirmed in them. */
  process(samples: Int16Array): readonly DtmfDigit[] {
    let found: DtmfDigit[] | null = null;
    let i = 0;
    while (i < samples.length) {
      const n = Math.min(samples.length - i, this.pending.length - this.pendingLength);
      for (let k = 0; k < n; k++) this.pending[this.pendingLength + k] = samples[i + k];
      this.pendingLength += n;
      i += n;
      let offset = 0;
      while (this.pendingLength - offset >= WINDOW) {
        const digit = this.onWindow(this.classify(offset));
        if (digit) (found ??= []).push(digit);
        offset += HOP;
      }
      this.pending.copyWithin(0, offset, this.pendingLength);
      this.pendingLength -= offset;
    }
    return found ?? NONE;
  }

  /** Forgets partial state, e.g. after a gap in the audio. */
  reset(): void {
    this.pendingLength = 0;
    this.candidate = null;
    this.votes = 0;
    this.reported = null;
    this.missesSinceReported = 0;
  }

  /**
   * Runs on every window of every SIP leg without telephone-event, so the cheap tests
   * come first and most windows (silence, speech) stop after one pass for the energy or
   * five (energy + the row group) instead of nine. Each early exit is implied by the full
   * test, so the verdicts are unchanged:
   * - a Goertzel power is at most twice the block energy (Cauchy–Schwarz), so a window
   *   quieter than half the tone floor cannot hold a tone at the floor;
   * - the high tone is at most MAX_HIGH_LOUDER × the low one, so low + high ≥ share × E
   *   needs low ≥ share × E / (1 + MAX_HIGH_LOUDER).
   */
  private classify(offset: number): DtmfDigit | null {
    const energy = blockEnergy(this.pending, offset, WINDOW);
    if (energy < this.minTonePower / 2) return null;
    const row = this.strongest(DTMF_ROW_HZ, this.rowPower, offset);
    if (row < 0) return null;
    const low = this.rowPower[row];
    if (low < this.minTonePower || low * (1 + MAX_HIGH_LOUDER) < MIN_TONE_SHARE * energy) return null;
    const column = this.strongest(DTMF_COLUMN_HZ, this.columnPower, offset);
    if (column < 0) return null;
    const high = this.columnPower[column];
    if (high < this.minTonePower) return null;
    if (high > low * MAX_HIGH_LOUDER || low > high * MAX_LOW_LOUDER) return null;
    if (low + high < MIN_TONE_SHARE * energy) return null;
    return dtmfDigitAt(row, column);
  }

  /** Index of the group's dominant frequency, or −1 if none dominates by RELATIVE_PEAK. */
  private strongest(frequencies: readonly number[], power: Float64Array, offset: number): number {
    let best = 0;
    for (let k = 0; k < 4; k++) {
      power[k] = goertzelPower(this.pending, frequencies[k], SAMPLE_RATE, offset, WINDOW);
      if (power[k] > power[best]) best = k;
    }
    for (let k = 0; k < 4; k++) {
      if (k !== best && power[best] < power[k] * RELATIVE_PEAK) return -1;
    }
    return best;
  }

  private onWindow(digit: DtmfDigit | null): DtmfDigit | null {
    if (this.reported !== null) {
      if (digit === this.reported) {
        this.missesSinceReported = 0;
        return null;
      }
      if (++this.missesSinceReported < RELEASE_WINDOWS) return null;
      this.reported = null;
    }
    if (digit === null || digit !== this.candidate) {
      this.candidate = digit;
      this.votes = digit === null ? 0 : 1;
    } else {
      this.votes++;
    }
    if (this.candidate !== null && this.votes >= this.minVotes) {
      this.reported = this.candidate;
      this.missesSinceReported = 0;
      this.candidate = null;
      this.votes = 0;
      return this.reported;
    }
    return null;
  }
}
