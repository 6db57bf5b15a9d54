/**
 * Generated device data: what a car, a wearable or a smoke/CO alarm would send in an
 * emergency, and the everyday signals that must not look like one. The /phone
 * simulator sends these through the device API; the detectors' tests and the
 * emergency benchmark use the same generators. Deterministic for a given seed.
 */
import type { GnssFix } from '../api/emergency.js';

type Vec = [number, number, number];

/** mulberry32: a small seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const gauss = (rnd: () => number) => Math.sqrt(-2 * Math.log(rnd() || 1e-12)) * Math.cos(2 * Math.PI * rnd());

export interface MotionSignal {
  start: number;
  rate: number;
  accel: Vec[];
  gnss: GnssFix[];
}

export interface MotionOptions {
  start?: number;
  rate?: number;
  seed?: number;
  /** Where the GNSS fixes are (degrees) and their accuracy (m). */
  lat?: number;
  lon?: number;
  accuracy?: number;
}

/** Builds a motion signal from segments, each a function of time within it returning acceleration (g) and speed (m/s). */
function motion(opts: MotionOptions, segments: { seconds: number; at: (t: number, rnd: () => number) => { a: Vec; speed?: number } }[]): MotionSignal {
  const rate = opts.rate ?? 100;
  const start = opts.start ?? Date.UTC(2026, 0, 15, 8, 0, 0);
  const rnd = seededRandom(opts.seed ?? 1);
  const accel: Vec[] = [];
  const gnss: GnssFix[] = [];
  const lat0 = opts.lat ?? 48.8584;
  const lon0 = opts.lon ?? 2.2945;
  let dist = 0;
  let lastSecond = -1;
  let elapsed = 0;
  for (const seg of segments) {
    const n = Math.round(seg.seconds * rate);
    for (let i = 0; i < n; i++) {
      const { a, speed } = seg.at(i / rate, rnd);
      accel.push([round(a[0] + 0.01 * gauss(rnd)), round(a[1] + 0.01 * gauss(rnd)), round(a[2] + 0.01 * gauss(rnd))]);
      const t = elapsed + i / rate;
      dist += (speed ?? 0) / rate;
      if (Math.floor(t) !== lastSecond) {
        lastSecond = Math.floor(t);
        // Moving east along the parallel.
        const lon = lon0 + dist / (111_320 * Math.cos((lat0 * Math.PI) / 180));
        gnss.push({ t: start + Math.round(t * 1000), lat: round(lat0, 6), lon: round(lon, 6), accuracy: opts.accuracy ?? 8, speed: round(speed ?? 0, 2) });
      }
    }
    elapsed += n / rate;
  }
  return { start, rate, accel, gnss };
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const G: Vec = [0, 0, 1];
const halfSine = (t: number, width: number, peak: number) => (t >= 0 && t <= width ? peak * Math.sin((Math.PI * t) / width) : 0);
const vibration = (rnd: () => number, g: number): Vec => [g * gauss(rnd), g * gauss(rnd), 1 + g * gauss(rnd)];

/** A car crash: driving at `speed` m/s, a `peakG` frontal pulse of ~100 ms, the car stopped and still. */
export function crashSignal(o: MotionOptions & { peakG?: number; speed?: number; stillSeconds?: number } = {}): MotionSignal {
  const v = o.speed ?? 16;
  const peak = o.peakG ?? 7;
  return motion(o, [
    { seconds: 10, at: (_t, r) => ({ a: vibration(r, 0.04), speed: v }) },
    { seconds: 0.3, at: (t) => ({ a: [-halfSine(t - 0.05, 0.12, peak), 0.3 * halfSine(t - 0.05, 0.12, peak), 1], speed: v * Math.max(0, 1 - t / 0.2) }) },
    // Came to rest on its side: gravity now along y.
    { seconds: o.stillSeconds ?? 10, at: () => ({ a: [0, 1, 0.05], speed: 0 }) },
  ]);
}

/** Normal driving: vibration, gentle acceleration and braking, turns. */
export function drivingSignal(o: MotionOptions & { seconds?: number } = {}): MotionSignal {
  return motion(o, [{ seconds: o.seconds ?? 30, at: (t, r) => ({ a: [0.2 * Math.sin(t / 3) + 0.05 * gauss(r), 0.15 * Math.sin(t / 5), 1 + 0.05 * gauss(r)], speed: 14 + 3 * Math.sin(t / 6) }) }]);
}

/** A pothole at speed: a short sharp spike (up to `peakG`, ~10–20 ms), the car drives on. */
export function potholeSignal(o: MotionOptions & { peakG?: number } = {}): MotionSignal {
  const peak = o.peakG ?? 5;
  return motion(o, [
    { seconds: 10, at: (_t, r) => ({ a: vibration(r, 0.05), speed: 13 }) },
    { seconds: 0.2, at: (t) => ({ a: [0, 0.2 * halfSine(t, 0.02, peak), 1 + halfSine(t, 0.02, peak)], speed: 13 }) },
    { seconds: 12, at: (_t, r) => ({ a: vibration(r, 0.05), speed: 13 }) },
  ]);
}

/** Hard braking to a stop at a red light, then waiting still: a big speed drop without an impact. */
export function hardBrakingSignal(o: MotionOptions = {}): MotionSignal {
  return motion(o, [
    { seconds: 8, at: (_t, r) => ({ a: vibration(r, 0.04), speed: 20 }) },
    { seconds: 2.5, at: (t) => ({ a: [-0.85, 0, 1], speed: Math.max(0, 20 - 8 * t) }) },
    { seconds: 12, at: () => ({ a: [0, 0, 1], speed: 0 }) },
  ]);
}

/** A phone dropped in the footwell of a moving car: a spike, then it lies still while the car drives on. */
export function phoneDropInCarSignal(o: MotionOptions = {}): MotionSignal {
  return motion(o, [
    { seconds: 8, at: (_t, r) => ({ a: vibration(r, 0.04), speed: 15 }) },
    { seconds: 0.4, at: (t) => ({ a: [0, 0, t < 0.25 ? 0.1 : 1 + halfSine(t - 0.25, 0.03, 6)], speed: 15 }) },
    { seconds: 10, at: () => ({ a: [0.7, 0, 0.7], speed: 15 }) },
  ]);
}

/** A fall: standing (gravity along y, a wrist), free fall for `freeFallMs`, an impact, lying still (gravity along z). */
export function fallSignal(o: MotionOptions & { freeFallMs?: number; impactG?: number; stillSeconds?: number } = {}): MotionSignal {
  const ff = (o.freeFallMs ?? 350) / 1000;
  return motion(o, [
    { seconds: 5, at: (t, r) => ({ a: [0.05 * gauss(r), 1 + 0.1 * Math.sin(2 * Math.PI * 1.8 * t), 0.05 * gauss(r)] }) },
    { seconds: ff, at: () => ({ a: [0.05, 0.15, 0.05] }) },
    { seconds: 0.3, at: (t) => ({ a: [0.3, 0.6 + halfSine(t, 0.06, (o.impactG ?? 4) - 0.6), halfSine(t, 0.06, 1)] }) },
    { seconds: (o.stillSeconds ?? 62) + 0.5, at: () => ({ a: [0.05, 0.1, 0.99] }) },
  ]);
}

/** Walking: ~2 steps a second, ±0.35 g. */
export function walkingSignal(o: MotionOptions & { seconds?: number } = {}): MotionSignal {
  return motion(o, [{ seconds: o.seconds ?? 70, at: (t, r) => ({ a: [0.1 * Math.sin(2 * Math.PI * t) + 0.03 * gauss(r), 1 + 0.35 * Math.sin(2 * Math.PI * 2 * t), 0.05 * gauss(r)] }) }]);
}

/** Running: flight phases near 0 g (~120 ms) and landings near 2.8 g, 2.8 strides a second — free fall and impact, never stillness. */
export function runningSignal(o: MotionOptions & { seconds?: number } = {}): MotionSignal {
  const period = 1 / 2.8;
  return motion(o, [
    {
      seconds: o.seconds ?? 70,
      at: (t) => {
        const p = t % period;
        if (p < 0.12) return { a: [0.05, 0.2, 0.05] };
        return { a: [0.1, 1 + halfSine(p - 0.12, 0.1, 1.8), 0.1] };
      },
    },
  ]);
}

/** Sitting down: a small dip (0.7 g), a soft landing (1.6 g), then sitting still — the posture changes a little. */
export function sittingDownSignal(o: MotionOptions = {}): MotionSignal {
  return motion(o, [
    { seconds: 5, at: (_t, r) => ({ a: [0.03 * gauss(r), 1, 0.03 * gauss(r)] }) },
    { seconds: 0.5, at: (t) => ({ a: [0.1, 0.7, 0.2] as Vec, ...(t > 0.4 ? { a: [0.2, 1.6, 0.3] as Vec } : {}) }) },
    { seconds: 68, at: () => ({ a: [0.2, 0.9, 0.38] }) },
  ]);
}

/** Jumping off a step and standing still: free fall and impact, stillness, but the same posture before and after. */
export function jumpSignal(o: MotionOptions = {}): MotionSignal {
  return motion(o, [
    { seconds: 5, at: () => ({ a: [0, 1, 0] }) },
    { seconds: 0.3, at: () => ({ a: [0.05, 0.1, 0.05] }) },
    { seconds: 0.3, at: (t) => ({ a: [0, 1 + halfSine(t, 0.08, 2.5), 0] }) },
    { seconds: 68, at: () => ({ a: [0.02, 1, 0.02] }) },
  ]);
}

/** Lying down on a bed: the posture turns through 90° without free fall or impact, then stillness. */
export function lyingDownSignal(o: MotionOptions = {}): MotionSignal {
  return motion(o, [
    { seconds: 5, at: () => ({ a: [0, 1, 0] }) },
    { seconds: 2, at: (t) => ({ a: [0, Math.cos((t / 2) * (Math.PI / 2)), Math.sin((t / 2) * (Math.PI / 2))] }) },
    { seconds: 68, at: () => ({ a: [0, 0.02, 1] }) },
  ]);
}

/** Still on a table. */
export function stillSignal(o: MotionOptions & { seconds?: number } = {}): MotionSignal {
  return motion(o, [{ seconds: o.seconds ?? 70, at: () => ({ a: G }) }]);
}

export interface AudioSignal {
  start: number;
  rate: number;
  pcm: Int16Array;
}

export interface AudioOptions {
  start?: number;
  rate?: number;
  seed?: number;
  /** White noise level relative to full scale (0 = none). */
  noise?: number;
}

/** Mixes tone segments `[startSeconds, seconds, frequency, amplitude]` over `seconds` of audio. */
function audio(o: AudioOptions, seconds: number, fill: (pcm: Float32Array, rate: number, rnd: () => number) => void): AudioSignal {
  const rate = o.rate ?? 8000;
  const rnd = seededRandom(o.seed ?? 7);
  const buf = new Float32Array(Math.round(seconds * rate));
  fill(buf, rate, rnd);
  const pcm = new Int16Array(buf.length);
  for (let i = 0; i < buf.length; i++) {
    const x = buf[i] + (o.noise ?? 0) * gauss(rnd);
    pcm[i] = Math.max(-32767, Math.min(32767, Math.round(x * 32767)));
  }
  return { start: o.start ?? Date.UTC(2026, 0, 15, 8, 0, 0), rate, pcm };
}

function tone(buf: Float32Array, rate: number, at: number, seconds: number, freq: number, amp: number, decay = 0): void {
  const from = Math.round(at * rate);
  const n = Math.round(seconds * rate);
  const ramp = Math.round(0.004 * rate);
  for (let i = 0; i < n && from + i < buf.length; i++) {
    const env = Math.min(1, i / ramp, (n - i) / ramp) * (decay ? Math.exp(-i / rate / decay) : 1);
    buf[from + i] += amp * env * Math.sin((2 * Math.PI * freq * i) / rate);
  }
}

/** A smoke alarm sounding ISO 8201 temporal-three for `cycles` cycles; `timing` scales every duration (1 = nominal). */
export function smokeAlarmSignal(o: AudioOptions & { frequency?: number; cycles?: number; timing?: number; lead?: number } = {}): AudioSignal {
  const s = o.timing ?? 1;
  const cycles = o.cycles ?? 3;
  const lead = o.lead ?? 0.7;
  return audio(o, lead + cycles * 4 * s + 0.5, (buf, rate) => {
    for (let c = 0; c < cycles; c++) for (let p = 0; p < 3; p++) tone(buf, rate, lead + (c * 4 + p) * s, 0.5 * s, o.frequency ?? 3100, 0.5);
  });
}

/** A CO alarm sounding temporal-four (four 100 ms pulses, 5 s off) for `cycles` cycles. */
export function coAlarmSignal(o: AudioOptions & { frequency?: number; cycles?: number; timing?: number; pause?: number } = {}): AudioSignal {
  const s = o.timing ?? 1;
  const cycles = o.cycles ?? 2;
  const pause = o.pause ?? 5;
  return audio(o, 0.5 + cycles * (0.7 + pause) * s + 0.3, (buf, rate) => {
    for (let c = 0; c < cycles; c++) for (let p = 0; p < 4; p++) tone(buf, rate, 0.5 + (c * (0.7 + pause) + p * 0.2) * s, 0.1 * s, o.frequency ?? 3300, 0.5);
  });
}

/** Speech-like sound: voiced syllables (harmonics of a gliding 100–220 Hz voice through two formants), 3–5 a second. */
export function speechSignal(o: AudioOptions & { seconds?: number } = {}): AudioSignal {
  return audio(o, o.seconds ?? 12, (buf, rate, rnd) => {
    let t = 0.2;
    while (t < buf.length / rate - 0.4) {
      const len = 0.12 + 0.2 * rnd();
      const f0 = 100 + 120 * rnd();
      const f1 = 400 + 500 * rnd();
      const f2 = 1100 + 1200 * rnd();
      const from = Math.round(t * rate);
      const n = Math.round(len * rate);
      for (let i = 0; i < n && from + i < buf.length; i++) {
        const f = f0 * (1 + 0.15 * (i / n));
        let x = 0;
        for (let k = 1; k * f < 3500; k++) {
          const h = k * f;
          const gain = Math.exp(-(((h - f1) / 180) ** 2)) + 0.6 * Math.exp(-(((h - f2) / 250) ** 2)) + 0.05;
          x += gain * Math.sin((2 * Math.PI * h * i) / rate);
        }
        buf[from + i] += 0.12 * x * Math.sin((Math.PI * i) / n);
      }
      t += len + 0.05 + 0.25 * rnd();
    }
  });
}

/** Music: chords (three notes with harmonics) changing every half second or so, with a melody on top. */
export function musicSignal(o: AudioOptions & { seconds?: number } = {}): AudioSignal {
  const chords = [[261.6, 329.6, 392], [220, 261.6, 329.6], [174.6, 220, 261.6], [196, 246.9, 293.7]];
  return audio(o, o.seconds ?? 16, (buf, rate, rnd) => {
    let t = 0;
    let c = 0;
    while (t < buf.length / rate) {
      const len = [0.5, 0.5, 1, 0.25][Math.floor(rnd() * 4)];
      for (const f of chords[c % chords.length]) for (let k = 1; k <= 3; k++) tone(buf, rate, t, len, f * k, 0.08 / k, 0.6);
      tone(buf, rate, t, len / 2, chords[c % chords.length][2] * 2 * (1 + Math.floor(rnd() * 3) / 8), 0.1, 0.3);
      t += len;
      c++;
    }
  });
}

/** A kitchen timer going off: four 100 ms beeps 100 ms apart, then 0.6 s quiet, repeating — fast, never 5 s apart. */
export function kitchenTimerSignal(o: AudioOptions & { seconds?: number; frequency?: number } = {}): AudioSignal {
  return audio(o, o.seconds ?? 14, (buf, rate) => {
    for (let t = 0.3; t < buf.length / rate - 1.4; t += 1.3) for (let p = 0; p < 4; p++) tone(buf, rate, t + p * 0.2, 0.1, o.frequency ?? 2700, 0.4);
  });
}

/** A kitchen timer that beeps half a second on, half a second off, without pause. */
export function steadyBeepSignal(o: AudioOptions & { seconds?: number } = {}): AudioSignal {
  return audio(o, o.seconds ?? 14, (buf, rate) => {
    for (let t = 0.3; t < buf.length / rate - 1; t += 1) tone(buf, rate, t, 0.5, 3000, 0.4);
  });
}

/** A doorbell: ding (660 Hz) dong (523 Hz), decaying, rung three times. */
export function doorbellSignal(o: AudioOptions = {}): AudioSignal {
  return audio(o, 12, (buf, rate) => {
    for (const t of [0.5, 4.5, 8.5]) {
      for (let k = 1; k <= 3; k++) tone(buf, rate, t, 0.6, 660 * k, 0.3 / k, 0.4);
      for (let k = 1; k <= 3; k++) tone(buf, rate, t + 0.6, 1.2, 523 * k, 0.3 / k, 0.6);
    }
  });
}

/** A continuous tone (a test tone, a fridge alarm). */
export function continuousToneSignal(o: AudioOptions & { seconds?: number; frequency?: number } = {}): AudioSignal {
  return audio(o, o.seconds ?? 10, (buf, rate) => tone(buf, rate, 0, o.seconds ?? 10, o.frequency ?? 1000, 0.4));
}

/** Silence or room noise. */
export function roomNoiseSignal(o: AudioOptions & { seconds?: number } = {}): AudioSignal {
  return audio({ noise: 0.01, ...o }, o.seconds ?? 10, () => {});
}

/** Mixes `b` into `a` (same rate), `b` starting at sample 0. */
export function mixAudio(a: AudioSignal, b: AudioSignal, gain = 1): AudioSignal {
  const pcm = Int16Array.from(a.pcm);
  for (let i = 0; i < Math.min(pcm.length, b.pcm.length); i++) pcm[i] = Math.max(-32767, Math.min(32767, pcm[i] + gain * b.pcm[i]));
  return { ...a, pcm };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** 16-bit little-endian PCM as base64 (what a batch's `audio.data` carries), without Buffer or btoa. */
export function pcm16ToBase64(pcm: Int16Array): string {
  const bytes = new Uint8Array(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) {
    bytes[2 * i] = pcm[i] & 0xff;
    bytes[2 * i + 1] = (pcm[i] >> 8) & 0xff;
  }
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? B64[n & 63] : '=');
  }
  return out;
}
