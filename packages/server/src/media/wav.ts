/**
 * WAV (RIFF/WAVE) files: a tolerant reader and a streaming writer.
 *
 * The reader walks the chunk list instead of assuming a 44-byte header: files from
 * editors carry LIST/fact/bext chunks, odd-sized chunks are padded to even length
 * (RIFF rule), WAVE_FORMAT_EXTENSIBLE wraps the real format in a sub-format GUID, and
 * programs writing to a pipe (espeak-ng --stdout) cannot know the data size and put a
 * placeholder there — so a data size running past the end is clamped, not rejected.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { CallsightError } from '../core/errors.js';
import { PRIVATE_FILE } from '../core/private-files.js';
import { alawToLinear, ulawToLinear } from './g711.js';

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_ALAW = 0x0006;
const WAVE_FORMAT_MULAW = 0x0007;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export type WavEncoding = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'alaw' | 'ulaw';

export interface WavInfo {
  encoding: WavEncoding;
  sampleRate: number;
  channels: number;
  /** The sample data bytes (a view into the input). */
  data: Uint8Array;
}

export interface WavAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved 16-bit samples. */
  samples: Int16Array;
}

const invalid = (message: string) => new CallsightError('wav_invalid', message, { status: 400 });

const ascii = (buf: Uint8Array, at: number) => String.fromCharCode(buf[at], buf[at + 1], buf[at + 2], buf[at + 3]);

function encodingOf(formatTag: number, bitsPerSample: number): WavEncoding | null {
  switch (formatTag) {
    case WAVE_FORMAT_PCM:
      return bitsPerSample === 8 ? 'pcm8' : bitsPerSample === 16 ? 'pcm16' : bitsPerSample === 24 ? 'pcm24' : bitsPerSample === 32 ? 'pcm32' : null;
    case WAVE_FORMAT_IEEE_FLOAT:
      return bitsPerSample === 32 ? 'float32' : null;
    case WAVE_FORMAT_ALAW:
      return bitsPerSample === 8 ? 'alaw' : null;
    case WAVE_FORMAT_MULAW:
      return bitsPerSample === 8 ? 'ulaw' : null;
    default:
      return null;
  }
}

/** Parses the RIFF structure; throws `wav_invalid` / `wav_unsupported_format` (400). */
export function parseWav(buf: Uint8Array): WavInfo {
  if (buf.length < 12 || ascii(buf, 0) !== 'RIFF' || ascii(buf, 8) !== 'WAVE') throw invalid('not a RIFF/WAVE file');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  let format: { tag: number; channels: number; sampleRate: number; bits: number } | null = null;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = ascii(buf, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw invalid('fmt chunk too short');
      let tag = view.getUint16(body, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE) {
        if (size < 40 || body + 26 > buf.length) throw invalid('extensible fmt chunk too short');
        tag = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      format = {
        tag,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!format) throw invalid('data chunk before fmt chunk');
      const encoding = encodingOf(format.tag, format.bits);
      if (!encoding) {
        throw new CallsightError('wav_unsupported_format', `unsupported WAV format tag ${format.tag} with ${format.bits} bits`, {
          status: 400,
        });
      }
      if (format.channels < 1 || format.sampleRate < 1) throw invalid('WAV has no channels or no sample rate');
      const frameBytes = (format.bits / 8) * format.channels;
      const available = Math.min(size, buf.length - body);
      const usable = available - (available % frameBytes);
      return { encoding, sampleRate: format.sampleRate, channels: format.channels, data: buf.subarray(body, body + usable) };
    }
    offset = body + size + (size & 1);
  }
  throw invalid('no data chunk');
}

