/**
 * Sample-rate conversion by a rational factor L/M with a polyphase windowed-sinc FIR
 * (Kaiser window, ~80 dB stopband). The low-pass cuts at 90 % of the lower Nyquist
 * frequency with the transition band centred on it, so e.g. 48 kHz → 8 kHz passes
 * 0-3.2 kHz flat and removes everything above 4 kHz before it could alias into the
 * telephone band. Filters are designed once per rate pair and cached.
 */

interface PolyphaseFilter {
  up: number;
  down: number;
  /** Taps per phase. */
  taps: number;
  /** coefficients[phase * taps + k] = h[phase + k·up] · up (gain restored after zero-stuffing). */
  coefficients: Float32Array;
  /** Filter group delay in the upsampled domain, compensated so output aligns with input. */
  delay: number;
}

const STOPBAND_DB = 80;
const filters = new Map<string, PolyphaseFilter>();

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Modified Bessel function of the first kind, order 0 (series), for the Kaiser window. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function designFilter(fromRate: number, toRate: number): PolyphaseFilter {
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  const upRate = fromRate * up;
  const band = Math.min(fromRate, toRate) / 2;
  const cutoff = 0.9 * band;
  const transition = 0.2 * band;
  // Kaiser's length and beta formulas for the wanted attenuation and transition width.
  const length = Math.ceil((STOPBAND_DB - 8) / (2.285 * 2 * Math.PI * (transition / upRate)));
  const taps = Math.ceil(length / up);
  const n = taps * up;
  const beta = 0.1102 * (STOPBAND_DB - 8.7);
  const i0Beta = besselI0(beta);
  const fc = cutoff / upRate; // cycles per upsampled sample
  const centre = (n - 1) / 2;
  const coefficients = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = i - centre;
    const sinc = x === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * x) / (Math.PI * x);
    const r = (2 * i) / (n - 1) - 1;
    const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    const phase = i % up;
    coefficients[phase * taps + Math.floor(i / up)] = sinc * window * up;
  }
  return { up, down, taps, coefficients, delay: Math.floor(centre) };
}

function filterFor(fromRate: number, toRate: number): PolyphaseFilter {
  const key = `${fromRate}:${toRate}`;
  let f = filters.get(key);
  if (!f) {
    f = designFilter(fromRate, toRate);
    filters.set(key, f);
  }
  return f;
}

/** Converts mono 16-bit PCM from `fromRate` to `toRate` (both positive integers, Hz). */
export function resample(input: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
    throw new RangeError(`invalid sample rates ${fromRate} → ${toRate}`);
  }
  if (fromRate === toRate) return input.slice();
  const { up, down, taps, coefficients, delay } = filterFor(fromRate, toRate);
  const out = new Int16Array(Math.floor((input.length * up) / down));
  for (let o = 0; o < out.length; o++) {
    // Position in the zero-stuffed signal; only every `up`-th tap meets a real sample.
    const u = o * down + delay;
    const phase = u % up;
    const base = (u - phase) / up;
    const row = phase * taps;
    let acc = 0;
    const kMax = Math.min(taps - 1, base); // x[base - k] must exist
    for (let k = Math.max(0, base - input.length + 1); k <= kMax; k++) acc += coefficients[row + k] * input[base - k];
    out[o] = acc > 32767 ? 32767 : acc < -32768 ? -32768 : Math.round(acc);
  }
  return out;
}

/**
 * The same filter applied to a stream cut into frames: the last input samples are kept
 * between calls so the filter runs across frame edges as over one signal (a block
 * `resample` per frame would restart the filter each time and click 50 times a second).
 * It adds the filter's group delay once, at the start (~3 ms for 8 ↔ 48 kHz).
 */
export class StreamResampler {
  private readonly f: PolyphaseFilter;
  /** The input samples before the current frame that the filter still reaches. */
  private readonly history: Float32Array;
  /** Position of the next output in the upsampled signal, relative to history[0]. */
  private position: number;
  private work = new Float32Array(0);

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
      throw new RangeError(`invalid sample rates ${fromRate} → ${toRate}`);
    }
    this.f = filterFor(fromRate, toRate);
    this.history = new Float32Array(this.f.taps - 1);
    this.position = this.history.length * this.f.up;
  }

  /** Output samples the next `inputLength` input samples yield. */
  outputLength(inputLength: number): number {
    const { up, down } = this.f;
    const end = (this.history.length + inputLength) * up; // first upsampled position past the input
    return this.position >= end ? 0 : Math.ceil((end - this.position) / down);
  }

  /** Converts the next frame of mono PCM, into `out` when given (it must hold `outputLength`). */
  process(input: Int16Array, out: Int16Array = new Int16Array(this.outputLength(input.length))): Int16Array {
    const { up, down, taps, coefficients } = this.f;
    const h = this.history.length;
    const total = h + input.length;
    if (this.work.length < total) this.work = new Float32Array(total);
    const x = this.work;
    x.set(this.history);
    for (let i = 0; i < input.length; i++) x[h + i] = input[i];
    const n = this.outputLength(input.length);
    let u = this.position;
    for (let o = 0; o < n; o++, u += down) {
      const phase = u % up;
      const base = (u - phase) / up; // ≥ taps - 1: the history covers every tap
      const row = phase * taps;
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += coefficients[row + k] * x[base - k];
      out[o] = acc > 32767 ? 32767 : acc < -32768 ? -32768 : Math.round(acc);
    }
    this.position = u - input.length * up;
    this.history.set(x.subarray(total - h, total));
    return n === out.length ? out : out.subarray(0, n);
  }
}

/** Averages interleaved channels into one. */
export function mixdownToMono(interleaved: Int16Array, channels: number): Int16Array {
  if (channels === 1) return interleaved;
  const frames = Math.floor(interleaved.length / channels);
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i * channels + c];
    out[i] = Math.round(sum / channels);
  }
  return out;
}

/** Any decoded audio → 8 kHz mono, the format of every leg's media. */
export function toTelephonyPcm(samples: Int16Array, sampleRate: number, channels: number): Int16Array {
  return resample(mixdownToMono(samples, channels), sampleRate, 8000);
}
