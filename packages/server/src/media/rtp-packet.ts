/**
 * RTP packet format (RFC 3550 §5.1) with header extensions (RFC 3550 §5.3.1) and the
 * one-byte / two-byte extension element formats of RFC 8285.
 *
 * Parsing never throws: RTP arrives from the network and anyone can send anything to a
 * media port, so a malformed datagram yields a reason code the session counts and drops.
 * The parsed payload and extension data are views into the received buffer (no copies).
 */

export const RTP_VERSION = 2;
export const RTP_FIXED_HEADER_LENGTH = 12;

/** RFC 8285 §4.2: "defined by profile" value announcing one-byte extension elements. */
export const EXTENSION_PROFILE_ONE_BYTE = 0xbede;
/** RFC 8285 §4.3: 0x100 in the upper 12 bits announces two-byte elements (low 4 bits: appbits). */
export const EXTENSION_PROFILE_TWO_BYTE = 0x1000;

export interface RtpExtensionElement {
  /** 1..14 in the one-byte form, 1..255 in the two-byte form. */
  id: number;
  data: Uint8Array;
}

export interface RtpHeaderExtension {
  /** The 16-bit "defined by profile" field. */
  profile: number;
  /** The raw extension body (a multiple of 4 bytes). */
  data: Uint8Array;
  /** Elements when `profile` announces RFC 8285 one- or two-byte elements. */
  elements?: RtpExtensionElement[];
}

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrc: number[];
  extension?: RtpHeaderExtension;
  payload: Uint8Array;
  /** Number of padding octets removed from the end (0 when the P bit is clear). */
  paddingLength: number;
}

/** Why a datagram is not a valid RTP packet; stable codes for counters and logs. */
export type RtpParseError =
  | 'rtp_too_short'
  | 'rtp_bad_version'
  | 'rtp_truncated_csrc'
  | 'rtp_truncated_extension'
  | 'rtp_bad_extension_element'
  | 'rtp_bad_padding';

export type RtpParseResult = { ok: true; packet: RtpPacket } | { ok: false; error: RtpParseError };

const fail = (error: RtpParseError): RtpParseResult => ({ ok: false, error });

/**
 * RTCP packet types 200..204 occupy the byte where RTP has marker+PT (RFC 5761 §4):
 * with rtcp-mux a datagram whose second byte is in 192..223 is RTCP, not RTP.
 */
export function isRtcpDatagram(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] >> 6 === RTP_VERSION && buf[1] >= 192 && buf[1] <= 223;
}

function parseExtensionElements(profile: number, data: Uint8Array): RtpExtensionElement[] | null | undefined {
  const oneByte = profile === EXTENSION_PROFILE_ONE_BYTE;
  const twoByte = (profile & 0xfff0) === EXTENSION_PROFILE_TWO_BYTE;
  if (!oneByte && !twoByte) return undefined;
  const elements: RtpExtensionElement[] = [];
  let i = 0;
  while (i < data.length) {
    const first = data[i];
    if (first === 0) {
      i++; // padding byte between or after elements (RFC 8285 §4.2, §4.3)
      continue;
    }
    let id: number;
    let length: number;
    if (oneByte) {
      id = first >> 4;
      // RFC 8285 §4.2: ID 15 is reserved and means "stop parsing here".
      if (id === 15) break;
      length = (first & 0x0f) + 1;
      i += 1;
    } else {
      if (i + 1 >= data.length) return null;
      id = first;
      length = data[i + 1];
      i += 2;
    }
    if (i + length > data.length) return null;
    elements.push({ id, data: data.subarray(i, i + length) });
    i += length;
  }
  return elements;
}

/** Parses one RTP packet. `buf` is not copied: the result's views share its memory. */
export function parseRtp(buf: Uint8Array): RtpParseResult {
  const len = buf.length;
  if (len < RTP_FIXED_HEADER_LENGTH) return fail('rtp_too_short');
  const b0 = buf[0];
  if (b0 >> 6 !== RTP_VERSION) return fail('rtp_bad_version');
  const hasPadding = (b0 & 0x20) !== 0;
  const hasExtension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  let offset = RTP_FIXED_HEADER_LENGTH + csrcCount * 4;
  if (offset > len) return fail('rtp_truncated_csrc');

  const view = new DataView(buf.buffer, buf.byteOffset, len);
  const csrc: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrc.push(view.getUint32(RTP_FIXED_HEADER_LENGTH + i * 4));

  let extension: RtpHeaderExtension | undefined;
  if (hasExtension) {
    if (offset + 4 > len) return fail('rtp_truncated_extension');
    const profile = view.getUint16(offset);
    const words = view.getUint16(offset + 2);
    const start = offset + 4;
    const end = start + words * 4;
    if (end > len) return fail('rtp_truncated_extension');
    const data = buf.subarray(start, end);
    const elements = parseExtensionElements(profile, data);
    if (elements === null) return fail('rtp_bad_extension_element');
    extension = elements ? { profile, data, elements } : { profile, data };
    offset = end;
  }

  let paddingLength = 0;
  if (hasPadding) {
    // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
    paddingLength = buf[len - 1];
    if (paddingLength === 0 || offset + paddingLength > len) return fail('rtp_bad_padding');
  }

  return {
    ok: true,
    packet: {
      marker: (buf[1] & 0x80) !== 0,
      payloadType: buf[1] & 0x7f,
      sequenceNumber: view.getUint16(2),
      timestamp: view.getUint32(4),
      ssrc: view.getUint32(8),
      csrc,
      extension,
      payload: buf.subarray(offset, len - paddingLength),
      paddingLength,
    },
  };
}

