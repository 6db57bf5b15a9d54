import { randomInt } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { RTP_EXTENSION_URI, RtcpSenderInfo, RtcpSrPacket, type GenericNack, type RTCRtpSender, type RtpPacket } from 'werift';
import { rtpProtector, type RtpProtector, type SrtpSessionKeys } from './srtp-protect.js';

/**
 * The parts of werift's sender and transports the forwarder reads. They are not in
 * werift's public types (private fields or untyped internals of 0.24), so they are named
 * here, in one place, to be checked when werift is upgraded.
 */
interface SenderInternals {
  ssrc: number;
  mid?: string;
  headerExtensions: { id: number; uri: string }[];
  codec?: { payloadType: number; clockRate: number; rtcpFeedback?: { type: string; parameter?: string }[] };
  dtlsTransport: {
    state: string;
    srtp: { localContext: { profile: number; srtpSessionKey: Buffer; srtpSessionSalt: Buffer; srtpSessionAuthTag: Buffer } };
    sendRtcp(packets: RtcpSrPacket[]): Promise<void>;
    iceTransport: { connection: IceConnection };
  };
}
interface IceConnection {
  nominated?: { remoteAddr: [string, number]; protocol: { transport?: { socket?: Socket } } };
  canSendApplicationData(): boolean;
  send(data: Buffer): Promise<void>;
}

/** Retransmission history per stream: ~2.5 s of video at 200 packets/s, 10 s of audio. */
const HISTORY = 512;
const SR_INTERVAL_MS = 1000;

/**
 * Sends one publisher's RTP stream to one subscriber, on the subscriber's werift
 * transceiver (whose SSRC and payload type the answer announced) but not through werift's
 * per-packet sender path, which costs several allocations, promises and a new cipher and
 * HMAC per packet. Here a packet is one buffer: a rewritten header (this stream's SSRC,
 * sequence and timestamp offsets, the MID extension BUNDLE needs), the shared payload,
 * SRTP-protected in place (srtp-protect.ts), sent straight on the ICE pair's UDP socket.
 *
 * werift keeps everything else: ICE, consent, DTLS, SRTCP and the incoming RTCP (NACKs
 * are answered from a small history of protected packets; sender reports are sent here
 * because werift's would count nothing).
 */
export class RtpForwarder {
  private readonly sender: SenderInternals;
  private seqOffset = randomInt(0x10000);
  private tsOffset = randomInt(0x1_0000_0000);
  /** Whose stream this is now: a stage slot carries one voice after another (see `forward`). */
  private source: string | undefined;
  private lastSeq = 0;
  private protector: RtpProtector | null = null;
  private header: Buffer = Buffer.alloc(0);
  private payloadType = 0;
  private clockRate = 90_000;
  private highestSeq = -1;
  private roc = 0;
  /** Protected packets by sequence number, kept only if the subscriber negotiated NACK. */
  private history: (Buffer | undefined)[] | null = null;
  private packets = 0;
  private octets = 0;
  private lastTs = 0;
  private lastSentAt = 0;
  private nextReportAt = 0;

  constructor(sender: RTCRtpSender) {
    this.sender = sender as unknown as SenderInternals;
    sender.onGenericNack.subscribe((nack) => this.retransmit(nack));
  }

  /**
   * `source` names the stream the packet is from. When it changes (a stage slot handed to
   * another voice) the offsets are rebased so the subscriber sees one stream going on —
   * next sequence number, timestamp advanced by the time since the last packet — and the
   * marker opens a talkspurt, instead of a jump its jitter buffer would wait out.
   */
  forward(packet: RtpPacket, source?: string): void {
    const dtls = this.sender.dtlsTransport;
    if (dtls.state !== 'connected') return;
    const protector = this.protector ?? this.start();
    const h = packet.header;
    const switched = source !== this.source && this.packets > 0;
    if (switched) this.rebase(h.sequenceNumber, h.timestamp);
    this.source = source;
    const seq = (h.sequenceNumber + this.seqOffset) & 0xffff;
    const ts = (h.timestamp + this.tsOffset) >>> 0;
    const roc = this.rolloverFor(seq);
    const payload = packet.payload;
    const headerLength = this.header.length;
    const length = headerLength + payload.length;
    const out = Buffer.allocUnsafe(length + protector.overhead);
    this.header.copy(out, 0);
    out[1] = (h.marker || switched ? 0x80 : 0) | this.payloadType;
    out.writeUInt16BE(seq, 2);
    out.writeUInt32BE(ts, 4);
    payload.copy(out, headerLength);
    protector.protect(out, headerLength, length, this.sender.ssrc, seq, roc);
    if (this.history) this.history[seq % HISTORY] = out;
    this.send(out);
    this.packets++;
    this.octets += payload.length;
    this.lastTs = ts;
    this.lastSeq = seq;
    this.lastSentAt = performance.now();
    if (this.lastSentAt >= this.nextReportAt) this.sendReport();
  }

