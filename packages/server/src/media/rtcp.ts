/**
 * RTCP compound packets (RFC 3550 §6): SR, RR, SDES and BYE are decoded; any other
 * packet type (APP, RFC 4585 feedback, XR…) is kept opaque so a compound packet is
 * never rejected for containing something we do not interpret.
 *
 * Like RTP parsing, parsing never throws: a malformed compound yields null.
 */

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;

/** SDES item type CNAME (RFC 3550 §6.5.1), the only item RFC 3550 requires. */
export const SDES_CNAME = 1;

const REPORT_BLOCK_LENGTH = 24;

export interface RtcpReportBlock {
  ssrc: number;
  /** Fraction lost since the previous report, as a fixed-point number with 8 fractional bits (0..255). */
  fractionLost: number;
  /** Cumulative packets lost (signed 24-bit: duplicates can make it negative). */
  cumulativeLost: number;
  /** Extended highest sequence number received (cycles << 16 | max seq). */
  highestSequence: number;
  /** Interarrival jitter in RTP timestamp units (RFC 3550 §6.4.1, A.8). */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received from this source, 0 if none. */
  lastSr: number;
  /** Delay since that SR in units of 1/65536 s, 0 if none. */
  delaySinceLastSr: number;
}

export interface RtcpSenderReport {
  type: 'sr';
  ssrc: number;
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: RtcpReportBlock[];
}

export interface RtcpReceiverReport {
  type: 'rr';
  ssrc: number;
  reports: RtcpReportBlock[];
}

export interface RtcpSdesChunk {
  ssrc: number;
  items: { type: number; text: string }[];
}

export interface RtcpSourceDescription {
  type: 'sdes';
  chunks: RtcpSdesChunk[];
}

export interface RtcpBye {
  type: 'bye';
  ssrcs: number[];
  reason?: string;
}

export interface RtcpOther {
  type: 'other';
  packetType: number;
  /** First-byte count/format field (5 bits). */
  count: number;
  /** Body after the 4-byte common header. */
  body: Uint8Array;
}

export type RtcpPacket = RtcpSenderReport | RtcpReceiverReport | RtcpSourceDescription | RtcpBye | RtcpOther;

/** The NTP-format wall clock (RFC 3550 §4) for `ms` milliseconds since the Unix epoch. */
export function ntpTime(ms: number): { seconds: number; fraction: number } {
  const NTP_UNIX_OFFSET_S = 2208988800; // 1900-01-01 to 1970-01-01
  const seconds = Math.floor(ms / 1000);
  return {
    seconds: (seconds + NTP_UNIX_OFFSET_S) >>> 0,
    fraction: Math.floor(((ms - seconds * 1000) / 1000) * 0x100000000) >>> 0,
  };
}

/** The "middle 32 bits" of an NTP timestamp, as echoed in the LSR field (RFC 3550 §6.4.1). */
export const ntpMiddle32 = (seconds: number, fraction: number): number =>
  (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;

function readReportBlocks(view: DataView, offset: number, count: number): RtcpReportBlock[] {
  const reports: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++, offset += REPORT_BLOCK_LENGTH) {
    const lossWord = view.getUint32(offset + 4);
    reports.push({
      ssrc: view.getUint32(offset),
      fractionLost: lossWord >>> 24,
      cumulativeLost: ((lossWord & 0xffffff) << 8) >> 8, // sign-extend 24 bits
      highestSequence: view.getUint32(offset + 8),
      jitter: view.getUint32(offset + 12),
      lastSr: view.getUint32(offset + 16),
      delaySinceLastSr: view.getUint32(offset + 20),
    });
  }
  return reports;
}

const textDecoder = new TextDecoder();

