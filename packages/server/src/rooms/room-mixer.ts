import type { RtpPacket } from 'werift';
import type { AudioCodec, PcmRate } from '../media/codec.js';
import { CodecReceiver } from '../media/codec-receiver.js';
import { G711Codec } from '../media/g711-codec.js';
import { PT_PCMU } from '../media/g711.js';
import { JitterBuffer } from '../media/jitter-buffer.js';
import { OpusCodec } from '../media/opus-codec.js';
import { transcodeStats } from '../media/transcode-stats.js';
import { PT_OPUS } from '../webrtc/peer-config.js';
import type { RoomAudioCodec } from './room-schema.js';

/** A publisher silent this long (left, muted) loses its jitter buffer and decoder. */
const IDLE_PUBLISHER_MS = 2000;

/** The room's codec on the wire: payload type, RTP ticks per 20 ms, and a codec making `rate` PCM of it. */
export const ROOM_CODECS: Record<RoomAudioCodec, { pt: number; ticks: number; create: (rate: PcmRate) => AudioCodec }> = {
  pcmu: { pt: PT_PCMU, ticks: 160, create: (rate) => new G711Codec('ulaw', { sampleRate: rate }) },
  opus: { pt: PT_OPUS, ticks: 960, create: (rate) => new OpusCodec({ sampleRate: rate }) },
};

interface Inbound {
  jitter: JitterBuffer;
  /** Each publisher's own decoder: Opus decoding is stateful (and conceals that publisher's own losses). */
  codec: AudioCodec;
  receiver: CodecReceiver;
  lastPushMs: number;
}

/**
 * The room's publishers as PCM: each one's packets decoded in the room's codec at `rate`
 * and jitter-buffered; once per clock tick `mix` sums them (minus whoever is excluded)
 * and hands each publisher's own frame to a caller that wants it (a per-speaker track).
 */
export class RoomMixer {
  readonly frameSamples: number;
  private readonly inbound = new Map<string, Inbound>();
  private readonly frame: Int16Array;
  private readonly sum: Int32Array;
  private readonly mixed: Int16Array;
  private readonly roomCodec: (typeof ROOM_CODECS)[RoomAudioCodec];

  constructor(
    readonly codec: RoomAudioCodec,
    readonly rate: PcmRate,
  ) {
    this.roomCodec = ROOM_CODECS[codec];
    this.frameSamples = rate / 50;
    this.frame = new Int16Array(this.frameSamples);
    this.sum = new Int32Array(this.frameSamples);
    this.mixed = new Int16Array(this.frameSamples);
  }

  /** One packet a publisher sent (other payload types are not the room's audio: ignored). */
  receive(fromParticipantId: string, packet: RtpPacket): void {
    const { pt, ticks } = this.roomCodec;
    if (packet.header.payloadType !== pt) return;
    let entry = this.inbound.get(fromParticipantId);
    if (!entry) {
      const codec = this.roomCodec.create(this.rate);
      entry = { jitter: new JitterBuffer({ frameSamples: this.frameSamples, clockRate: this.rate }), codec, receiver: new CodecReceiver(new Map([[pt, codec]])), lastPushMs: 0 };
      this.inbound.set(fromParticipantId, entry);
    }
    const now = performance.now();
    const { sequenceNumber: seq, timestamp } = packet.header;
    const receiver = entry.receiver;
    const frames = this.codec === 'opus' ? transcodeStats.time(() => receiver.receive(pt, seq, packet.payload)) : receiver.receive(pt, seq, packet.payload);
    // Concealment for the packets missed before this one, then this one, each in its slot (timestamps at `rate`).
    const n = this.frameSamples;
    for (let i = 0; i < frames.length; i++) {
      const back = frames.length - 1 - i;
      entry.jitter.push((seq - back) & 0xffff, (((timestamp >>> 0) * n) / ticks - back * n) >>> 0, frames[i], now);
    }
    entry.lastPushMs = now;
  }

  /**
   * The tick's mix of every publisher but `exclude`; `each` sees every publisher's own
   * frame (or null when it sent nothing) before it is summed. The frame is reused.
   */
  mix(exclude?: string, each?: (participantId: string, frame: Int16Array | null) => void): Int16Array {
    const now = performance.now();
    const n = this.frameSamples;
    this.sum.fill(0);
    for (const [id, entry] of this.inbound) {
      if (now - entry.lastPushMs > IDLE_PUBLISHER_MS) {
        entry.codec.close();
        this.inbound.delete(id);
        continue;
      }
      const silent = entry.jitter.pop(this.frame) === 'silence';
      each?.(id, silent ? null : this.frame);
      if (silent || id === exclude) continue;
      for (let i = 0; i < n; i++) this.sum[i] += this.frame[i];
    }
    for (let i = 0; i < n; i++) {
      const v = this.sum[i];
      this.mixed[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    return this.mixed;
  }

  close(): void {
    for (const entry of this.inbound.values()) entry.codec.close();
    this.inbound.clear();
  }
}
