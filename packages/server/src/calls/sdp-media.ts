import type { SrtpPolicy } from '@callsight/protocol';
import type { G711Law } from '../media/g711.js';
import type { SrtpKeys } from '../media/srtp.js';
import { cryptoValue, newMasterKey, offeredCrypto } from '../sip/sdes.js';
import type { LocalAudioCapabilities } from '../sip/sdp-offer-answer.js';
import { getAttribute, getCodecs, getConnection, getDirection, hasRtcpMux, type Direction, type SdpMedia, type SessionDescription } from '../sip/sdp.js';

/** What an RTP session needs from a negotiated SDP. */
export interface NegotiatedAudio {
  address: string;
  port: number;
  law: G711Law;
  payloadType: number;
  telephoneEventPt: number | null;
  direction: Direction;
  rtcpMux: boolean;
}

/** Profiles an RTP leg answers with each SRTP policy (SAVP(F) needs SDES keys, checked by classifyOffer). */
const ANSWERABLE: Record<SrtpPolicy, string[]> = { off: ['RTP/AVP'], optional: ['RTP/AVP', 'RTP/SAVP', 'RTP/SAVPF'], required: ['RTP/AVP', 'RTP/SAVP', 'RTP/SAVPF'] };

/**
 * G.711 both ways, so SIP↔SIP and SIP↔browser (PCMU) bridges never transcode codecs.
 * `srtp`: the leg's policy (what profiles an answer may take), or the profile of our offer.
 */
export function localAudio(address: string, port: number, direction: Direction = 'sendrecv', srtp: SrtpPolicy | { offer: string } = 'off'): LocalAudioCapabilities {
  return {
    address,
    port,
    direction,
    protocols: typeof srtp === 'string' ? ANSWERABLE[srtp] : [srtp.offer],
    ptime: 20,
    codecs: [
      { name: 'PCMU', clockRate: 8000 },
      { name: 'PCMA', clockRate: 8000 },
      { name: 'telephone-event', clockRate: 8000, fmtp: '0-16' },
    ],
  };
}

/** The first accepted audio stream of a description, or null when there is none. */
export function negotiatedAudio(sdp: SessionDescription): NegotiatedAudio | null {
  const media = sdp.media.find((m) => m.type === 'audio' && m.port !== 0);
  if (!media) return null;
  const codecs = getCodecs(media);
  const audio = codecs.find((c) => ['pcmu', 'pcma'].includes(c.name.toLowerCase()) && c.clockRate === 8000);
  if (!audio) return null;
  const dtmf = codecs.find((c) => c.name.toLowerCase() === 'telephone-event' && c.clockRate === 8000);
  return {
    address: getConnection(media, sdp)?.address ?? '0.0.0.0',
    port: media.port,
    law: audio.name.toLowerCase() === 'pcma' ? 'alaw' : 'ulaw',
    payloadType: audio.pt,
    telephoneEventPt: dtmf?.pt ?? null,
    direction: getDirection(media, sdp),
    rtcpMux: hasRtcpMux(media),
  };
}

/** What kind of media an offer asks for: plain RTP, or WebRTC (ICE + DTLS-SRTP, RFC 8829/8835). */
export type OfferMedia = 'rtp' | 'webrtc';

/**
 * Why an offer cannot be taken: the SIP status (488 Not Acceptable Here when another
 * offer could work here, 606 Not Acceptable when no offer of this kind ever would) and
 * the RFC 3261 20.43 warn-code + text for the Warning header.
 */
export interface OfferRefusal {
  status: 488 | 606;
  warnCode: 301 | 302 | 304 | 305 | 399;
  text: string;
}

export interface OfferPolicy {
  /** WebRTC-style offers (ICE + DTLS-SRTP) may be answered with a WebRTC media endpoint. */
  webrtc: boolean;
  /** SDES-SRTP (RFC 4568) on RTP offers. */
  srtp: SrtpPolicy;
}

const WEBRTC_PROFILES = new Set(['UDP/TLS/RTP/SAVPF', 'UDP/TLS/RTP/SAVP', 'TCP/TLS/RTP/SAVPF', 'TCP/DTLS/RTP/SAVPF']);
const RTP_PROFILES = new Set(['RTP/AVP', 'RTP/AVPF']);
const SDES_PROFILES = new Set(['RTP/SAVP', 'RTP/SAVPF']);

const SUITES = 'AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32';

/**
 * Why an RTP stream's SDES keying cannot be taken with this policy, or null. Malformed
 * a=crypto lines are refused even on RTP/AVP (best-effort SRTP), so a typo in a key
 * never silently falls back to plain audio.
 */
function classifyCrypto(m: SdpMedia, policy: SrtpPolicy): OfferRefusal | null {
  const secure = SDES_PROFILES.has(m.protocol);
  if (secure && policy === 'off') return { status: 488, warnCode: 302, text: 'SDES-SRTP is not accepted here' };
  if (policy === 'off') return null;
  const crypto = offeredCrypto(m);
  if (crypto.usable.length > 0) return null;
  if (crypto.malformed > 0) return { status: 488, warnCode: 399, text: 'Malformed SDES crypto attribute' };
  if (crypto.unsupported > 0 && (secure || policy === 'required')) return { status: 488, warnCode: 302, text: `No supported SRTP crypto suite (${SUITES}, no MKI)` };
  if (secure) return { status: 488, warnCode: 399, text: 'RTP/SAVP offer without a=crypto keys' };
  if (policy === 'required') return { status: 488, warnCode: 302, text: 'SRTP is required here (RTP/SAVP with a=crypto)' };
  return null;
}

