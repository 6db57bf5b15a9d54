/**
 * The offer/answer model (RFC 3264) for a single-stream audio endpoint: make
 * an offer, or answer one with the codecs and direction both sides can use.
 */
import { randomInt } from 'node:crypto';
import { CallsightError } from '../core/errors.js';
import {
  getCodecs,
  getConnection,
  getDirection,
  hasRtcpMux,
  setDirection,
  type Codec,
  type Direction,
  type SdpMedia,
  type SessionDescription,
} from './sdp.js';

/** A codec this endpoint can use; channels default to 1. */
export interface LocalCodec {
  name: string;
  clockRate: number;
  channels?: number;
  fmtp?: string;
}

export interface LocalAudioCapabilities {
  /** Address RTP is received on (c= line). */
  address: string;
  /** RTP port of the audio stream. */
  port: number;
  /** Codecs in preference order; include telephone-event to negotiate RFC 4733 DTMF. */
  codecs: LocalCodec[];
  /** What this endpoint is willing to do (default sendrecv); sendonly puts the peer on hold. */
  direction?: Direction;
  ptime?: number;
  /** Offer / accept RFC 5761 rtcp-mux. */
  rtcpMux?: boolean;
  /** RTP profiles accepted (default RTP/AVP only, i.e. no SRTP). */
  protocols?: string[];
  /** o= session id and version; the version must grow with each new offer/answer (RFC 3264 8). */
  sessionId?: string;
  sessionVersion?: number;
}

/** No acceptable audio stream in an offer: answer 488 (RFC 3264 6, RFC 3261 13.3.1.1). */
export class SdpNegotiationError extends CallsightError {
  constructor(message: string) {
    super('sdp_not_acceptable', message, { status: 488 });
    this.name = 'SdpNegotiationError';
  }
}

/** Known static payload types (RFC 3551 6) so offers use them instead of dynamic ones. */
const STATIC: Record<string, number> = { 'pcmu/8000': 0, 'gsm/8000': 3, 'g723/8000': 4, 'pcma/8000': 8, 'g722/8000': 9, 'g729/8000': 18 };

/** Channels an encoding has when rtpmap omits them: Opus is always declared as 2 (RFC 7587 7). */
const channelsOf = (c: { name: string; channels?: number }) => c.channels ?? (c.name.toLowerCase() === 'opus' ? 2 : 1);

const sameCodec = (a: LocalCodec, b: LocalCodec) =>
  a.name.toLowerCase() === b.name.toLowerCase() && a.clockRate === b.clockRate && channelsOf(a) === channelsOf(b);

const isDtmf = (c: { name: string }) => c.name.toLowerCase() === 'telephone-event';

function canSend(d: Direction) {
  return d === 'sendrecv' || d === 'sendonly';
}
function canRecv(d: Direction) {
  return d === 'sendrecv' || d === 'recvonly';
}
function toDirection(send: boolean, recv: boolean): Direction {
  return send ? (recv ? 'sendrecv' : 'sendonly') : recv ? 'recvonly' : 'inactive';
}

function addrType(address: string) {
  return address.includes(':') ? 'IP6' : 'IP4';
}

function codecAttributes(codecs: Codec[]) {
  const attrs = [];
  for (const c of codecs) {
    attrs.push({ name: 'rtpmap', value: `${c.pt} ${c.name}/${c.clockRate}${c.channels && c.channels !== 1 ? '/' + c.channels : ''}` });
    if (c.fmtp !== undefined) attrs.push({ name: 'fmtp', value: `${c.pt} ${c.fmtp}` });
  }
  return attrs;
}

function skeleton(local: LocalAudioCapabilities, media: SdpMedia[]): SessionDescription {
  return {
    version: 0,
    origin: {
      username: '-',
      sessionId: local.sessionId ?? String(randomInt(1, 2 ** 47)),
      sessionVersion: String(local.sessionVersion ?? 1),
      netType: 'IN',
      addrType: addrType(local.address),
      address: local.address,
    },
    sessionName: '-',
    connection: { netType: 'IN', addrType: addrType(local.address), address: local.address },
    bandwidths: [],
    timing: ['0 0'],
    attributes: [],
    media,
    other: [],
  };
}

function audioMedia(local: LocalAudioCapabilities, codecs: Codec[], protocol: string, direction: Direction, rtcpMux: boolean): SdpMedia {
  const media: SdpMedia = {
    type: 'audio',
    port: local.port,
    protocol,
    formats: codecs.map((c) => String(c.pt)),
    bandwidths: [],
    attributes: codecAttributes(codecs),
    other: [],
  };
  if (local.ptime !== undefined) media.attributes.push({ name: 'ptime', value: String(local.ptime) });
  if (rtcpMux) media.attributes.push({ name: 'rtcp-mux' });
  setDirection(media, direction);
  return media;
}

/** Builds an offer with one audio stream; static payload types where RFC 3551 has them, dynamic from 96. */
export function createOffer(local: LocalAudioCapabilities): SessionDescription {
  let dynamic = 96;
  const codecs: Codec[] = local.codecs.map((c) => {
    const pt = STATIC[`${c.name.toLowerCase()}/${c.clockRate}`] ?? dynamic++;
    const codec: Codec = { pt, name: c.name, clockRate: c.clockRate };
    if (c.channels !== undefined || c.name.toLowerCase() === 'opus') codec.channels = channelsOf(c);
    if (c.fmtp !== undefined) codec.fmtp = c.fmtp;
    return codec;
  });
  const protocol = local.protocols?.[0] ?? 'RTP/AVP';
  return skeleton(local, [audioMedia(local, codecs, protocol, local.direction ?? 'sendrecv', local.rtcpMux ?? false)]);
}

/**
 * Answers an offer (RFC 3264 6): one m= line per offered stream, in order;
 * the first audio stream with a common codec is accepted, every other stream
 * is rejected with port 0. Common codecs keep the offer's payload types and
 * order. Direction is the mirror of the offer's limited by ours, so a hold
 * (sendonly) is answered recvonly and inactive stays inactive (RFC 3264 6.1,
 * 8.4; c=0.0.0.0 is the RFC 2543 way of saying sendonly).
 * Throws SdpNegotiationError (488) when no audio stream can be accepted.
 */
export function negotiateAnswer(offer: SessionDescription, local: LocalAudioCapabilities): SessionDescription {
  const protocols = local.protocols ?? ['RTP/AVP'];
  const ours = local.direction ?? 'sendrecv';
  let accepted = false;
  const media = offer.media.map((offered): SdpMedia => {
    const rejected: SdpMedia = { type: offered.type, port: 0, protocol: offered.protocol, formats: offered.formats.slice(0, 1), bandwidths: [], attributes: [], other: [] };
    if (accepted || offered.type !== 'audio' || offered.port === 0 || !protocols.includes(offered.protocol)) return rejected;
    const common = getCodecs(offered).filter((c) => local.codecs.some((l) => sameCodec(c, l)));
    // telephone-event alone carries no audio.
    if (!common.some((c) => !isDtmf(c))) return rejected;
    accepted = true;
    let theirs = getDirection(offered, offer);
    if (getConnection(offered, offer)?.address === '0.0.0.0' && canSend(theirs)) theirs = 'sendonly';
    const direction = toDirection(canRecv(theirs) && canSend(ours), canSend(theirs) && canRecv(ours));
    return audioMedia(local, common, offered.protocol, direction, (local.rtcpMux ?? false) && hasRtcpMux(offered));
  });
  if (!accepted) throw new SdpNegotiationError('no common audio codec');
  return skeleton(local, media);
}
