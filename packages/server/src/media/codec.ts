/**
 * The one interface every audio codec has for the media layer: fixed-duration frames of
 * interleaved 16-bit PCM at the rate the caller chose (8, 16 or 48 kHz — the codec
 * resamples or has libopus do it), packets as RTP payloads. Packets a peer sends are
 * never trusted: a payload the codec cannot decode is dropped and counted (`decode`
 * returns null), never thrown, and the caller conceals the frame instead.
 */

export type CodecName = 'pcmu' | 'pcma' | 'opus';
export type PcmRate = 8000 | 16000 | 48000;

export interface CodecStats {
  encoded: number;
  decoded: number;
  /** Frames rendered by packet-loss concealment (lost packets and dropped ones). */
  concealed: number;
  /** Payloads refused as undecodable (corrupt, wrong length, wrong channel count). */
  dropped: number;
  /** Frames the encoder marked as DTX: nothing worth sending (see `encode`). */
  dtx: number;
}

export interface CodecOptions {
  /** PCM rate of the frames in and out. Default: the codec's own rate. */
  sampleRate?: PcmRate;
  /** 1 or 2 (Opus only; G.711 is mono). Default 1. */
  channels?: 1 | 2;
  /** Frame duration. Default 20 ms. */
  frameMs?: 10 | 20 | 40 | 60;
  /** Opus: target bitrate, bit/s. */
  bitrate?: number;
  /** Opus: add in-band FEC (LBRR) for a peer reporting this much loss, 0-100 %. 0 turns FEC off. */
  expectedLossPercent?: number;
  /** Opus: discontinuous transmission — silent frames become 1-2 byte packets not worth sending. */
  dtx?: boolean;
  /** Opus: constant bitrate (RFC 6562: VBR packet sizes can reveal what is said under SRTP). */
  cbr?: boolean;
  /** Opus: tuned for speech (default) or for any audio, as opusenc is. */
  application?: 'voip' | 'audio';
  /** Opus: encoder complexity 0-10 (CPU against quality). Default 5. */
  complexity?: number;
}

export interface AudioCodec {
  readonly name: CodecName;
  /** RTP clock rate (8000 for G.711; always 48000 for Opus, RFC 7587). */
  readonly rtpClockRate: number;
  /** PCM rate of the frames passed in and out. */
  readonly sampleRate: PcmRate;
  readonly channels: 1 | 2;
  /** Samples per channel in one frame. */
  readonly frameSamples: number;
  /** RTP timestamp increment per frame. */
  readonly rtpFrameTicks: number;
  readonly stats: CodecStats;
  /**
   * Encodes one frame (frameSamples × channels interleaved). The returned bytes are
   * valid until the next call. Null when DTX says the frame is not worth sending.
   */
  encode(pcm: Int16Array): Uint8Array | null;
  /** Decodes one payload into a new frame, or null (counted in `dropped`) if it cannot. */
  decode(payload: Uint8Array): Int16Array | null;
  /** One frame for a packet that never came (or was dropped), continuing the signal. */
  conceal(): Int16Array;
  close(): void;
}

export const emptyCodecStats = (): CodecStats => ({ encoded: 0, decoded: 0, concealed: 0, dropped: 0, dtx: 0 });
