/**
 * Opus (RFC 6716, RTP per RFC 7587) behind the AudioCodec interface, on libopus via
 * `opus-wasm.ts`. libopus encodes from and decodes to 8, 16 or 48 kHz itself, so a leg
 * bridged to a phone runs the codec at 8 kHz and no resampler is needed.
 *
 * Concealment is libopus's own PLC (pitch-synchronous continuation fading into comfort
 * noise). It is asked for by decoding a TOC-only packet in the configuration of the
 * last real one: libopus treats a frame of ≤ 1 byte as lost and conceals exactly the
 * duration the TOC gives (an empty packet would make the wasm build render 120 ms at
 * once, whose fade-out the next real frame would then fade in from). In-band FEC is
 * produced for the peer (`expectedLossPercent`), but not read back: the wasm build
 * offers no way to ask libopus for the FEC copy of a lost frame, so a loss is concealed.
 */
import { type AudioCodec, type CodecOptions, type CodecStats, emptyCodecStats } from './codec.js';
import { isOpusDtxPacket, opusPacketSamples48k } from './opus-packet.js';
import { OPUS_APPLICATION_AUDIO, OPUS_APPLICATION_VOIP, OpusCtl, OpusWasm } from './opus-wasm.js';

export class OpusCodec implements AudioCodec {
  readonly name = 'opus' as const;
  readonly rtpClockRate = 48000;
  readonly sampleRate: 8000 | 16000 | 48000;
  readonly channels: 1 | 2;
  readonly frameSamples: number;
  readonly rtpFrameTicks: number;
  readonly stats: CodecStats = emptyCodecStats();
  /** Encoder delay in 48 kHz samples: the Ogg pre-skip of what this codec encodes. */
  readonly preSkip48k: number;
  private readonly opus: OpusWasm;
  private readonly out: Int16Array;
  /** TOC byte of the last packet decoded, single-frame (code 0): what a lost frame is concealed as. */
  private lostToc: number;

  constructor(opts: CodecOptions = {}) {
    this.sampleRate = opts.sampleRate ?? 48000;
    this.channels = opts.channels ?? 1;
    const frameMs = opts.frameMs ?? 20;
    this.frameSamples = (this.sampleRate * frameMs) / 1000;
    this.rtpFrameTicks = 48 * frameMs;
    this.opus = new OpusWasm(this.sampleRate, this.channels, opts.application === 'audio' ? OPUS_APPLICATION_AUDIO : OPUS_APPLICATION_VOIP);
    this.out = new Int16Array(this.opus.maxFrameSamples * this.channels);
    this.opus.encoderCtl(OpusCtl.SET_COMPLEXITY, opts.complexity ?? 5);
    if (opts.bitrate) this.opus.encoderCtl(OpusCtl.SET_BITRATE, opts.bitrate);
    if (opts.cbr) this.opus.encoderCtl(OpusCtl.SET_VBR, 0);
    const loss = opts.expectedLossPercent ?? 0;
    this.opus.encoderCtl(OpusCtl.SET_INBAND_FEC, loss > 0 ? 1 : 0);
    this.opus.encoderCtl(OpusCtl.SET_PACKET_LOSS_PERC, Math.max(0, Math.min(100, Math.round(loss))));
    this.opus.encoderCtl(OpusCtl.SET_DTX, opts.dtx ? 1 : 0);
    // Until a packet arrives: SILK wideband 20 ms, mono or stereo (any valid TOC would do).
    this.lostToc = (9 << 3) | (this.channels === 2 ? 0x04 : 0);
    this.preSkip48k = (this.opus.encoderGet(OpusCtl.GET_LOOKAHEAD) * 48000) / this.sampleRate;
  }

  encode(pcm: Int16Array): Uint8Array | null {
    if (pcm.length !== this.frameSamples * this.channels) {
      throw new RangeError(`opus frame must hold ${this.frameSamples * this.channels} samples, got ${pcm.length}`);
    }
    const packet = this.opus.encode(pcm, this.frameSamples);
    this.stats.encoded++;
    if (isOpusDtxPacket(packet)) {
      this.stats.dtx++;
      return null;
    }
    return packet;
  }

  decode(payload: Uint8Array): Int16Array | null {
    if (opusPacketSamples48k(payload) === 0) {
      this.stats.dropped++;
      return null;
    }
    const frames = this.opus.decode(payload, this.out);
    if (frames < 0) {
      this.stats.dropped++;
      return null;
    }
    this.lostToc = payload[0] & 0xfc;
    this.stats.decoded++;
    return this.out.slice(0, frames * this.channels);
  }

  conceal(): Int16Array {
    const n = this.frameSamples * this.channels;
    const frame = new Int16Array(n);
    const marker = Uint8Array.of(this.lostToc);
    for (let at = 0; at < n; ) {
      const got = this.opus.decode(marker, this.out) * this.channels;
      if (got <= 0) break; // cannot happen for a valid TOC; silence rather than a loop
      frame.set(this.out.subarray(0, Math.min(got, n - at)), at);
      at += got;
    }
    this.stats.concealed++;
    return frame;
  }

  close(): void {
    this.opus.close();
  }
}
