import type { Tts } from '../media/tts.js';

/** 8 kHz samples per millisecond. */
const PER_MS = 8;
/** RMS level every clip is brought to (about -18 dBFS), peaks limited below full scale. */
const TARGET_RMS = 4000;
const PEAK_LIMIT = 30000;

export interface SpeechOptions {
  voice?: string;
  /** Words per minute (espeak-ng -s). */
  rate?: number;
}

/** One section of what is read: a spoken label ("Card number") then groups of digits. */
export interface SpeechSection {
  label: string;
  /** ASCII digits, in groups (4-4-4-4, 4-6-5…): each group is a Buffer so it can be zeroed. */
  groups: Buffer[];
}

/**
 * Reads card digits aloud from pre-rendered clips, one per digit (espeak-ng reads a run
 * of digits as one big number, and its SSML `say-as characters` inserts "comma"), so
 * no number ever reaches a TTS process or its cache: only "0".."9" and the labels are
 * synthesized, once per voice and rate. Each clip is trimmed of its silence and
 * level-normalized, so every digit is heard at the same level; digits are 150 ms
 * apart, groups 450 ms, sections 700 ms.
 */
export class CardSpeech {
  private readonly clips = new Map<string, Promise<Int16Array>>();

  constructor(private readonly tts: Tts) {}

  private clip(text: string, opts: SpeechOptions): Promise<Int16Array> {
    const key = `${opts.voice ?? ''}|${opts.rate ?? ''}|${text}`;
    let c = this.clips.get(key);
    if (!c) {
      c = this.tts.synthesize(text, { voice: opts.voice, rate: opts.rate }).then((pcm) => normalize(trim(pcm)));
      c.catch(() => this.clips.delete(key));
      this.clips.set(key, c);
    }
    return c;
  }

  /** The clip of each digit, for tests and the benchmark (template matching). */
  digitClip(digit: number, opts: SpeechOptions = {}): Promise<Int16Array> {
    return this.clip(String(digit), opts);
  }

  /** Renders the sections to 8 kHz PCM; the caller zeroes the result once sent. */
  async render(sections: SpeechSection[], opts: SpeechOptions = {}): Promise<Int16Array> {
    const digits = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => this.clip(String(d), opts)));
    const labels = await Promise.all(sections.map((s) => this.clip(s.label, opts)));
    const parts: Int16Array[] = [];
    const gap = (ms: number) => parts.push(new Int16Array(ms * PER_MS));
    gap(200);
    sections.forEach((section, si) => {
      if (si > 0) gap(700);
      parts.push(labels[si]);
      gap(450);
      section.groups.forEach((group, gi) => {
        if (gi > 0) gap(450);
        for (let i = 0; i < group.length; i++) {
          if (i > 0) gap(150);
          parts.push(digits[group[i] - 48]);
        }
      });
    });
    gap(200);
    const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Drops leading and trailing silence (below ~-50 dBFS). */
export function trim(pcm: Int16Array, threshold = 100): Int16Array {
  let a = 0;
  let b = pcm.length;
  while (a < b && Math.abs(pcm[a]) < threshold) a++;
  while (b > a && Math.abs(pcm[b - 1]) < threshold) b--;
  return pcm.slice(a, b);
}

/** Scales to the target RMS, limited so the loudest sample stays below full scale. */
export function normalize(pcm: Int16Array): Int16Array {
  let sum = 0;
  let peak = 0;
  for (const s of pcm) {
    sum += s * s;
    if (Math.abs(s) > peak) peak = Math.abs(s);
  }
  const rms = Math.sqrt(sum / Math.max(1, pcm.length));
  if (rms === 0) return pcm;
  const gain = Math.min(TARGET_RMS / rms, PEAK_LIMIT / peak);
  const out = new Int16Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = Math.round(pcm[i] * gain);
  return out;
}
