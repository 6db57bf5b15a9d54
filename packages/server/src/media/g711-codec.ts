/**
 * PCMU and PCMA behind the AudioCodec interface. The codec itself is 8 kHz; frames at
 * 16 or 48 kHz (a wideband mix, an Opus room) go through the streaming resampler.
 * Concealment repeats the last good frame fading to silence over 100 ms, as the jitter
 * buffer does (G.711 Appendix I style).
 */
import { type AudioCodec, type CodecOptions, type CodecStats, type PcmRate, emptyCodecStats } from './codec.js';
import { type G711Law, g711Decode, g711Encode } from './g711.js';
import { StreamResampler } from './resample.js';

const FADE_FRAMES = 5;
/** Longest payload accepted: 120 ms, beyond any ptime a phone negotiates. */
const MAX_PAYLOAD = 960;

export class G711Codec implements AudioCodec {
  readonly name: 'pcmu' | 'pcma';
  readonly rtpClockRate = 8000;
  readonly sampleRate: PcmRate;
  readonly channels = 1 as const;
  readonly frameSamples: number;
  readonly rtpFrameTicks: number;
  readonly stats: CodecStats = emptyCodecStats();
  private readonly down: StreamResampler | null;
  private readonly up: StreamResampler | null;
  private readonly bytes: Uint8Array;
  private last: Int16Array;
  private lostInRow = 0;

  constructor(
    readonly law: G711Law,
    opts: CodecOptions = {},
  ) {
    this.name = law === 'ulaw' ? 'pcmu' : 'pcma';
    if (opts.channels === 2) throw new RangeError('G.711 is mono');
    this.sampleRate = opts.sampleRate ?? 8000;
    const frameMs = opts.frameMs ?? 20;
    this.frameSamples = (this.sampleRate * frameMs) / 1000;
    this.rtpFrameTicks = 8 * frameMs;
    this.bytes = new Uint8Array(this.rtpFrameTicks);
    this.down = this.sampleRate === 8000 ? null : new StreamResampler(this.sampleRate, 8000);
    this.up = this.sampleRate === 8000 ? null : new StreamResampler(8000, this.sampleRate);
    this.last = new Int16Array(this.frameSamples);
  }

  encode(pcm: Int16Array): Uint8Array {
    if (pcm.length !== this.frameSamples) throw new RangeError(`G.711 frame must hold ${this.frameSamples} samples, got ${pcm.length}`);
    const narrow = this.down ? this.down.process(pcm) : pcm;
    this.stats.encoded++;
    return g711Encode(this.law, narrow, narrow.length === this.bytes.length ? this.bytes : new Uint8Array(narrow.length));
  }

  decode(payload: Uint8Array): Int16Array | null {
    if (payload.length === 0 || payload.length > MAX_PAYLOAD) {
      this.stats.dropped++;
      return null;
    }
    const narrow = g711Decode(this.law, payload);
    const frame = this.up ? this.up.process(narrow) : narrow;
    this.stats.decoded++;
    this.lostInRow = 0;
    this.last = frame;
    return frame;
  }

  conceal(): Int16Array {
    this.stats.concealed++;
    const frame = new Int16Array(this.frameSamples);
    const from = Math.max(0, 1 - this.lostInRow / FADE_FRAMES);
    const to = Math.max(0, 1 - (this.lostInRow + 1) / FADE_FRAMES);
    this.lostInRow++;
    const n = Math.min(frame.length, this.last.length);
    for (let i = 0; i < n; i++) frame[i] = Math.round(this.last[i] * (from + ((to - from) * i) / n));
    return frame;
  }

  close(): void {}
}