export interface RtpPacketInit {
  marker?: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrc?: readonly number[];
  /** Either raw `data` with a profile, or RFC 8285 `elements` (form chosen automatically). */
  extension?: { profile: number; data: Uint8Array } | { elements: readonly RtpExtensionElement[] };
  payload: Uint8Array;
  /** Pad the packet to a multiple of this many octets (e.g. for SRTP block ciphers). */
  padTo?: number;
}

function encodeExtensionElements(elements: readonly RtpExtensionElement[]): { profile: number; data: Uint8Array } {
  // RFC 8285 §4.2: the one-byte form fits IDs 1..14 with 1..16 data octets.
  const oneByte = elements.every((e) => e.id >= 1 && e.id <= 14 && e.data.length >= 1 && e.data.length <= 16);
  let size = 0;
  for (const e of elements) {
    if (!oneByte && (e.id < 1 || e.id > 255 || e.data.length > 255)) {
      throw new RangeError(`RTP extension element id ${e.id} / length ${e.data.length} out of range`);
    }
    size += (oneByte ? 1 : 2) + e.data.length;
  }
  const data = new Uint8Array(Math.ceil(size / 4) * 4); // zero-filled tail = padding
  let i = 0;
  for (const e of elements) {
    if (oneByte) {
      data[i++] = (e.id << 4) | (e.data.length - 1);
    } else {
      data[i++] = e.id;
      data[i++] = e.data.length;
    }
    data.set(e.data, i);
    i += e.data.length;
  }
  return { profile: oneByte ? EXTENSION_PROFILE_ONE_BYTE : EXTENSION_PROFILE_TWO_BYTE, data };
}

/** Serializes an RTP packet into a new buffer. */
export function serializeRtp(p: RtpPacketInit): Uint8Array {
  const csrc = p.csrc ?? [];
  if (csrc.length > 15) throw new RangeError('RTP allows at most 15 CSRCs');
  const ext = p.extension && ('elements' in p.extension ? encodeExtensionElements(p.extension.elements) : p.extension);
  if (ext && ext.data.length % 4 !== 0) throw new RangeError('RTP header extension length must be a multiple of 4');
  const headerLength = RTP_FIXED_HEADER_LENGTH + csrc.length * 4 + (ext ? 4 + ext.data.length : 0);
  const unpadded = headerLength + p.payload.length;
  const padTo = p.padTo ?? 0;
  const padding = padTo > 1 && unpadded % padTo !== 0 ? padTo - (unpadded % padTo) : 0;
  const buf = new Uint8Array(unpadded + padding);
  const view = new DataView(buf.buffer);
  buf[0] = (RTP_VERSION << 6) | (padding ? 0x20 : 0) | (ext ? 0x10 : 0) | csrc.length;
  writeRtpFixedFields(buf, p.marker ?? false, p.payloadType, p.sequenceNumber, p.timestamp, p.ssrc);
  csrc.forEach((c, i) => view.setUint32(RTP_FIXED_HEADER_LENGTH + i * 4, c));
  let offset = RTP_FIXED_HEADER_LENGTH + csrc.length * 4;
  if (ext) {
    view.setUint16(offset, ext.profile);
    view.setUint16(offset + 2, ext.data.length / 4);
    buf.set(ext.data, offset + 4);
    offset += 4 + ext.data.length;
  }
  buf.set(p.payload, offset);
  if (padding) buf[buf.length - 1] = padding;
  return buf;
}

/**
 * Writes bytes 1..11 of the fixed header (M/PT, sequence, timestamp, SSRC) in place.
 * The packetizer uses this on a template buffer so each outgoing frame costs no parsing
 * or object allocation.
 */
export function writeRtpFixedFields(
  buf: Uint8Array,
  marker: boolean,
  payloadType: number,
  sequenceNumber: number,
  timestamp: number,
  ssrc: number,
): void {
  buf[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  buf[2] = (sequenceNumber >>> 8) & 0xff;
  buf[3] = sequenceNumber & 0xff;
  buf[4] = timestamp >>> 24;
  buf[5] = (timestamp >>> 16) & 0xff;
  buf[6] = (timestamp >>> 8) & 0xff;
  buf[7] = timestamp & 0xff;
  buf[8] = ssrc >>> 24;
  buf[9] = (ssrc >>> 16) & 0xff;
  buf[10] = (ssrc >>> 8) & 0xff;
  buf[11] = ssrc & 0xff;
}
