import { RTP_EXTENSION_URI, MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, useAudioLevelIndication, useSdesMid } from 'werift';
/** RFC 6464 one-byte element: V flag (voice) and the level in -dBov. */
const serializeAudioLevelIndication = (dbov: number) => Buffer.from([0x80 | (dbov & 0x7f)]);
import { gatherHostCandidatesOnly, waitForIceGathering } from '../../src/webrtc/ice-gathering.js';

const PAYLOAD_TYPE = { pcmu: 0, opus: 111, vp8: 96 } as const;
/** One 20 ms frame's timestamp step at the codec's clock. */
const SAMPLES_PER_FRAME = { pcmu: 160, opus: 960, vp8: 1800 } as const;

/**
 * A werift peer playing the browser in Node tests and the benchmark: it offers one audio
 * m-line (or, with `vp8`, one video m-line: the SFU benchmark's video run), sendrecv,
 * sendonly or recvonly, sends RTP frames and records what it receives.
 */
export class NodePeer {
  readonly pc: RTCPeerConnection;
  readonly track: MediaStreamTrack;
  private readonly kind: 'audio' | 'video';
  readonly received: { pt: number; seq: number; ts: number; payload: Buffer; at: number; marker: boolean; ssrc: number }[] = [];
  private seq = 1000;
  private ts = 0;
  onPacket: ((payload: Buffer, pt: number) => void) | null = null;

  constructor(
    readonly codec: 'pcmu' | 'opus' | 'vp8',
    private readonly direction: 'sendrecv' | 'sendonly' | 'recvonly' = 'sendrecv',
    opts: { audioLevel?: boolean; keep?: boolean } = {},
  ) {
    this.kind = codec === 'vp8' ? 'video' : 'audio';
    this.track = new MediaStreamTrack({ kind: this.kind });
    const video = [new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] })];
    const audio =
      codec === 'pcmu'
        ? [
            new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
            new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1, payloadType: 101 }),
          ]
        : [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })];
    this.pc = new RTCPeerConnection({
      codecs: this.kind === 'video' ? { video } : { audio },
      headerExtensions: this.kind === 'video' ? { video: [useSdesMid()] } : { audio: opts.audioLevel ? [useSdesMid(), useAudioLevelIndication()] : [useSdesMid()] },
      iceUseIpv6: false,
      iceServers: [],
      iceAdditionalHostAddresses: ['127.0.0.1'],
    });
    this.pc.onTrack.subscribe((t) =>
      t.onReceiveRtp.subscribe((rtp) => {
        if (opts.keep !== false) this.received.push({ pt: rtp.header.payloadType, seq: rtp.header.sequenceNumber, ts: rtp.header.timestamp, payload: rtp.payload, at: performance.now(), marker: rtp.header.marker, ssrc: rtp.header.ssrc });
        this.onPacket?.(rtp.payload, rtp.header.payloadType);
      }),
    );
  }

  /** Adds the transceiver and returns a complete offer (candidates included). */
  async offer(): Promise<string> {
    if (this.direction === 'recvonly') this.pc.addTransceiver(this.kind, { direction: 'recvonly' });
    else this.pc.addTransceiver(this.track, { direction: this.direction });
    const offer = await this.pc.createOffer();
    gatherHostCandidatesOnly(this.pc);
    await this.pc.setLocalDescription(offer);
    await waitForIceGathering(this.pc);
    return this.pc.localDescription!.sdp;
  }

  /** Answers a server offer (room subscriptions are offered by the server). */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    gatherHostCandidatesOnly(this.pc);
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await waitForIceGathering(this.pc);
    return this.pc.localDescription!.sdp;
  }

  async accept(answerSdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  }

  connected(timeoutMs = 10_000): Promise<void> {
    if (this.pc.connectionState === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`peer not connected after ${timeoutMs} ms (${this.pc.connectionState})`)), timeoutMs);
      this.pc.connectionStateChange.subscribe((s) => {
        if (s === 'connected') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  /** Sends one frame; `extensions` lets tests set an RFC 6464 audio level. */
  send(payload: Buffer, opts: { pt?: number; samples?: number; marker?: boolean; ts?: number } = {}): void {
    const header = new RtpHeader({
      payloadType: opts.pt ?? PAYLOAD_TYPE[this.codec],
      sequenceNumber: this.seq++ & 0xffff,
      timestamp: opts.ts ?? (this.ts += opts.samples ?? SAMPLES_PER_FRAME[this.codec]),
      marker: opts.marker ?? false,
    });
    const sender = this.pc.getSenders()[0];
    if (opts.pt !== undefined && opts.pt !== sender.codec?.payloadType) {
      // werift's sender rewrites every packet to its primary codec, so secondary payload
      // types (telephone-event) go straight to the SRTP transport.
      header.ssrc = sender.ssrc;
      void sender.dtlsTransport.sendRtp(payload, header);
      return;
    }
    this.track.writeRtp(new RtpPacket(header, payload));
  }

  /** Sends an Opus-sized frame carrying an RFC 6464 audio level (-dBov) like a browser does. */
  sendWithLevel(payload: Buffer, dbov: number): void {
    const sender = this.pc.getSenders()[0];
    const id = Number(new RegExp(`a=extmap:(\\d+) ${RTP_EXTENSION_URI.audioLevelIndication}`).exec(this.pc.localDescription?.sdp ?? '')?.[1]);
    const header = new RtpHeader({ payloadType: sender.codec?.payloadType ?? 111, sequenceNumber: this.seq++ & 0xffff, timestamp: (this.ts += 960), marker: false });
    if (id) header.extensions = [{ id, payload: serializeAudioLevelIndication(dbov) }];
    this.track.writeRtp(new RtpPacket(header, payload));
  }

  close(): Promise<void> {
    return this.pc.close();
  }
}
