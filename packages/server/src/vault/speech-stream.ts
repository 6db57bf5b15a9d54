import type { PcmStream } from '../media/pcm-stream.js';

/** A rendered (or still rendering) clip: `pcm` is set once `ready` resolves. */
export interface Clip {
  ready: Promise<Int16Array>;
  pcm: Int16Array | null;
}

/** What comes next in a reading: silence (samples), a section's label, or the digit at an index of the stream's digits. */
export type SpeechPart = { gap: number } | { label: number } | { digit: number };

const FRAME = 160;

/**
 * One card being read, played while its clips are still being rendered: a tick whose
 * clip is not ready yet (or that comes before `before`, the audit row, has resolved)
 * gets silence and the reading waits there. The parts name digits only by their
 * position in `digits`, the one copy of the number's digits, zeroed by `dispose`.
 * Rendering starts after the first frame is out (or with `start`), so spawning the
 * synthesizer never delays the reading's first packet.
 */
export class SpeechStream implements PcmStream {
  /** Resolves with the reading's length in ms once every clip is rendered (and `before` resolved); rejects if one cannot be. */
  readonly rendered: Promise<number>;
  private settle!: { resolve: (ms: number) => void; reject: (err: unknown) => void };
  private error: unknown = null;
  private open = false;
  private started = false;
  private part = 0;
  private offset = 0;
  private played = 0;
  private readonly labels: (Clip | undefined)[] = [];
  private readonly digitClips: (Clip | undefined)[] = new Array(10);

  constructor(
    private readonly parts: SpeechPart[],
    private readonly digits: Uint8Array,
    private readonly labelTexts: string[],
    private readonly clipOf: (text: string) => Clip,
    private readonly before: Promise<unknown>,
  ) {
    this.rendered = new Promise<number>((resolve, reject) => (this.settle = { resolve, reject }));
    this.rendered.catch(() => {});
  }

  /** Asks for the clips in the order they are heard, so the first rendered is the first needed. Idempotent. */
  start(): void {
    if (this.started || this.error !== null) return;
    this.started = true;
    const clips: Clip[] = [];
    for (const p of this.parts) {
      if ('label' in p) clips.push((this.labels[p.label] = this.clipOf(this.labelTexts[p.label])));
      else if ('digit' in p) {
        const d = this.digits[p.digit];
        if (!this.digitClips[d]) clips.push((this.digitClips[d] = this.clipOf(String(d))));
      }
    }
    const gate = this.before.then(() => {
      this.open = true;
    });
    Promise.all([gate, ...clips.map((c) => c.ready)]).then(
      () => this.settle.resolve(Math.round(this.total() / 8)),
      (err: unknown) => this.fail(err),
    );
  }

  /** Ends the reading at the next tick (what was heard stays heard). */
  fail(err: unknown): void {
    this.error ??= err;
    this.settle.reject(err);
  }

  /** Why the reading ended early, if it did. */
  get failure(): unknown {
    return this.error;
  }

  /** What has been played so far, silences waiting for a clip included. */
  get playedMs(): number {
    return Math.round(this.played / 8);
  }

  private pcmOf(p: SpeechPart): Int16Array | null {
    if ('gap' in p) return null;
    const clip = 'label' in p ? this.labels[p.label] : this.digitClips[this.digits[p.digit]];
    return clip?.pcm ?? null;
  }

  private lengthOf(p: SpeechPart): number {
    return 'gap' in p ? p.gap : (this.pcmOf(p)?.length ?? 0);
  }

  private total(): number {
    return this.parts.reduce((n, p) => n + this.lengthOf(p), 0);
  }

  next(frame: Int16Array): boolean {
    if (this.error !== null || this.part >= this.parts.length) return false;
    if (!this.started) setImmediate(() => this.start());
    let i = 0;
    while (i < FRAME) {
      const p = this.parts[this.part];
      if (!p) {
        frame.fill(0, i);
        break;
      }
      const pcm = this.pcmOf(p);
      if (!('gap' in p) && (!pcm || !this.open)) {
        // Not rendered yet: silence, and the same part again next tick.
        frame.fill(0, i);
        break;
      }
      const len = pcm ? pcm.length : this.lengthOf(p);
      const n = Math.min(len - this.offset, FRAME - i);
      if (pcm) frame.set(pcm.subarray(this.offset, this.offset + n), i);
      else frame.fill(0, i, i + n);
      i += n;
      this.offset += n;
      if (this.offset >= len) {
        this.part++;
        this.offset = 0;
      }
    }
    this.played += FRAME;
    return true;
  }

  /** The whole reading as one buffer, once `rendered` has resolved. */
  assemble(): Int16Array {
    const out = new Int16Array(this.total());
    let at = 0;
    for (const p of this.parts) {
      const pcm = this.pcmOf(p);
      if (pcm) out.set(pcm, at);
      at += this.lengthOf(p);
    }
    return out;
  }

  /** Zeroes the digits: after this nothing can tell which clip was to come when. */
  dispose(): void {
    this.digits.fill(0);
    this.part = this.parts.length;
  }
}
