/**
 * SRTP and SRTCP (RFC 3711) for keys exchanged in SDP (SDES, RFC 4568): the
 * AES_CM_128_HMAC_SHA1_80 and _32 suites. One `SrtpContext` is one direction of one
 * RTP session; an RTP session with SRTP has one for sending and one for receiving.
 * Keys stay inside: nothing here logs, and `toJSON` hides them from loggers.
 */
import { timingSafeEqual } from 'node:crypto';
import { AesCm, deriveSessionKey } from './aes-cm.js';
import { HmacSha1 } from './hmac-sha1.js';

export type SrtpSuite = 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32';
export const SRTP_SUITES: readonly SrtpSuite[] = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];

/** A master key and salt (the `inline:` key of an a=crypto line, 16 + 14 bytes) and its suite. */
export interface SrtpMasterKey {
  suite: SrtpSuite;
  key: Buffer;
  salt: Buffer;
}

/** Both directions of one SRTP session: what we send with, what the peer sends with. */
export interface SrtpKeys {
  local: SrtpMasterKey;
  remote: SrtpMasterKey;
}

/** RTP tag length per suite; SRTCP's tag is 80 bits for both (RFC 4568 6.2). */
const RTP_TAG: Record<SrtpSuite, number> = { AES_CM_128_HMAC_SHA1_80: 10, AES_CM_128_HMAC_SHA1_32: 4 };
const RTCP_TAG = 10;
/** Packets older than this many indexes behind the newest are refused as replays (RFC 3711 3.3.2: at least 64). */
const REPLAY_WINDOW = 128;

interface Direction {
  cm: AesCm;
  hmac: HmacSha1;
}

function direction(master: SrtpMasterKey, labels: [number, number, number]): Direction {
  const [enc, auth, salt] = labels;
  return {
    cm: new AesCm(deriveSessionKey(master.key, master.salt, enc, 16), deriveSessionKey(master.key, master.salt, salt, 14)),
    hmac: new HmacSha1(deriveSessionKey(master.key, master.salt, auth, 20)),
  };
}

/** The RTP header's length (fixed part, CSRCs, extension), or -1 when the packet is too short for it. */
function rtpHeaderLength(p: Buffer): number {
  if (p.length < 12) return -1;
  let n = 12 + (p[0] & 0x0f) * 4;
  if (p[0] & 0x10) {
    if (p.length < n + 4) return -1;
    n += 4 + p.readUInt16BE(n + 2) * 4;
  }
  return n <= p.length ? n : -1;
}

/** Index replay window over 48-bit SRTP indexes (kept as numbers: 2^48 is exact in a double). */
class ReplayWindow {
  private highest = -1;
  private readonly seen = new Uint8Array(REPLAY_WINDOW);

  /** Whether `index` is new (not seen, not older than the window). */
  fresh(index: number): boolean {
    if (index > this.highest) return true;
    if (this.highest - index >= REPLAY_WINDOW) return false;
    return this.seen[index % REPLAY_WINDOW] === 0;
  }

  /** Marks `index` seen (after its tag checked out). */
  accept(index: number): void {
    if (index > this.highest) {
      const from = Math.max(this.highest + 1, index - REPLAY_WINDOW + 1);
      for (let i = from; i <= index; i++) this.seen[i % REPLAY_WINDOW] = 0;
      this.highest = index;
    }
    this.seen[index % REPLAY_WINDOW] = 1;
  }
}

/** Protects what we send: RTP (rollover counted per SSRC as sequence numbers wrap) and RTCP. */
export class SrtpSender {
  private readonly rtp: Direction;
  private readonly rtcp: Direction;
  private readonly tag: number;
  private readonly rollover = new Map<number, { roc: number; seq: number }>();
  private rtcpIndex = 0;

  constructor(master: SrtpMasterKey) {
    this.rtp = direction(master, [0, 1, 2]);
    this.rtcp = direction(master, [3, 4, 5]);
    this.tag = RTP_TAG[master.suite];
  }

  /** A new datagram: `packet` (a plain RTP packet) encrypted with its tag appended. */
  protectRtp(packet: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(packet.length + this.tag);
    out.set(packet);
    const headerLength = rtpHeaderLength(out.subarray(0, packet.length));
    if (headerLength < 0) throw new RangeError('not an RTP packet');
    const ssrc = out.readUInt32BE(8);
    const seq = out.readUInt16BE(2);
    let state = this.rollover.get(ssrc);
    if (!state) this.rollover.set(ssrc, (state = { roc: 0, seq }));
    // Sequence numbers go up by one modulo 2^16 from one sender: a big step back is a wrap.
    else if (seq < state.seq && state.seq - seq > 0x8000) state.roc = (state.roc + 1) >>> 0;
    if (((seq - state.seq) & 0xffff) < 0x8000) state.seq = seq;
    this.rtp.cm.xor(out, headerLength, packet.length, ssrc, state.roc, seq);
    this.rtp.hmac.sign(out, packet.length, state.roc, out, packet.length, this.tag);
    return out;
  }