/** Decodes any supported WAV to interleaved 16-bit PCM at its own rate and channel count. */
export function decodeWav(buf: Uint8Array): WavAudio {
  const { encoding, sampleRate, channels, data } = parseWav(buf);
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  let samples: Int16Array;
  switch (encoding) {
    case 'pcm8': // unsigned, 128 = zero
      samples = Int16Array.from(data, (b) => (b - 128) << 8);
      break;
    case 'pcm16':
      samples = new Int16Array(data.length >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
      break;
    case 'pcm24':
      samples = new Int16Array(data.length / 3);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 3 + 1, true); // keep the top 16 bits
      break;
    case 'pcm32':
      samples = new Int16Array(data.length >> 2);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt32(i * 4, true) >> 16;
      break;
    case 'float32':
      samples = new Int16Array(data.length >> 2);
      for (let i = 0; i < samples.length; i++) {
        samples[i] = Math.max(-32768, Math.min(32767, Math.round(view.getFloat32(i * 4, true) * 32767)));
      }
      break;
    case 'alaw':
      samples = Int16Array.from(data, alawToLinear);
      break;
    case 'ulaw':
      samples = Int16Array.from(data, ulawToLinear);
      break;
  }
  return { sampleRate, channels, samples };
}

const UNKNOWN_SIZE = 0xffffffff;

/** The canonical 44-byte header for 16-bit PCM. */
function pcm16Header(dataBytes: number, sampleRate: number, channels: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(Math.min(0xffffffff, 36 + dataBytes), 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28); // byte rate
  h.writeUInt16LE(channels * 2, 32); // block align
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Encodes 16-bit PCM as a complete WAV file in memory. */
export function encodeWav(samples: Int16Array, sampleRate = 8000, channels = 1): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  return Buffer.concat([pcm16Header(data.length, sampleRate, channels), data]);
}

/**
 * Streams 16-bit PCM to a WAV file: writes a header with zero sizes, appends samples in
 * batches (one write per ~0.5 s of mono 8 kHz audio, not per 20 ms frame), and patches
 * the RIFF and data sizes on close so a crashed recording is still readable up to the
 * last flush (the provisional header declares an unknown size).
 */
export class WavFileWriter {
  private readonly pending: Buffer;
  private pendingBytes = 0;
  private dataBytes = 0;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly file: FileHandle,
    private readonly sampleRate: number,
    private readonly channels: number,
    flushBytes: number,
  ) {
    this.pending = Buffer.alloc(flushBytes);
  }

  static async create(path: string, sampleRate = 8000, channels = 1, flushBytes = 8192): Promise<WavFileWriter> {
    // Recordings are call audio: readable by the server's user only.
    const file = await open(path, 'w', PRIVATE_FILE);
    // Placeholder sizes mean "unknown length" until close() patches them: readers (ours
    // included) then take the data up to the end of the file.
    await file.write(pcm16Header(UNKNOWN_SIZE, sampleRate, channels), 0, 44, 0);
    return new WavFileWriter(file, sampleRate, channels, flushBytes);
  }

  /** Appends samples (copied; the caller may reuse its buffer immediately). */
  write(samples: Int16Array): void {
    if (this.closed) throw new CallsightError('wav_writer_closed', 'WAV writer already closed', { status: 409 });
    const bytes = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
    let at = 0;
    while (at < bytes.length) {
      const n = bytes.copy(this.pending, this.pendingBytes, at);
      this.pendingBytes += n;
      at += n;
      if (this.pendingBytes === this.pending.length) this.flush();
    }
  }

  /** Seconds of audio written so far. */
  get durationSeconds(): number {
    return (this.dataBytes + this.pendingBytes) / (2 * this.channels * this.sampleRate);
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.from(this.pending.subarray(0, this.pendingBytes));
    const position = 44 + this.dataBytes;
    this.dataBytes += chunk.length;
    this.pendingBytes = 0;
    this.chain = this.chain.then(async () => {
      await this.file.write(chunk, 0, chunk.length, position);
    });
  }

  /** Flushes, writes the final sizes and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return this.chain;
    this.flush();
    this.closed = true;
    const header = pcm16Header(this.dataBytes, this.sampleRate, this.channels);
    this.chain = this.chain
      .then(() => this.file.write(header, 0, 44, 0))
      .then(() => undefined)
      .finally(() => this.file.close());
    return this.chain;
  }
}
