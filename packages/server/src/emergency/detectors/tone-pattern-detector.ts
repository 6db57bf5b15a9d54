import type { AudioSeries, Detection } from './detection.js';
import { PowerSpectrum } from './fft.js';

/** An alarm's temporal pattern: `pulses` tones of `onSeconds`, `offSeconds` apart, then `longOffSeconds` of silence, repeating. */
export interface TemporalPattern {
  kind: 'smoke' | 'co';
  pulses: number;
  onSeconds: number;
  offSeconds: number;
  longOffSeconds: number;
  /** Relative tolerance of each duration (ISO 8201: ±10 %). */
  tolerance: number;
  /** Cycles in a row before it fires. */
  minCycles: number;
}

/** ISO 8201 / NFPA 72 temporal-three, the evacuation (smoke/fire) signal: three 0.5 s tones 0.5 s apart, 1.5 s off. */
export const TEMPORAL_THREE: TemporalPattern = { kind: 'smoke', pulses: 3, onSeconds: 0.5, offSeconds: 0.5, longOffSeconds: 1.5, tolerance: 0.1, minCycles: 2 };
/** Temporal-four, the carbon-monoxide signal (UL 2034 / EN 50291): four 100 ms pulses 100 ms apart, 5 s off. */
export const TEMPORAL_FOUR: TemporalPattern = { kind: 'co', pulses: 4, onSeconds: 0.1, offSeconds: 0.1, longOffSeconds: 5, tolerance: 0.1, minCycles: 2 };

/**
 * How a frame counts as part of a tone. Frequency-agnostic: an alarm is whatever
 * narrow band holds most of a frame's energy (alarms sound anywhere from 520 Hz to
 * 3.2 kHz); pulses are runs of such frames at a steady frequency, and only pulses of
 * one band form a pattern.
 */
export const TONE_THRESHOLDS = {
  /** Analysis hop, seconds; the window is the largest power of two ≤ 20 ms of samples. */
  hopSeconds: 0.01,
  /** Share of the frame's energy in the peak bin and its two neighbours. */
  minTonality: 0.6,
  /** Frame level, dBFS. */
  minLevelDb: -50,
  /** Ignore peaks below this (hum, wind). */
  minFrequencyHz: 200,
  /** One band: frequencies within this fraction of each other. */
  bandTolerance: 0.04,
  /** Extra slack on every duration for the analysis window's smear, seconds. */
  timingSlackSeconds: 0.03,
} as const;

interface Pulse {
  start: number;
  end: number;
  freq: number;
}

/** Finds tonal pulses in audio: each a run of tonal frames at one steady frequency (times in seconds from the series start). */
export function tonalPulses(audio: AudioSeries, th = TONE_THRESHOLDS): Pulse[] {
  const hop = Math.max(1, Math.round(audio.rate * th.hopSeconds));
  let size = 2;
  while (size * 2 <= audio.rate * 0.02) size *= 2;
  const fft = new PowerSpectrum(size);
  const binHz = audio.rate / size;
  const minBin = Math.max(2, Math.ceil(th.minFrequencyHz / binHz));
  const minPower = (10 ** (th.minLevelDb / 10)) * 32768 * 32768 * size;
  const pulses: Pulse[] = [];
  let run: { first: number; last: number; freq: number; n: number } | null = null;
  const close = () => {
    if (run && run.n >= 2) pulses.push({ start: (run.first * hop) / audio.rate, end: (run.last * hop + size) / audio.rate, freq: run.freq });
    run = null;
  };
  const frames = Math.floor((audio.pcm.length - size) / hop) + 1;
  for (let f = 0; f < frames; f++) {
    const from = f * hop;
    let energy = 0;
    for (let i = 0; i < size; i++) energy += audio.pcm[from + i] * audio.pcm[from + i];
    let freq = 0;
    if (energy >= minPower) {
      const p = fft.compute(audio.pcm, from);
      let total = 0;
      let peak = minBin;
      for (let k = 1; k < p.length; k++) {
        total += p[k];
        if (k >= minBin && k < p.length - 1 && p[k] > p[peak]) peak = k;
      }
      const share = (p[peak - 1] + p[peak] + p[peak + 1]) / (total || 1);
      if (share >= th.minTonality) {
        const [a, b, c] = [Math.sqrt(p[peak - 1]), Math.sqrt(p[peak]), Math.sqrt(p[peak + 1])];
        const delta = (a - c) / (2 * (a - 2 * b + c) || 1);
        freq = (peak + (Number.isFinite(delta) ? Math.max(-0.5, Math.min(0.5, delta)) : 0)) * binHz;
      }
    }
    const same = run && freq > 0 && Math.abs(freq - run.freq) <= Math.max(binHz * 1.5, run.freq * th.bandTolerance);
    if (same && run) {
      run.last = f;
      run.n++;
    } else if (run && f - run.last <= 2 && freq === 0) {
      // A frame or two lost to noise inside a tone: the run goes on if the tone comes back.
      continue;
    } else {
      close();
      if (freq > 0) run = { first: f, last: f, freq, n: 1 };
    }
  }
  close();
  return pulses;
}

