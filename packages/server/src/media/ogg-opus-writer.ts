/**
 * Ogg/Opus files (RFC 7845) written as packets arrive, for recordings: an OpusHead page,
 * an OpusTags page, then audio pages of about a second each, so a recording can be
 * streamed while it grows and a player seeks by bisecting on granule positions.
 *
 * Granule positions count 48 kHz samples per channel from the first decoded sample,
 * pre-skip included (RFC 7845 §4): a page's granule is pre-skip-inclusive total of the
 * packets completed on it, and playback length = last granule − pre-skip. `close`
 * trims the end to the audio actually captured when the caller knows it; the encoder
 * holds pre-skip samples back, so a recorder encodes one more frame of silence first.
 */
import { OGG_BOS, OGG_EOS, buildOggPage } from './ogg-page.js';
import { opusPacketSamples48k } from './opus-packet.js';

export interface OggOpusWriterOptions {
  channels: 1 | 2;
  /** Encoder delay in 48 kHz samples to discard at the start. Default 312 (libopus at 48 kHz). */
  preSkip?: number;
  /** The rate the audio was captured at (informational, for decoders' output choice). */
  inputSampleRate?: number;
  serial?: number;
  vendor?: string;
  /** User comments (RFC 7845 §5.2), e.g. { TITLE: 'call_…' }. */
  tags?: Record<string, string>;
  /** Audio per page, in 48 kHz samples. Default 48000 (1 s). */
  pageSamples?: number;
}

/** TOC-only packets (a zero-length 20 ms CELT frame): the decoder conceals them, keeping time across a gap. */
const LOST_FRAME_MONO = Uint8Array.of(0xf8);
const LOST_FRAME_STEREO = Uint8Array.of(0xfc);

export class OggOpusWriter {
  private readonly serial: number;
  private readonly pageSamples: number;
  private readonly preSkip: number;
  private sequence = 0;
  private granule: bigint;
  private pending: Uint8Array[] = [];
  private pendingSegments = 0;
  private pendingSamples = 0;
  private closed = false;
  /** Packets refused as not Opus (their TOC is impossible). */
  rejected = 0;

  constructor(
    private readonly sink: (chunk: Buffer) => void,
    private readonly opts: OggOpusWriterOptions,
  ) {
    this.serial = opts.serial ?? (Math.random() * 0x100000000) >>> 0;
    this.pageSamples = opts.pageSamples ?? 48000;
    this.preSkip = opts.preSkip ?? 312;
    this.granule = 0n;
    this.page(OGG_BOS, 0n, [this.opusHead()]);
    this.page(0, 0n, [this.opusTags()]);
  }

  /** Audio written so far, in 48 kHz samples, pre-skip not yet subtracted. */
  get samples48k(): number {
    return Number(this.granule) + this.pendingSamples;
  }

  /** Appends one Opus packet; false (counted in `rejected`) if it is not a valid packet. */
  writePacket(packet: Uint8Array): boolean {
    if (this.closed) throw new Error('OggOpusWriter is closed');
    const samples = opusPacketSamples48k(packet);
    if (samples === 0) {
      this.rejected++;
      return false;
    }
    const segments = Math.floor(packet.length / 255) + 1;
    // A full page goes out when the next packet comes, so the last page is never empty at close.
    if (this.pendingSegments + segments > 255 || this.pendingSamples >= this.pageSamples) this.flush(0);
    this.pending.push(packet.slice());
    this.pendingSegments += segments;
    this.pendingSamples += samples;
    return true;
  }

  /** Keeps time across `frames` 20 ms frames that never arrived (played as concealment). */
  writeLost(frames: number): void {
    for (let i = 0; i < frames; i++) this.writePacket(this.opts.channels === 2 ? LOST_FRAME_STEREO : LOST_FRAME_MONO);
  }

  /**
   * Ends the stream (EOS page). With `capturedSamples48k`, the last granule says exactly
   * that much audio plays (the encoder's trailing padding is trimmed, RFC 7845 §4.4).
   */
  close(capturedSamples48k?: number): void {
    if (this.closed) return;
    let end: bigint | undefined;
    if (capturedSamples48k !== undefined) {
      const wanted = BigInt(this.preSkip + capturedSamples48k);
      const written = this.granule + BigInt(this.pendingSamples);
      // Only the last page may end early, and never before the previous page's end.
      if (wanted < written && wanted > this.granule) end = wanted;
    }
    if (this.pending.length === 0) {
      // Nothing was written: an EOS page needs a packet, and a lost-frame marker plays as 20 ms of silence.
      this.pending.push(this.opts.channels === 2 ? LOST_FRAME_STEREO : LOST_FRAME_MONO);
      this.pendingSegments = 1;
      this.pendingSamples = 960;
    }
    this.flush(OGG_EOS, end);
    this.closed = true;
  }

  private flush(flags: number, granule?: bigint): void {
    if (this.pending.length === 0) return;
    this.granule += BigInt(this.pendingSamples);
    this.page(flags, granule ?? this.granule, this.pending);
    this.pending = [];
    this.pendingSegments = 0;
    this.pendingSamples = 0;
  }

  private page(flags: number, granule: bigint, packets: Uint8Array[]): void {
    this.sink(buildOggPage({ flags, granule, serial: this.serial, sequence: this.sequence++, packets }));
  }

  private opusHead(): Uint8Array {
    const h = Buffer.alloc(19);
    h.write('OpusHead', 0, 'latin1');
    h[8] = 1; // version
    h[9] = this.opts.channels;
    h.writeUInt16LE(this.preSkip, 10);
    h.writeUInt32LE(this.opts.inputSampleRate ?? 48000, 12);
    h.writeInt16LE(0, 16); // output gain
    h[18] = 0; // channel mapping family 0: mono or stereo, no mapping table
    return h;
  }

  private opusTags(): Uint8Array {
    const vendor = Buffer.from(this.opts.vendor ?? 'callsight', 'utf8');
    const comments = Object.entries(this.opts.tags ?? {}).map(([k, v]) => Buffer.from(`${k}=${v}`, 'utf8'));
    const size = 8 + 4 + vendor.length + 4 + comments.reduce((n, c) => n + 4 + c.length, 0);
    const t = Buffer.alloc(size);
    t.write('OpusTags', 0, 'latin1');
    let at = t.writeUInt32LE(vendor.length, 8);
    at += vendor.copy(t, at);
    at = t.writeUInt32LE(comments.length, at);
    for (const c of comments) {
      at = t.writeUInt32LE(c.length, at);
      at += c.copy(t, at);
    }
    return t;
  }
}
