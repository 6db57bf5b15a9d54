import { EventEmitter } from 'node:events';
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RtpHeader,
  RtpPacket,
  type RTCIceCandidateInit,
} from 'werift';
import { CallsightError } from '../core/errors.js';
import { DtmfEventReceiver } from '../media/dtmf-event.js';
import type { DtmfDigit } from '../media/dtmf-digit.js';
import { peerConfig, type MediaProfile } from './peer-config.js';
import { applyOffer, completeAnswer, noCommonCodec } from './answer-offer.js';
import { gatherHostCandidatesOnly, waitForIceGathering } from './ice-gathering.js';

/** Header fields of one RTP packet, without the SSRC: each leg owns its own. */
export interface RtpMeta {
  pt: number;
  seq: number;
  ts: number;
  marker: boolean;
}

/**
 * Why a leg ended. `hangup` and `replaced` are orderly; the others are failures:
 * `ice_failed` (no candidate pair works), `dtls_failed` (handshake or fingerprint
 * mismatch), `connect_timeout` (never connected), `media_timeout` (connectivity lost).
 */
export type LegEndCause = 'hangup' | 'ice_failed' | 'dtls_failed' | 'connect_timeout' | 'media_timeout' | 'shutdown' | 'replaced';

export type WebRtcLegState = 'connecting' | 'connected' | 'closed';

export interface WebRtcLegEvents {
  connected: [];
  /** The leg could not be set up or lost connectivity; 'closed' follows. */
  failed: [cause: LegEndCause];
  closed: [cause: LegEndCause];
  /** A key pressed in the browser, sent as RFC 4733 telephone-event. */
  dtmf: [digit: DtmfDigit];
}

export interface WebRtcLegOptions {
  profile: MediaProfile;
  /** Never-connected legs end after this long. Default 15 s. */
  connectTimeoutMs?: number;
  /** A connected leg whose ICE stays 'disconnected' this long ends. Default 10 s. */
  disconnectTimeoutMs?: number;
  extraHostAddresses?: string[];
}

const PCMU_FRAME_BYTES = 160; // 20 ms at 8 kHz
/** RTP timestamp ticks of a 20 ms frame per profile (8 kHz PCMU, 48 kHz Opus). */
const FRAME_TICKS: Record<MediaProfile, number> = { pcmu: 160, opus: 960 };

/**
 * One browser call leg: a server-side werift peer (ICE, DTLS-SRTP, RTCP) answering the
 * browser's offer, with a media-agnostic RTP surface the calls layer bridges to SIP/RTP
 * legs. The browser is always the offerer, so the server never needs renegotiation.
 */
export class WebRtcLeg extends EventEmitter<WebRtcLegEvents> {
  private state_: WebRtcLegState = 'connecting';
  private readonly rtpListeners = new Set<(payload: Buffer, meta: RtpMeta) => void>();
  private readonly dtmf: DtmfEventReceiver;
  private readonly outTrack = new MediaStreamTrack({ kind: 'audio' });
  private connectTimer: NodeJS.Timeout | undefined;
  private disconnectTimer: NodeJS.Timeout | undefined;
  private outFrames = 0;
  private outSeq = Math.floor(Math.random() * 0xffff);
  private outTs = Math.floor(Math.random() * 0xffffffff);
  /** Where a relayed stream's numbering maps onto ours (see relayRtp); null when we number frames ourselves. */
  private relayBase: { srcSeq: number; srcTs: number; seq: number; ts: number } | null = null;

  /** Negotiated audio payload type (0 for PCMU, 111 for Opus); `sendRtp` always sends this one. */
  audioPayloadType = -1;
  /** Negotiated telephone-event payload type, or null if the browser offered none. */
  telephoneEventPayloadType: number | null = null;

