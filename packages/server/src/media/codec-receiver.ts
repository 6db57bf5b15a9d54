/**
 * The receive side of one RTP audio stream whose packets arrive in order (after a
 * jitter buffer, or on a loss-free path): the negotiated payload types, each with its
 * codec, in and PCM frames out — a frame of concealment for every missing sequence
 * number, so the decoder's own PLC continues the signal. A payload type the SDP did not
 * offer, a corrupt payload or a packet from the past is dropped and counted.
 */
import type { AudioCodec } from './codec.js';

/** Gaps longer than this (400 ms) are a restart, not loss: nothing to conceal. */
const MAX_CONCEALED_GAP = 20;

export interface CodecReceiverStats {
  frames: number;
  /** Sequence numbers that never arrived, concealed. */
  lost: number;
  /** Packets with a payload type outside the negotiated set. */
  wrongPayloadType: number;
  /** Packets older than one already played. */
  stale: number;
}

export class CodecReceiver {
  readonly stats: CodecReceiverStats = { frames: 0, lost: 0, wrongPayloadType: 0, stale: 0 };
  private lastSeq = -1;
  private current: AudioCodec | null = null;

  constructor(private readonly codecs: ReadonlyMap<number, AudioCodec>) {}

  /** Frames to play for this packet, in order (empty if it was dropped). */
  receive(payloadType: number, seq: number, payload: Uint8Array): Int16Array[] {
    const codec = this.codecs.get(payloadType);
    if (!codec) {
      this.stats.wrongPayloadType++;
      return [];
    }
    const out: Int16Array[] = [];
    if (this.lastSeq >= 0) {
      const gap = (seq - this.lastSeq) & 0xffff;
      if (gap === 0 || gap >= 0x8000) {
        this.stats.stale++;
        return out;
      }
      if (gap - 1 <= MAX_CONCEALED_GAP) {
        for (let i = 1; i < gap; i++) out.push((this.current ?? codec).conceal());
        this.stats.lost += gap - 1;
      }
    }
    this.lastSeq = seq;
    this.current = codec;
    out.push(codec.decode(payload) ?? codec.conceal());
    this.stats.frames += out.length;
    return out;
  }
}
