import type { Tts } from '../media/tts.js';
import { SpeechStream, type SpeechPart, type Clip } from './speech-stream.js';

/** 8 kHz samples per millisecond. */
const PER_MS = 8;
/** RMS level every clip is brought to (about -18 dBFS), peaks limited below full scale. */
const TARGET_RMS = 4000;
const PEAK_LIMIT = 30000;
/** Silence before the first word: the customer's microphone is already gated, so their last words do not run into the digits. */
const LEAD_IN_MS = 60;
/** espeak-ng runs at once: more than the cores only makes the first clip (what is heard first) later. */
const DEFAULT_CONCURRENCY = 2;

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
 * synthesized, once per voice and rate, and the cache holds nothing else. Each clip is
 * trimmed of its silence and level-normalized, so every digit is heard at the same
 * level; digits are 150 ms apart, groups 450 ms, sections 700 ms.
 *
 * A reading is a stream (`stream`): it plays silence from the first tick and each
 * clip as soon as it is rendered, the clips rendered in the order they are heard.
 */
export class CardSpeech {
  private readonly clips = new Map<string, Clip>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;

  constructor(
    private readonly tts: Tts,
    private readonly concurrency = DEFAULT_CONCURRENCY,
  ) {}

  private clip(text: string, opts: SpeechOptions): Clip {
    const key = `${opts.voice ?? ''}|${opts.rate ?? ''}|${text}`;
    let c = this.clips.get(key);
    if (!c) {
      const clip: Clip = { pcm: null, ready: this.queued(() => this.tts.synthesize(text, { voice: opts.voice, rate: opts.rate })).then((pcm) => (clip.pcm = normalize(trim(pcm)))) };
      clip.ready.catch(() => this.clips.delete(key));
      this.clips.set(key, clip);
      c = clip;
    }
    return c;
  }

  /** Runs `job` once fewer than `concurrency` syntheses are running, in the order asked. */
  private queued<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = () => {
        this.running++;
        job()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.waiting.shift()?.();
          });
      };
      if (this.running < this.concurrency) run();
      else this.waiting.push(run);
    });
  }

  /** The clip of each digit, for tests and the benchmark (template matching). */
  digitClip(digit: number, opts: SpeechOptions = {}): Promise<Int16Array> {
    return this.clip(String(digit), opts).ready;
  }

  /** Renders a voice's digits and `labels` ahead of any reading, so the first one is heard at once. */
  async warm(labels: string[], opts: SpeechOptions = {}): Promise<void> {
    await Promise.all([...labels, '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].map((t) => this.clip(t, opts).ready));
  }

  /**
   * A reading of `sections` that can start playing at once: silence until `before`
   * has resolved and the next clip is rendered, then each clip in turn. Only the
   * stream's own copy of the digits says which clip comes when; `dispose` zeroes it.
   */
  stream(sections: SpeechSection[], opts: SpeechOptions = {}, before: Promise<unknown> = Promise.resolve()): SpeechStream {
    const count = sections.reduce((n, s) => n + s.groups.reduce((m, g) => m + g.length, 0), 0);
    const digits = new Uint8Array(count);
    const parts: SpeechPart[] = [];
    const gap = (ms: number) => parts.push({ gap: ms * PER_MS });
    let at = 0;
    gap(LEAD_IN_MS);
    sections.forEach((section, si) => {
      if (si > 0) gap(700);
      parts.push({ label: si });
      gap(450);
      section.groups.forEach((group, gi) => {
        if (gi > 0) gap(450);
        for (let i = 0; i < group.length; i++) {
          if (i > 0) gap(150);
          digits[at] = group[i] - 48;
          parts.push({ digit: at++ });
        }
      });
    });
    gap(200);
    return new SpeechStream(parts, digits, sections.map((s) => s.label), (text) => this.clip(text, opts), before);
  }

  /** Renders the sections to 8 kHz PCM at once; the caller zeroes the result once used. */
  async render(sections: SpeechSection[], opts: SpeechOptions = {}): Promise<Int16Array> {
    const s = this.stream(sections, opts);
    try {
      s.start();
      await s.rendered;
      return s.assemble();
    } finally {
      s.dispose();
    }
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
