/**
 * Streams 20 ms PCM frames to an Ogg/Opus file (the recording format of Opus calls and
 * rooms): each frame is encoded as it comes and pages are appended about once a second,
 * so a recording still in progress can be served and a crashed one plays up to its last
 * page. Same shape as WavFileWriter, so a recorder writes either.
 */
import { type FileHandle, open } from 'node:fs/promises';
import type { PcmRate } from './codec.js';
import { OggOpusWriter } from './ogg-opus-writer.js';
import { OpusCodec } from './opus-codec.js';

export class OggOpusFileWriter {
  private readonly codec: OpusCodec;
  private readonly ogg: OggOpusWriter;
  private chain: Promise<unknown> = Promise.resolve();
  private position = 0;
  private samples = 0;
  private closed = false;

  private constructor(
    private readonly file: FileHandle,
    private readonly sampleRate: PcmRate,
    readonly channels: 1 | 2,
    tags: Record<string, string>,
  ) {
    this.codec = new OpusCodec({ sampleRate, channels, bitrate: sampleRate === 8000 ? 20000 : 32000 * channels, complexity: 8 });
    this.ogg = new OggOpusWriter((chunk) => this.append(chunk), { channels, preSkip: this.codec.preSkip48k, inputSampleRate: sampleRate, tags });
  }

  static async create(path: string, opts: { sampleRate?: PcmRate; channels?: 1 | 2; tags?: Record<string, string> } = {}): Promise<OggOpusFileWriter> {
    const file = await open(path, 'w');
    return new OggOpusFileWriter(file, opts.sampleRate ?? 8000, opts.channels ?? 1, opts.tags ?? {});
  }

  /** Appends one 20 ms frame (interleaved if stereo). */
  write(frame: Int16Array): void {
    if (this.closed) return;
    const packet = this.codec.encode(frame);
    if (packet) this.ogg.writePacket(packet);
    this.samples += frame.length / this.channels;
  }

  /**
   * Keeps time across `frames` 20 ms frames with nothing to say (a speaker not sending):
   * one-byte packets that decode as silence, instead of encoding silence.
   */
  writeGap(frames: number): void {
    if (this.closed || frames <= 0) return;
    this.ogg.writeLost(frames);
    this.samples += frames * this.codec.frameSamples;
  }

  get durationSeconds(): number {
    return this.samples / this.sampleRate;
  }

  /** Flushes the encoder's look-ahead, ends the stream at exactly the audio written, closes. */
  async close(): Promise<void> {
    if (this.closed) return this.chain.then(() => undefined);
    this.closed = true;
    const tail = this.codec.encode(new Int16Array(this.codec.frameSamples * this.channels));
    if (tail) this.ogg.writePacket(tail);
    this.ogg.close(Math.round((this.samples * 48000) / this.sampleRate));
    this.codec.close();
    this.chain = this.chain.finally(() => this.file.close());
    return this.chain.then(() => undefined);
  }

  private append(chunk: Buffer): void {
    const at = this.position;
    this.position += chunk.length;
    this.chain = this.chain.then(() => this.file.write(chunk, 0, chunk.length, at));
  }
}
