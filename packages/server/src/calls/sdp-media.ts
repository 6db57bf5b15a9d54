import type { G711Law } from '../media/g711.js';
import type { LocalAudioCapabilities } from '../sip/sdp-offer-answer.js';
import { getCodecs, getConnection, getDirection, hasRtcpMux, type Direction, type SessionDescription } from '../sip/sdp.js';

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

/** G.711 both ways, so SIP↔SIP and SIP↔browser (PCMU) bridges never transcode codecs. */
export function localAudio(address: string, port: number, direction: Direction = 'sendrecv'): LocalAudioCapabilities {
  return {
    address,
    port,
    direction,
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