/** The SRTP keys of an SDES answer to `offered` (the first usable a=crypto, a fresh key of ours), or null for plain RTP. */
export function answerSrtp(offered: SdpMedia, policy: SrtpPolicy): { tag: number; keys: SrtpKeys } | null {
  if (policy === 'off') return null;
  const chosen = offeredCrypto(offered).usable[0];
  if (!chosen) return null;
  return { tag: chosen.tag, keys: { local: newMasterKey(chosen.master.suite), remote: chosen.master } };
}

/** a=crypto lines of an SDES offer: both suites, each with its own key (RFC 4568 6.1). */
export function offerSrtp(): { tag: number; local: SrtpKeys['local'] }[] {
  return [
    { tag: 1, local: newMasterKey('AES_CM_128_HMAC_SHA1_80') },
    { tag: 2, local: newMasterKey('AES_CM_128_HMAC_SHA1_32') },
  ];
}

/** Adds a=crypto lines to a media section. */
export function addCrypto(media: SdpMedia, lines: { tag: number; local: SrtpKeys['local'] }[]): void {
  for (const l of lines) media.attributes.push({ name: 'crypto', value: cryptoValue(l.tag, l.local) });
}
/** a=fingerprint (RFC 8122 5): a hash function and colon-separated upper- or lower-case hex bytes. */
const FINGERPRINT = /^(sha-1|sha-224|sha-256|sha-384|sha-512)\s+([0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){15,63})$/i;
const ICE_CHARS = /^[A-Za-z0-9+/]+$/;

const attr = (media: SdpMedia, sdp: SessionDescription, name: string) => getAttribute(media, name) ?? sdp.attributes.find((a) => a.name === name)?.value;

/** The first acceptable audio stream's kind, or why none is (checked before anything is set up). */
export function classifyOffer(sdp: SessionDescription, policy: OfferPolicy): { media: OfferMedia } | OfferRefusal {
  const audio = sdp.media.filter((m) => m.type === 'audio' && m.port !== 0);
  if (audio.length === 0) return { status: 606, warnCode: 304, text: 'No audio stream offered' };
  let first: OfferRefusal | null = null;
  for (const m of audio) {
    const verdict = classifyStream(m, sdp, policy);
    if (!('status' in verdict)) return verdict;
    first ??= verdict;
  }
  return first!;
}

function classifyStream(m: SdpMedia, sdp: SessionDescription, policy: OfferPolicy): { media: OfferMedia } | OfferRefusal {
  const names = getCodecs(m).map((c) => `${c.name.toLowerCase()}/${c.clockRate}`);
  const sdes = RTP_PROFILES.has(m.protocol) || SDES_PROFILES.has(m.protocol);
  if (sdes) {
    const refusal = classifyCrypto(m, policy.srtp);
    if (refusal) return refusal;
    if (!names.includes('pcmu/8000') && !names.includes('pcma/8000')) return { status: 488, warnCode: 305, text: 'No common audio codec (PCMU, PCMA)' };
    return { media: 'rtp' };
  }
  if (WEBRTC_PROFILES.has(m.protocol)) {
    if (!policy.webrtc) return { status: 488, warnCode: 302, text: 'WebRTC media (DTLS-SRTP) is not accepted here' };
    const fingerprint = attr(m, sdp, 'fingerprint');
    if (!fingerprint) return { status: 488, warnCode: 399, text: 'DTLS-SRTP offer without a fingerprint' };
    if (!FINGERPRINT.test(fingerprint.trim())) return { status: 488, warnCode: 399, text: 'Malformed DTLS fingerprint' };
    const ufrag = attr(m, sdp, 'ice-ufrag');
    const pwd = attr(m, sdp, 'ice-pwd');
    if (!ufrag || !pwd) return { status: 488, warnCode: 399, text: 'ICE without credentials (ice-ufrag, ice-pwd)' };
    if (!ICE_CHARS.test(ufrag) || !ICE_CHARS.test(pwd) || ufrag.length < 4 || pwd.length < 22) return { status: 488, warnCode: 399, text: 'Malformed ICE credentials' };
    if (!names.includes('pcmu/8000') && !names.includes('opus/48000')) return { status: 488, warnCode: 305, text: 'No common audio codec (Opus, PCMU)' };
    return { media: 'webrtc' };
  }
  return { status: 488, warnCode: 302, text: `Transport ${m.protocol} not supported` };
}

/** The Warning header value for a refusal (RFC 3261 20.43: warn-code SP warn-agent SP "text"). */
export function warningHeader(refusal: OfferRefusal, agent: string): string {
  return `${refusal.warnCode} ${agent} "${refusal.text.replace(/["\\]/g, '')}"`;
}