function readSdes(body: Uint8Array, count: number): RtcpSdesChunk[] | null {
  const view = new DataView(body.buffer, body.byteOffset, body.length);
  const chunks: RtcpSdesChunk[] = [];
  let i = 0;
  for (let c = 0; c < count; c++) {
    if (i + 4 > body.length) return null;
    const chunk: RtcpSdesChunk = { ssrc: view.getUint32(i), items: [] };
    i += 4;
    for (;;) {
      if (i >= body.length) return null;
      const type = body[i];
      if (type === 0) {
        // A null item ends the chunk; the chunk is then padded to a 32-bit boundary.
        i = (i + 4) & ~3;
        break;
      }
      if (i + 2 > body.length || i + 2 + body[i + 1] > body.length) return null;
      const length = body[i + 1];
      chunk.items.push({ type, text: textDecoder.decode(body.subarray(i + 2, i + 2 + length)) });
      i += 2 + length;
    }
    chunks.push(chunk);
  }
  return chunks;
}

function parseOne(packetType: number, count: number, body: Uint8Array): RtcpPacket | null {
  const view = new DataView(body.buffer, body.byteOffset, body.length);
  switch (packetType) {
    case RTCP_SR: {
      if (body.length < 24 + count * REPORT_BLOCK_LENGTH) return null;
      return {
        type: 'sr',
        ssrc: view.getUint32(0),
        ntpSeconds: view.getUint32(4),
        ntpFraction: view.getUint32(8),
        rtpTimestamp: view.getUint32(12),
        packetCount: view.getUint32(16),
        octetCount: view.getUint32(20),
        reports: readReportBlocks(view, 24, count),
      };
    }
    case RTCP_RR:
      if (body.length < 4 + count * REPORT_BLOCK_LENGTH) return null;
      return { type: 'rr', ssrc: view.getUint32(0), reports: readReportBlocks(view, 4, count) };
    case RTCP_SDES: {
      const chunks = readSdes(body, count);
      return chunks && { type: 'sdes', chunks };
    }
    case RTCP_BYE: {
      if (body.length < count * 4) return null;
      const ssrcs: number[] = [];
      for (let i = 0; i < count; i++) ssrcs.push(view.getUint32(i * 4));
      const at = count * 4;
      if (at >= body.length) return { type: 'bye', ssrcs };
      const length = body[at];
      if (at + 1 + length > body.length) return null;
      return { type: 'bye', ssrcs, reason: textDecoder.decode(body.subarray(at + 1, at + 1 + length)) };
    }
    default:
      return { type: 'other', packetType, count, body };
  }
}

/**
 * Parses a compound RTCP datagram into its packets, or returns null when any packet
 * in it is malformed (RFC 3550 §6.1 / A.2 validity checks: version 2, lengths that
 * add up exactly to the datagram, padding only on the last packet).
 */
export function parseRtcp(buf: Uint8Array): RtcpPacket[] | null {
  const packets: RtcpPacket[] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (offset + 4 > buf.length) return null;
    const b0 = buf[offset];
    if (b0 >> 6 !== 2) return null;
    const byteLength = (((buf[offset + 2] << 8) | buf[offset + 3]) + 1) * 4;
    const end = offset + byteLength;
    if (end > buf.length) return null;
    let bodyEnd = end;
    if (b0 & 0x20) {
      if (end !== buf.length) return null; // only the last packet may be padded
      const padding = buf[end - 1];
      if (padding === 0 || padding > byteLength - 4) return null;
      bodyEnd -= padding;
    }
    const packet = parseOne(buf[offset + 1], b0 & 0x1f, buf.subarray(offset + 4, bodyEnd));
    if (!packet) return null;
    packets.push(packet);
    offset = end;
  }
  return packets.length > 0 ? packets : null;
}

const textEncoder = new TextEncoder();

