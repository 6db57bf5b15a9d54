/**
 * Session descriptions (RFC 4566): parse, serialize, and typed views of what
 * an audio endpoint needs (codecs, direction, connection address, ptime,
 * rtcp-mux). Attributes not interpreted here (a=crypto, a=fingerprint,
 * a=ice-*, ...) are kept verbatim, in order.
 */
import { CallsightError } from '../core/errors.js';

export interface SdpAttribute {
  name: string;
  /** Text after the first ':'; undefined for property attributes like a=rtcp-mux. */
  value?: string;
}

export interface SdpConnection {
  netType: string;
  addrType: string;
  /** Address, with any "/ttl/count" suffix of multicast addresses kept. */
  address: string;
}

export interface SdpOrigin {
  username: string;
  sessionId: string;
  sessionVersion: string;
  netType: string;
  addrType: string;
  address: string;
}

/** Lines kept as text (i, u, e, p, r, z, k), re-emitted at their RFC 4566 position. */
export interface SdpLine {
  type: string;
  value: string;
}

export interface SdpMedia {
  type: string;
  port: number;
  portCount?: number;
  protocol: string;
  /** Payload types (RTP) or format names, in preference order. */
  formats: string[];
  connection?: SdpConnection;
  bandwidths: string[];
  attributes: SdpAttribute[];
  other: SdpLine[];
}

export interface SessionDescription {
  version: number;
  origin: SdpOrigin;
  sessionName: string;
  connection?: SdpConnection;
  bandwidths: string[];
  /** t= values ("start stop"). */
  timing: string[];
  attributes: SdpAttribute[];
  media: SdpMedia[];
  other: SdpLine[];
}

export class SdpParseError extends CallsightError {
  constructor(message: string) {
    super('sdp_invalid', message, { status: 400 });
    this.name = 'SdpParseError';
  }
}

function parseConnection(value: string): SdpConnection {
  const parts = value.split(' ');
  if (parts.length !== 3 || parts.some((p) => p === '')) throw new SdpParseError('c= must be "nettype addrtype address"');
  return { netType: parts[0], addrType: parts[1], address: parts[2] };
}

function parseAttribute(value: string): SdpAttribute {
  const colon = value.indexOf(':');
  return colon === -1 ? { name: value } : { name: value.slice(0, colon), value: value.slice(colon + 1) };
}

function parseMediaLine(value: string): SdpMedia {
  const m = /^(\S+) (\d{1,5})(?:\/(\d+))? (\S+)((?: \S+)*)$/.exec(value);
  if (!m || Number(m[2]) > 65535) throw new SdpParseError(`malformed m= line: ${value}`);
  const media: SdpMedia = { type: m[1], port: Number(m[2]), protocol: m[4], formats: m[5].split(' ').filter((f) => f !== ''), bandwidths: [], attributes: [], other: [] };
  if (m[3] !== undefined) media.portCount = Number(m[3]);
  return media;
}

/** Line types other than those with a typed field; anything else makes the description invalid (RFC 4566 5). */
const SESSION_OTHER = new Set(['i', 'u', 'e', 'p', 'r', 'z', 'k']);
const MEDIA_OTHER = new Set(['i', 'k']);

/** Parses an SDP body (CRLF or bare LF line ends). Throws SdpParseError. */
export function parseSdp(input: Buffer | string): SessionDescription {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== 'v=0') throw new SdpParseError('SDP must start with v=0');
  let origin: SdpOrigin | undefined;
  let sessionName: string | undefined;
  const sdp: Omit<SessionDescription, 'origin' | 'sessionName'> = { version: 0, bandwidths: [], timing: [], attributes: [], media: [], other: [] };
  let media: SdpMedia | undefined;
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n];
    if (line.length < 2 || line[1] !== '=') throw new SdpParseError(`malformed SDP line ${n + 1}`);
    const type = line[0];
    const value = line.slice(2);
    if (type === 'm') {
      media = parseMediaLine(value);
      sdp.media.push(media);
    } else if (type === 'a') {
      (media ?? sdp).attributes.push(parseAttribute(value));
    } else if (type === 'c') {
      (media ?? sdp).connection = parseConnection(value);
    } else if (type === 'b') {
      (media ?? sdp).bandwidths.push(value);
    } else if (media) {
      if (!MEDIA_OTHER.has(type)) throw new SdpParseError(`unexpected ${type}= line in media description`);
      media.other.push({ type, value });
    } else if (type === 'o') {
      const p = value.split(' ');
      if (p.length !== 6) throw new SdpParseError('o= must have 6 fields');
      origin = { username: p[0], sessionId: p[1], sessionVersion: p[2], netType: p[3], addrType: p[4], address: p[5] };
    } else if (type === 's') {
      sessionName = value;
    } else if (type === 't') {
      sdp.timing.push(value);
    } else if (SESSION_OTHER.has(type)) {
      sdp.other.push({ type, value });
    } else {
      throw new SdpParseError(`unknown SDP line type ${type}=`);
    }
  }
  if (!origin) throw new SdpParseError('missing o= line');
  if (sessionName === undefined) throw new SdpParseError('missing s= line');
  return { ...sdp, origin, sessionName };
}

const connectionLine = (c: SdpConnection) => `c=${c.netType} ${c.addrType} ${c.address}\r\n`;
const attributeLine = (a: SdpAttribute) => (a.value === undefined ? `a=${a.name}\r\n` : `a=${a.name}:${a.value}\r\n`);
const otherLines = (lines: SdpLine[], types: string) =>
  lines.filter((l) => types.includes(l.type)).map((l) => `${l.type}=${l.value}\r\n`).join('');