  /** A new datagram: a compound RTCP packet as SRTCP (encrypted after the first 8 bytes, E flag and index, tag). */
  protectRtcp(packet: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(packet.length + 4 + RTCP_TAG);
    out.set(packet);
    const index = this.rtcpIndex;
    this.rtcpIndex = (this.rtcpIndex + 1) & 0x7fffffff;
    this.rtcp.cm.xor(out, 8, packet.length, out.readUInt32BE(4), index >>> 16, index & 0xffff);
    const word = (0x80000000 | index) >>> 0;
    out.writeUInt32BE(word, packet.length);
    // The authenticated portion ends with the E|index word: it is the signer's 32-bit suffix.
    this.rtcp.hmac.sign(out, packet.length, word, out, packet.length + 4, RTCP_TAG);
    return out;
  }

  toJSON(): string {
    return '[SRTP sender]';
  }
}

/** Checks and decrypts what the peer sends; a packet that fails its tag or is a replay is null. */
export class SrtpReceiver {
  private readonly rtp: Direction;
  private readonly rtcp: Direction;
  private readonly tag: number;
  private readonly sources = new Map<number, { roc: number; seq: number; window: ReplayWindow }>();
  private readonly rtcpWindows = new Map<number, ReplayWindow>();
  private readonly expected = Buffer.alloc(RTCP_TAG);

  constructor(master: SrtpMasterKey) {
    this.rtp = direction(master, [0, 1, 2]);
    this.rtcp = direction(master, [3, 4, 5]);
    this.tag = RTP_TAG[master.suite];
  }

  /** The plain RTP packet (a view into `datagram`, decrypted in place), or null. */
  unprotectRtp(datagram: Buffer): Buffer | null {
    const length = datagram.length - this.tag;
    if (length < 12) return null;
    const packet = datagram.subarray(0, length);
    const headerLength = rtpHeaderLength(packet);
    if (headerLength < 0) return null;
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const source = this.sources.get(ssrc);
    // The rollover counter this packet was sent with (RFC 3711 3.3.1, Appendix A).
    let roc = source?.roc ?? 0;
    if (source) {
      if (source.seq < 0x8000) {
        if (seq - source.seq > 0x8000) roc = (roc - 1) >>> 0;
      } else if (source.seq - 0x8000 > seq) roc = (roc + 1) >>> 0;
    }
    const index = roc * 0x10000 + seq;
    if (source && !source.window.fresh(index)) return null;
    this.rtp.hmac.sign(packet, length, roc, this.expected, 0, this.tag);
    if (!timingSafeEqual(this.expected.subarray(0, this.tag), datagram.subarray(length))) return null;
    this.rtp.cm.xor(packet, headerLength, length, ssrc, roc, seq);
    if (!source) {
      const window = new ReplayWindow();
      window.accept(index);
      this.sources.set(ssrc, { roc, seq, window });
    } else {
      source.window.accept(index);
      if (index > source.roc * 0x10000 + source.seq) {
        source.roc = roc;
        source.seq = seq;
      }
    }
    return packet;
  }

  /** The plain compound RTCP packet (a view into `datagram`, decrypted in place), or null. */
  unprotectRtcp(datagram: Buffer): Buffer | null {
    const length = datagram.length - RTCP_TAG - 4;
    if (length < 8) return null;
    const word = datagram.readUInt32BE(length);
    const index = word & 0x7fffffff;
    const ssrc = datagram.readUInt32BE(4);
    let window = this.rtcpWindows.get(ssrc);
    if (window && !window.fresh(index)) return null;
    this.rtcp.hmac.sign(datagram, length, word, this.expected, 0, RTCP_TAG);
    if (!timingSafeEqual(this.expected, datagram.subarray(length + 4))) return null;
    if (word & 0x80000000) this.rtcp.cm.xor(datagram, 8, length, ssrc, index >>> 16, index & 0xffff);
    if (!window) this.rtcpWindows.set(ssrc, (window = new ReplayWindow()));
    window.accept(index);
    return datagram.subarray(0, length);
  }

  toJSON(): string {
    return '[SRTP receiver]';
  }
}