  private constructor(
    private readonly pc: RTCPeerConnection,
    private readonly opts: WebRtcLegOptions,
  ) {
    super();
    this.dtmf = new DtmfEventReceiver(opts.profile === 'pcmu' ? 8000 : 48000);
    pc.iceConnectionStateChange.subscribe((s) => this.onIceState(s));
    pc.connectionStateChange.subscribe((s) => {
      if (s === 'connected') this.onConnected();
      else if (s === 'failed') this.fail(pc.iceConnectionState === 'failed' ? 'ice_failed' : 'dtls_failed');
    });
    pc.onTrack.subscribe((track) => {
      if (track.kind !== 'audio') return;
      track.onReceiveRtp.subscribe((rtp) => this.onIncomingRtp(rtp));
    });
    this.connectTimer = setTimeout(() => this.fail('connect_timeout'), opts.connectTimeoutMs ?? 15_000);
  }

  /**
   * Answers a browser's offer. Throws CallsightError `invalid_sdp` when the offer cannot
   * be parsed or applied, and `no_common_codec` when it has no audio codec of the profile.
   */
  static async answer(offerSdp: string, opts: WebRtcLegOptions): Promise<{ leg: WebRtcLeg; answerSdp: string }> {
    const pc = new RTCPeerConnection(peerConfig({ profile: opts.profile, extraHostAddresses: opts.extraHostAddresses }));
    const leg = new WebRtcLeg(pc, opts);
    const wanted = opts.profile === 'pcmu' ? 'PCMU audio' : 'Opus audio';
    try {
      await applyOffer(pc, offerSdp, wanted);
      const audio = pc.getTransceivers().find((t) => t.kind === 'audio');
      const primary = audio?.codecs.find((c) => !/telephone-event/i.test(c.mimeType));
      if (!audio || !primary) throw noCommonCodec(wanted);
      // werift matches telephone-event by name only; keep the one at the audio clock
      // rate (RFC 4733 §2.1), which is the one the browser will send with PCMU.
      audio.codecs = audio.codecs.filter((c) => !/telephone-event/i.test(c.mimeType) || c.clockRate === primary.clockRate);
      leg.audioPayloadType = primary.payloadType;
      leg.telephoneEventPayloadType = audio.codecs.find((c) => /telephone-event/i.test(c.mimeType))?.payloadType ?? null;
      audio.setDirection('sendrecv');
      await audio.sender.replaceTrack(leg.outTrack);
      return { leg, answerSdp: await completeAnswer(pc) };
    } catch (err) {
      leg.close('hangup');
      throw err;
    }
  }

  /**
   * The offering side, for calls the server places to a WebRTC endpoint (a SIP client
   * registered over WebSocket): a complete offer with every host candidate (no trickle
   * in SIP). `acceptAnswer` applies the far end's answer.
   */
  static async offer(opts: WebRtcLegOptions): Promise<{ leg: WebRtcLeg; offerSdp: string }> {
    const pc = new RTCPeerConnection(peerConfig({ profile: opts.profile, extraHostAddresses: opts.extraHostAddresses }));
    const leg = new WebRtcLeg(pc, opts);
    // The callee may ring for a while: the connect deadline starts with its answer.
    clearTimeout(leg.connectTimer);
    try {
      const audio = pc.addTransceiver('audio', { direction: 'sendrecv' });
      await audio.sender.replaceTrack(leg.outTrack);
      gatherHostCandidatesOnly(pc);
      await pc.setLocalDescription(await pc.createOffer());
      await waitForIceGathering(pc);
      return { leg, offerSdp: pc.localDescription!.sdp };
    } catch (err) {
      leg.close('hangup');
      throw err;
    }
  }

