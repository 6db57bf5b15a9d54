import { MediaClock } from '../media/clock.js';
import { PortPool } from '../media/port-pool.js';
import { RtpSession } from '../media/rtp-session.js';
import type { SrtpKeys } from '../media/srtp.js';
import { EspeakTts, type Tts } from '../media/tts.js';
import type { NegotiatedAudio } from './sdp-media.js';

/**
 * The process's media resources: one 20 ms clock for every stream, the RTP port
 * range, and text-to-speech. Shared by all calls of this process.
 */
export class MediaEngine {
  readonly clock: MediaClock;
  readonly ports: PortPool;
  readonly tts: Tts;

  constructor(opts: { rtpPorts: string; bindAddress: string; publicAddress: string; onError?: (err: unknown) => void; tts?: Tts }) {
    const [min, max] = opts.rtpPorts.split('-').map(Number);
    this.ports = new PortPool({ min, max });
    this.clock = new MediaClock({ onError: opts.onError });
    this.tts = opts.tts ?? new EspeakTts();
    this.bindAddress = opts.bindAddress;
    this.publicAddress = opts.publicAddress;
  }

  readonly bindAddress: string;
  /** Address put in our SDP. */
  readonly publicAddress: string;

  /** A session bound before negotiation (we need its port for our SDP); remote set later. */
  openSession(negotiated?: NegotiatedAudio, srtp?: SrtpKeys | null): Promise<RtpSession> {
    return RtpSession.open({
      clock: this.clock,
      ports: this.ports,
      bindAddress: this.bindAddress,
      ...(negotiated ? sessionParams(negotiated) : {}),
      srtp,
    });
  }
}

export function sessionParams(n: NegotiatedAudio) {
  return {
    remote: { address: n.address, port: n.port, rtcpPort: n.rtcpMux ? n.port : n.port + 1 },
    law: n.law,
    payloadType: n.payloadType,
    telephoneEventPayloadType: n.telephoneEventPt,
    rtcpMux: n.rtcpMux,
  };
}