function writeReportBlocks(view: DataView, offset: number, reports: readonly RtcpReportBlock[]): void {
  for (const r of reports) {
    view.setUint32(offset, r.ssrc);
    view.setUint32(offset + 4, (((r.fractionLost & 0xff) << 24) | (r.cumulativeLost & 0xffffff)) >>> 0);
    view.setUint32(offset + 8, r.highestSequence >>> 0);
    view.setUint32(offset + 12, r.jitter >>> 0);
    view.setUint32(offset + 16, r.lastSr >>> 0);
    view.setUint32(offset + 20, r.delaySinceLastSr >>> 0);
    offset += REPORT_BLOCK_LENGTH;
  }
}

function encodeBody(p: RtcpPacket): { packetType: number; count: number; body: Uint8Array } {
  switch (p.type) {
    case 'sr': {
      const body = new Uint8Array(24 + p.reports.length * REPORT_BLOCK_LENGTH);
      const v = new DataView(body.buffer);
      v.setUint32(0, p.ssrc);
      v.setUint32(4, p.ntpSeconds);
      v.setUint32(8, p.ntpFraction);
      v.setUint32(12, p.rtpTimestamp >>> 0);
      v.setUint32(16, p.packetCount >>> 0);
      v.setUint32(20, p.octetCount >>> 0);
      writeReportBlocks(v, 24, p.reports);
      return { packetType: RTCP_SR, count: p.reports.length, body };
    }
    case 'rr': {
      const body = new Uint8Array(4 + p.reports.length * REPORT_BLOCK_LENGTH);
      const v = new DataView(body.buffer);
      v.setUint32(0, p.ssrc);
      writeReportBlocks(v, 4, p.reports);
      return { packetType: RTCP_RR, count: p.reports.length, body };
    }
    case 'sdes': {
      const parts: number[] = [];
      for (const chunk of p.chunks) {
        parts.push(chunk.ssrc >>> 24, (chunk.ssrc >>> 16) & 0xff, (chunk.ssrc >>> 8) & 0xff, chunk.ssrc & 0xff);
        for (const item of chunk.items) {
          const text = textEncoder.encode(item.text).subarray(0, 255);
          parts.push(item.type, text.length, ...text);
        }
        // Null item terminator, then pad the chunk to 32 bits (RFC 3550 §6.5).
        do parts.push(0);
        while (parts.length % 4 !== 0);
      }
      return { packetType: RTCP_SDES, count: p.chunks.length, body: Uint8Array.from(parts) };
    }
    case 'bye': {
      const reason = p.reason === undefined ? undefined : textEncoder.encode(p.reason).subarray(0, 255);
      const raw = p.ssrcs.length * 4 + (reason ? 1 + reason.length : 0);
      const body = new Uint8Array(Math.ceil(raw / 4) * 4);
      const v = new DataView(body.buffer);
      p.ssrcs.forEach((s, i) => v.setUint32(i * 4, s));
      if (reason) {
        body[p.ssrcs.length * 4] = reason.length;
        body.set(reason, p.ssrcs.length * 4 + 1);
      }
      return { packetType: RTCP_BYE, count: p.ssrcs.length, body };
    }
    case 'other':
      return { packetType: p.packetType, count: p.count, body: p.body };
  }
}

/** Serializes packets into one compound RTCP datagram. */
export function serializeRtcp(packets: readonly RtcpPacket[]): Uint8Array {
  const encoded = packets.map((p) => {
    const e = encodeBody(p);
    if (e.count > 31) throw new RangeError(`RTCP packet type ${e.packetType} holds at most 31 items`);
    if (e.body.length % 4 !== 0) throw new RangeError('RTCP packet body must be a multiple of 4 octets');
    return e;
  });
  const out = new Uint8Array(encoded.reduce((n, e) => n + 4 + e.body.length, 0));
  let offset = 0;
  for (const e of encoded) {
    out[offset] = 0x80 | e.count;
    out[offset + 1] = e.packetType;
    const words = e.body.length / 4; // length field = total 32-bit words minus one
    out[offset + 2] = words >> 8;
    out[offset + 3] = words & 0xff;
    out.set(e.body, offset + 4);
    offset += 4 + e.body.length;
  }
  return out;
}