/** Serializes in the order RFC 4566 5 mandates (v o s i u e p c b t r z k a, then m i c b k a). */
export function serializeSdp(sdp: SessionDescription): string {
  const o = sdp.origin;
  let out = `v=${sdp.version}\r\no=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}\r\ns=${sdp.sessionName}\r\n`;
  out += otherLines(sdp.other, 'iuep');
  if (sdp.connection) out += connectionLine(sdp.connection);
  for (const b of sdp.bandwidths) out += `b=${b}\r\n`;
  for (const t of sdp.timing.length > 0 ? sdp.timing : ['0 0']) out += `t=${t}\r\n`;
  out += otherLines(sdp.other, 'rzk');
  for (const a of sdp.attributes) out += attributeLine(a);
  for (const m of sdp.media) {
    const port = m.portCount === undefined ? `${m.port}` : `${m.port}/${m.portCount}`;
    out += `m=${m.type} ${port} ${m.protocol}${m.formats.map((f) => ' ' + f).join('')}\r\n`;
    out += otherLines(m.other, 'i');
    if (m.connection) out += connectionLine(m.connection);
    for (const b of m.bandwidths) out += `b=${b}\r\n`;
    out += otherLines(m.other, 'k');
    for (const a of m.attributes) out += attributeLine(a);
  }
  return out;
}

// ---- typed views -------------------------------------------------------------

export interface Codec {
  /** RTP payload type. */
  pt: number;
  /** Encoding name as in rtpmap, e.g. "PCMU", "opus", "telephone-event". */
  name: string;
  clockRate: number;
  channels?: number;
  /** a=fmtp parameters, e.g. "0-16" for telephone-event. */
  fmtp?: string;
}

/** Static payload types of RFC 3551 6 that audio endpoints meet. */
const STATIC_PT: Record<number, [string, number]> = {
  0: ['PCMU', 8000], 3: ['GSM', 8000], 4: ['G723', 8000], 8: ['PCMA', 8000], 9: ['G722', 8000], 18: ['G729', 8000],
};

export function getAttribute(media: SdpMedia, name: string): string | undefined {
  return media.attributes.find((a) => a.name === name)?.value;
}

/** Codecs of an RTP media description in m= preference order; rtpmap overrides static defaults. */
export function getCodecs(media: SdpMedia): Codec[] {
  const maps = new Map<number, { name: string; clockRate: number; channels?: number; fmtp?: string }>();
  for (const a of media.attributes) {
    if (a.value === undefined) continue;
    const m = /^(\d+) +(.*)$/.exec(a.value);
    if (!m) continue;
    const pt = Number(m[1]);
    if (a.name === 'rtpmap') {
      const enc = /^([^/\s]+)\/(\d+)(?:\/(\d+))?$/.exec(m[2].trim());
      if (enc) maps.set(pt, { ...maps.get(pt), name: enc[1], clockRate: Number(enc[2]), channels: enc[3] === undefined ? undefined : Number(enc[3]) });
    } else if (a.name === 'fmtp') {
      const known = maps.get(pt);
      maps.set(pt, { name: known?.name ?? '', clockRate: known?.clockRate ?? 0, channels: known?.channels, fmtp: m[2] });
    }
  }
  const codecs: Codec[] = [];
  for (const f of media.formats) {
    if (!/^\d{1,3}$/.test(f)) continue;
    const pt = Number(f);
    const mapped = maps.get(pt);
    // rtpmap wins; static payload types need none (RFC 3551 6); dynamic ones without rtpmap are unusable.
    const [name, clockRate] = mapped?.name ? [mapped.name, mapped.clockRate] : (STATIC_PT[pt] ?? []);
    if (name === undefined || clockRate === undefined) continue;
    const codec: Codec = { pt, name, clockRate };
    if (mapped?.channels !== undefined) codec.channels = mapped.channels;
    if (mapped?.fmtp !== undefined) codec.fmtp = mapped.fmtp;
    codecs.push(codec);
  }
  return codecs;
}

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
const DIRECTIONS: readonly string[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

function directionOf(attributes: SdpAttribute[]): Direction | undefined {
  return attributes.find((a) => a.value === undefined && DIRECTIONS.includes(a.name))?.name as Direction | undefined;
}

/** Media-level direction, else session-level, else sendrecv (RFC 4566 6). */
export function getDirection(media: SdpMedia, sdp: SessionDescription): Direction {
  return directionOf(media.attributes) ?? directionOf(sdp.attributes) ?? 'sendrecv';
}

/** Sets a media-level direction attribute, replacing any present. */
export function setDirection(media: SdpMedia, direction: Direction): void {
  media.attributes = media.attributes.filter((a) => !(a.value === undefined && DIRECTIONS.includes(a.name)));
  media.attributes.push({ name: direction });
}

/** The connection that applies to a media description (media-level c= wins, RFC 4566 5.7). */
export function getConnection(media: SdpMedia, sdp: SessionDescription): SdpConnection | undefined {
  return media.connection ?? sdp.connection;
}

export function getPtime(media: SdpMedia): number | undefined {
  const v = getAttribute(media, 'ptime');
  return v !== undefined && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
}

/** RFC 5761: RTP and RTCP share one port. */
export function hasRtcpMux(media: SdpMedia): boolean {
  return media.attributes.some((a) => a.name === 'rtcp-mux');
}
