/**
 * Turns a stream of 20 ms frames into RTP packets with correct sequence numbers,
 * timestamps and marker bits (RFC 3550 §5.1, RFC 3551 §4.1):
 * - SSRC, first sequence number and first timestamp are random (RFC 3550 §5.1, §8);
 * - the timestamp advances by the frame's sample count, also across frames that were
 *   not sent (silence, DTMF events), so the receiver sees the true media time;
 * - the marker bit flags the first packet after such a gap (a talkspurt start).
 * RFC 4733 events share the stream's SSRC and sequence space but carry their own
 * timestamp (the event start), hence `event()`.
 */
import { randomBytes } from 'node:crypto';
import { RTP_FIXED_HEADER_LENGTH, RTP_VERSION, writeRtpFixedFields } from './rtp-packet.js';
import { type G711Law, g711Encode } from './g711.js';

export interface PacketizerOptions {
  payloadType: number;
  ssrc?: number;
  samplesPerFrame?: number;
  initialSequence?: number;
  initialTimestamp?: number;
}

export class RtpPacketizer {
  readonly ssrc: number;
  /** Payload type of audio packets; may change when renegotiated. */
  payloadType: number;
  readonly samplesPerFrame: number;
  private seq: number;
  private ts: number;
  private markNext = true;
  /** Packets and payload octets sent, for RTCP sender reports (RFC 3550 §6.4.1). */
  packetCount = 0;
  octetCount = 0;

  constructor(opts: PacketizerOptions) {
    const random = randomBytes(10);
    this.payloadType = opts.payloadType;
    this.ssrc = opts.ssrc ?? random.readUInt32BE(0);
    this.seq = opts.initialSequence ?? random.readUInt16BE(4);
    this.ts = opts.initialTimestamp ?? random.readUInt32BE(6);
    this.samplesPerFrame = opts.samplesPerFrame ?? 160;
  }

  /** Timestamp the next audio frame will carry. */
  get timestamp(): number {
    return this.ts;
  }

  /** Sequence number the next packet will carry. */
  get sequenceNumber(): number {
    return this.seq;
  }

  /** Packs one already-encoded frame; the returned buffer is new (safe to hand to the socket). */
  audio(payload: Uint8Array): Buffer {
    const buf = this.header(this.payloadType, this.markNext, this.ts, payload.length);
    buf.set(payload, RTP_FIXED_HEADER_LENGTH);
    this.markNext = false;
    this.ts = (this.ts + this.samplesPerFrame) >>> 0;
    return buf;
  }

  /** Encodes a PCM frame with G.711 straight into the packet buffer (no intermediate copy). */
  audioPcm(law: G711Law, pcm: Int16Array): Buffer {
    const buf = this.header(this.payloadType, this.markNext, this.ts, pcm.length);
    g711Encode(law, pcm, buf.subarray(RTP_FIXED_HEADER_LENGTH));
    this.markNext = false;
    this.ts = (this.ts + this.samplesPerFrame) >>> 0;
    return buf;
  }

  /**
   * Packs one encoded frame at a given timestamp (a relayed packet keeps its source's
   * timing); frames packed after it continue from there.
   */
  audioAt(payload: Uint8Array, timestamp: number, marker: boolean): Buffer {
    const buf = this.header(this.payloadType, marker, timestamp, payload.length);
    buf.set(payload, RTP_FIXED_HEADER_LENGTH);
    this.markNext = false;
    this.ts = (timestamp + this.samplesPerFrame) >>> 0;
    return buf;
  }

  /** Advances media time by `frames` without sending; the next audio packet is marked. */
  skip(frames = 1): void {
    this.ts = (this.ts + frames * this.samplesPerFrame) >>> 0;
    this.markNext = true;
  }

  /** Packs a packet with its own payload type, marker and timestamp (RFC 4733 events). */
  event(payloadType: number, payload: Uint8Array, marker: boolean, timestamp: number): Buffer {
    const buf = this.header(payloadType, marker, timestamp, payload.length);
    buf.set(payload, RTP_FIXED_HEADER_LENGTH);
    return buf;
  }

  private header(payloadType: number, marker: boolean, timestamp: number, payloadLength: number): Buffer {
    const buf = Buffer.allocUnsafe(RTP_FIXED_HEADER_LENGTH + payloadLength); // from Node's pooled slab
    buf[0] = RTP_VERSION << 6;
    writeRtpFixedFields(buf, marker, payloadType, this.seq, timestamp, this.ssrc);
    this.seq = (this.seq + 1) & 0xffff;
    this.packetCount++;
    this.octetCount += payloadLength;
    return buf;
  }
}