  /** Applies the answer to our offer. Throws `invalid_sdp` or `no_common_codec` (the leg is then closed). */
  async acceptAnswer(answerSdp: string): Promise<void> {
    const wanted = this.opts.profile === 'pcmu' ? 'PCMU audio' : 'Opus audio';
    if (this.state_ === 'closed') throw new CallsightError('invalid_sdp', 'The leg has closed before its answer', { status: 400 });
    this.connectTimer = setTimeout(() => this.fail('connect_timeout'), this.opts.connectTimeoutMs ?? 15_000);
    try {
      if (!/^v=0\r?\n/.test(answerSdp)) throw new CallsightError('invalid_sdp', 'The answer is not an SDP', { status: 400 });
      try {
        await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
      } catch (cause) {
        throw new CallsightError('invalid_sdp', `The answer could not be applied: ${(cause as Error).message}`, { status: 400, cause });
      }
      const audio = this.pc.getTransceivers().find((t) => t.kind === 'audio');
      const primary = audio?.codecs.find((c) => !/telephone-event/i.test(c.mimeType));
      if (!audio || !primary) throw noCommonCodec(wanted);
      this.audioPayloadType = primary.payloadType;
      this.telephoneEventPayloadType = audio.codecs.find((c) => /telephone-event/i.test(c.mimeType) && c.clockRate === primary.clockRate)?.payloadType ?? null;
    } catch (err) {
      this.close('hangup');
      throw err;
    }
  }

  /** Our current local description (what a re-INVITE or its answer repeats, with another direction). */
  get localSdp(): string | null {
    return this.pc.localDescription?.sdp ?? null;
  }

  /** Resolves true once connected (at once if it is), false if the leg closes first. */
  whenConnected(): Promise<boolean> {
    if (this.state_ === 'connected') return Promise.resolve(true);
    if (this.state_ === 'closed') return Promise.resolve(false);
    return new Promise((resolve) => {
      const ok = () => {
        this.off('closed', ko);
        resolve(true);
      };
      const ko = () => {
        this.off('connected', ok);
        resolve(false);
      };
      this.once('connected', ok);
      this.once('closed', ko);
    });
  }

  get state(): WebRtcLegState {
    return this.state_;
  }

  /** The codec family negotiated: `pcmu` legs bridge to SIP, `opus` legs only to other Opus legs. */
  get profile(): MediaProfile {
    return this.opts.profile;
  }

  /** Trickled browser candidates; `null` or an empty candidate marks the end. Throws `invalid_candidate`. */
  async addRemoteCandidate(candidate: RTCIceCandidateInit | null): Promise<void> {
    if (this.state_ === 'closed') return;
    if (!candidate || !candidate.candidate) return;
    if (!/^(a=)?candidate:\S+ \d+ (udp|tcp) \d+ \S+ \d+ typ \w+/i.test(candidate.candidate)) {
      throw new CallsightError('invalid_candidate', 'Not an ICE candidate line', { status: 400 });
    }
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (cause) {
      throw new CallsightError('invalid_candidate', `The candidate was refused: ${(cause as Error).message}`, { status: 400, cause });
    }
  }

  /** Audio received from the browser (telephone-event excluded: it surfaces as 'dtmf'). Returns an unsubscribe. */
  onRtp(cb: (payload: Buffer, meta: RtpMeta) => void): () => void {
    this.rtpListeners.add(cb);
    return () => this.rtpListeners.delete(cb);
  }

  /**
   * Sends one audio packet to the browser on the negotiated codec; `meta.seq`/`ts` are
   * the caller's stream (the sender offsets them consistently). Dropped before 'connected'.
   */
  sendRtp(payload: Buffer, meta: RtpMeta): void {
    if (this.state_ !== 'connected') return;
    if (meta.pt !== this.audioPayloadType) {
      throw new CallsightError('payload_type_mismatch', `Leg negotiated PT ${this.audioPayloadType}, got ${meta.pt}`);
    }
    const header = new RtpHeader({ payloadType: meta.pt, sequenceNumber: meta.seq & 0xffff, timestamp: meta.ts >>> 0, marker: meta.marker });
    this.outTrack.writeRtp(new RtpPacket(header, payload));
  }

  /** Sends one 20 ms G.711 µ-law frame, numbering the stream itself. Only on a `pcmu` leg. */
  sendPcmu(frame160: Buffer): void {
    if (this.opts.profile !== 'pcmu') throw new CallsightError('wrong_profile', 'sendPcmu needs a leg negotiated with the pcmu profile');
    if (frame160.length !== PCMU_FRAME_BYTES) throw new CallsightError('bad_frame', `A PCMU frame is ${PCMU_FRAME_BYTES} bytes`);
    this.sendOwn(frame160);
  }

