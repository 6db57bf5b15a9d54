import {
  RTCRtpCodecParameters,
  useAudioLevelIndication,
  useSdesMid,
  useTransportWideCC,
  type PeerConfig,
  type RTCRtpHeaderExtensionParameters,
} from 'werift';

/**
 * What a server-side peer negotiates.
 * - `pcmu`: G.711 µ-law only, for browser legs bridged to SIP — the RTP payload goes to
 *   the SIP side untouched, so a bridged call never transcodes.
 * - `opus`: Opus for browser↔browser media (rooms, browser-to-browser calls).
 * Both carry RFC 4733 telephone-event so keypad presses arrive as events, not tones.
 */
export type MediaProfile = 'pcmu' | 'opus';

export const PT_PCMU = 0;
export const PT_OPUS = 111;
/** telephone-event at 8 kHz pairs with PCMU; the 48 kHz one pairs with Opus (RFC 4733 §2.1: same clock as the audio). */
export const PT_TELEPHONE_EVENT_8K = 101;
export const PT_TELEPHONE_EVENT_48K = 110;
export const PT_VP8 = 96;

const pcmu = () => new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: PT_PCMU });
const opus = () =>
  new RTCRtpCodecParameters({
    mimeType: 'audio/opus',
    clockRate: 48000,
    channels: 2,
    payloadType: PT_OPUS,
    parameters: 'minptime=10;useinbandfec=1',
    rtcpFeedback: [{ type: 'transport-cc' }],
  });
const telephoneEvent = (clockRate: 8000 | 48000) =>
  new RTCRtpCodecParameters({
    mimeType: 'audio/telephone-event',
    clockRate,
    channels: 1,
    payloadType: clockRate === 8000 ? PT_TELEPHONE_EVENT_8K : PT_TELEPHONE_EVENT_48K,
    parameters: '0-16',
  });
// Video needs loss repair: NACK for retransmission, PLI/FIR to ask the publisher for a keyframe.
const vp8 = () =>
  new RTCRtpCodecParameters({
    mimeType: 'video/VP8',
    clockRate: 90000,
    payloadType: PT_VP8,
    rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }, { type: 'goog-remb' }],
  });

export function audioCodecs(profile: MediaProfile): RTCRtpCodecParameters[] {
  return profile === 'pcmu' ? [pcmu(), telephoneEvent(8000)] : [opus(), telephoneEvent(48000)];
}

/** RFC 6464 audio level feeds active-speaker detection; mid is required by BUNDLE. */
function audioExtensions(): RTCRtpHeaderExtensionParameters[] {
  return [useSdesMid(), useAudioLevelIndication()];
}

export interface PeerOptions {
  profile: MediaProfile;
  /** Rooms negotiate video too; calls are audio only. */
  video?: boolean;
  /**
   * Addresses offered as ICE host candidates besides the machine's interfaces.
   * 127.0.0.1 is always included so same-host browsers and tests connect without a network.
   */
  extraHostAddresses?: string[];
}

export function peerConfig(opts: PeerOptions): Partial<PeerConfig> {
  return {
    codecs: { audio: audioCodecs(opts.profile), video: opts.video ? [vp8()] : [] },
    headerExtensions: { audio: audioExtensions(), video: opts.video ? [useSdesMid(), useTransportWideCC()] : [] },
    iceUseIpv6: false,
    // Host candidates only (werift's default STUN server is off; see gatherHostCandidatesOnly).
    iceServers: [],
    iceAdditionalHostAddresses: ['127.0.0.1', ...(opts.extraHostAddresses ?? [])],
    bundlePolicy: 'max-bundle',
  };
}