/** Looks for `pattern` repeating at least `minCycles` times in one tonal band. */
export function detectTemporalPattern(audio: AudioSeries, pattern: TemporalPattern, th = TONE_THRESHOLDS): Detection | undefined {
  const pulses = tonalPulses(audio, th);
  const bands: Pulse[][] = [];
  for (const p of pulses) {
    const band = bands.find((b) => Math.abs(b[0].freq - p.freq) <= b[0].freq * th.bandTolerance);
    if (band) band.push(p);
    else bands.push([p]);
  }
  const within = (x: number, nominal: number) => Math.abs(x - nominal) <= nominal * pattern.tolerance + th.timingSlackSeconds;
  let best: { groups: Pulse[][]; freq: number } | undefined;
  for (const band of bands) {
    // Split the band's pulses into groups at every gap that is not a short one.
    const groups: Pulse[][] = [];
    let group: Pulse[] = [];
    for (const p of band) {
      const prev = group[group.length - 1];
      if (prev && within(p.start - prev.end, pattern.offSeconds)) group.push(p);
      else {
        if (group.length) groups.push(group);
        group = [p];
      }
    }
    if (group.length) groups.push(group);
    // Chains of well-formed groups, each `longOffSeconds` after the previous.
    let chain: Pulse[][] = [];
    const valid = (g: Pulse[]) => g.length === pattern.pulses && g.every((p) => within(p.end - p.start, pattern.onSeconds));
    for (const g of groups) {
      const last = chain[chain.length - 1];
      if (!valid(g)) {
        chain = [];
        continue;
      }
      if (last && within(g[0].start - last[last.length - 1].end, pattern.longOffSeconds)) chain.push(g);
      else chain = [g];
      if (chain.length >= pattern.minCycles && (!best || chain.length > best.groups.length)) best = { groups: [...chain], freq: band[0].freq };
    }
  }
  if (!best) return undefined;
  const all = best.groups.flat();
  const on = all.reduce((s, p) => s + (p.end - p.start), 0) / all.length;
  const cycles = best.groups.length;
  return {
    kind: pattern.kind,
    confidence: Math.min(0.97, 0.8 + 0.05 * (cycles - pattern.minCycles)),
    window: { start: Math.round(audio.start + all[0].start * 1000), end: Math.round(audio.start + all[all.length - 1].end * 1000) },
    evidence: { cycles, frequencyHz: Math.round(best.freq), onMs: Math.round(on * 1000) },
  };
}

export const detectSmokeAlarm = (audio: AudioSeries) => detectTemporalPattern(audio, TEMPORAL_THREE);
export const detectCoAlarm = (audio: AudioSeries) => detectTemporalPattern(audio, TEMPORAL_FOUR);