  private rebase(seq: number, ts: number): void {
    const elapsed = Math.max(1, Math.round(((performance.now() - this.lastSentAt) * this.clockRate) / 1000));
    this.seqOffset = (this.lastSeq + 1 - seq) & 0xffff;
    this.tsOffset = (this.lastTs + elapsed - ts) >>> 0;
  }

  /** Keys and header template, once DTLS-SRTP is up and the answer fixed the SSRC, PT and MID. */
  private start(): RtpProtector {
    const s = this.sender;
    const ctx = s.dtlsTransport.srtp.localContext;
    const keys: SrtpSessionKeys = { profile: ctx.profile, key: ctx.srtpSessionKey, salt: ctx.srtpSessionSalt, authKey: ctx.srtpSessionAuthTag };
    this.protector = rtpProtector(keys);
    this.payloadType = s.codec?.payloadType ?? 0;
    this.clockRate = s.codec?.clockRate ?? 90_000;
    if (s.codec?.rtcpFeedback?.some((f) => f.type === 'nack' && !f.parameter)) this.history = new Array(HISTORY);
    this.header = rtpHeaderTemplate(s.ssrc, s.mid, s.headerExtensions.find((e) => e.uri === RTP_EXTENSION_URI.sdesMid)?.id);
    this.nextReportAt = performance.now() + SR_INTERVAL_MS / 2;
    return this.protector;
  }

  /** RFC 3711 §3.3.1: the rollover counter counts wraps of the 16-bit sequence number. */
  private rolloverFor(seq: number): number {
    if (this.highestSeq < 0) {
      this.highestSeq = seq;
      return this.roc;
    }
    const delta = seq - this.highestSeq;
    if (delta > 0 && delta < 0x8000) this.highestSeq = seq;
    else if (delta < -0x8000) {
      this.roc = (this.roc + 1) >>> 0; // wrapped forwards
      this.highestSeq = seq;
    } else if (delta > 0x8000) return (this.roc - 1) >>> 0; // a late packet from before the wrap
    return this.roc;
  }

  private send(data: Buffer): void {
    const connection = this.sender.dtlsTransport.iceTransport.connection;
    const pair = connection.nominated;
    if (!pair || !connection.canSendApplicationData()) return;
    const socket = pair.protocol.transport?.socket;
    if (socket) {
      const [host, port] = pair.remoteAddr;
      socket.send(data, port, host);
    } else void connection.send(data).catch(() => undefined); // TCP or TURN: werift frames it
  }

  /** Generic NACK (RFC 4585 §6.2.1): resend the protected packets still in the history. */
  private retransmit(nack: GenericNack): void {
    for (const seq of nack.lost) {
      const packet = this.history?.[seq % HISTORY];
      if (packet && packet.readUInt16BE(2) === seq) this.send(packet);
    }
  }

  /** A sender report each second lets the subscriber compute round-trip time and sync streams (RFC 3550 §6.4.1). */
  private sendReport(): void {
    this.nextReportAt = this.lastSentAt + SR_INTERVAL_MS * (0.5 + Math.random());
    const rtpTimestamp = (this.lastTs + Math.round(((performance.now() - this.lastSentAt) * this.clockRate) / 1000)) >>> 0;
    const senderInfo = new RtcpSenderInfo({ ntpTimestamp: ntpNow(), rtpTimestamp, packetCount: this.packets >>> 0, octetCount: this.octets >>> 0 });
    void this.sender.dtlsTransport.sendRtcp([new RtcpSrPacket({ ssrc: this.sender.ssrc, senderInfo })]).catch(() => undefined);
  }
}

/** V=2, X if a MID extension is negotiated, SSRC; RFC 8285 one-byte header with the MID (BUNDLE demultiplexing). */
function rtpHeaderTemplate(ssrc: number, mid: string | undefined, midId: number | undefined): Buffer {
  const ext = mid && midId && Buffer.byteLength(mid) <= 16 ? Buffer.from([(midId << 4) | (Buffer.byteLength(mid) - 1), ...Buffer.from(mid)]) : null;
  const extWords = ext ? Math.ceil(ext.length / 4) : 0;
  const header = Buffer.alloc(12 + (ext ? 4 + extWords * 4 : 0));
  header[0] = ext ? 0x90 : 0x80;
  header.writeUInt32BE(ssrc >>> 0, 8);
  if (ext) {
    header.writeUInt16BE(0xbede, 12);
    header.writeUInt16BE(extWords, 14);
    ext.copy(header, 16);
  }
  return header;
}

/** Wall clock as a 64-bit NTP timestamp (seconds since 1900 . fraction). */
function ntpNow(): bigint {
  const ms = performance.timeOrigin + performance.now() + 2_208_988_800_000;
  const seconds = Math.floor(ms / 1000);
  return (BigInt(seconds) << 32n) | BigInt(Math.floor(((ms % 1000) / 1000) * 2 ** 32));
}