  /**
   * Sends one 20 ms Opus packet encoded by the server (a prompt, a mix, a phone's voice),
   * numbering it after whatever went before — relayed packets included, so the browser
   * sees one continuous stream when the server takes over from relaying or hands back.
   */
  sendOpus(packet: Buffer): void {
    if (this.opts.profile !== 'opus') throw new CallsightError('wrong_profile', 'sendOpus needs a leg negotiated with the opus profile');
    this.sendOwn(packet);
  }

  private sendOwn(payload: Buffer): void {
    const marker = this.outFrames++ === 0 || this.relayBase !== null; // RFC 3551: marker on the first packet of a talkspurt
    this.relayBase = null;
    this.outSeq = (this.outSeq + 1) & 0xffff;
    this.outTs = (this.outTs + FRAME_TICKS[this.opts.profile]) >>> 0;
    this.sendRtp(payload, { pt: this.audioPayloadType, seq: this.outSeq, ts: this.outTs, marker });
  }

  /**
   * Sends a packet of another stream in this leg's codec as it arrived (a SIP leg's
   * µ-law RTP, or another browser's Opus): its sequence and timestamp are shifted onto
   * this leg's stream, so switching between relayed and own frames never makes the
   * browser see a jump, while the source's gaps (loss, silence) stay visible to the
   * browser's jitter buffer. The payload is never decoded.
   */
  relayRtp(payload: Buffer, src: { seq: number; ts: number; marker: boolean }): void {
    const step = FRAME_TICKS[this.opts.profile];
    const base = (this.relayBase ??= { srcSeq: src.seq, srcTs: src.ts, seq: (this.outSeq + 1) & 0xffff, ts: (this.outTs + step) >>> 0 });
    const seq = (base.seq + src.seq - base.srcSeq) & 0xffff;
    const ts = (base.ts + src.ts - base.srcTs) >>> 0;
    const first = this.outFrames++ === 0 || (seq === base.seq && ts === base.ts);
    // Later own frames continue after the newest relayed one (a late reordered packet never moves us back).
    if (((seq - this.outSeq) & 0xffff) < 0x8000) {
      this.outSeq = seq;
      this.outTs = ts;
    }
    this.sendRtp(payload, { pt: this.audioPayloadType, seq, ts, marker: src.marker || first });
  }

  /** Ends the leg (idempotent); emits 'closed' once with the first cause. */
  close(cause: LegEndCause = 'hangup'): void {
    if (this.state_ === 'closed') return;
    this.state_ = 'closed';
    clearTimeout(this.connectTimer);
    clearTimeout(this.disconnectTimer);
    this.rtpListeners.clear();
    this.outTrack.stop();
    void this.pc.close().catch(() => undefined);
    this.emit('closed', cause);
  }

  private onConnected(): void {
    if (this.state_ !== 'connecting') return;
    clearTimeout(this.connectTimer);
    this.state_ = 'connected';
    this.emit('connected');
  }

  private onIceState(s: string): void {
    if (s === 'failed') return this.fail('ice_failed');
    if (s === 'disconnected' && this.state_ === 'connected') {
      this.disconnectTimer ??= setTimeout(() => this.fail('media_timeout'), this.opts.disconnectTimeoutMs ?? 10_000);
    } else if (s === 'connected' || s === 'completed') {
      clearTimeout(this.disconnectTimer);
      this.disconnectTimer = undefined;
    }
  }

  private fail(cause: LegEndCause): void {
    if (this.state_ === 'closed') return;
    this.emit('failed', cause);
    this.close(cause);
  }

  private onIncomingRtp(rtp: RtpPacket): void {
    const h = rtp.header;
    if (h.payloadType === this.telephoneEventPayloadType) {
      const press = this.dtmf.receive(rtp.payload, h.timestamp);
      if (press) this.emit('dtmf', press.digit);
      return;
    }
    const meta: RtpMeta = { pt: h.payloadType, seq: h.sequenceNumber, ts: h.timestamp, marker: h.marker };
    for (const cb of this.rtpListeners) cb(rtp.payload, meta);
  }
}
