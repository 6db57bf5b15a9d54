import { EventEmitter } from 'node:events';
import { CallsightError, conflict } from '../core/errors.js';
import { isDtmfDigit } from '../media/dtmf-digit.js';
import { newId } from '../core/ids.js';
import type { MediaClock } from '../media/clock.js';
import { g711Decode, g711Encode, lawForPayloadType } from '../media/g711.js';
import type { RtpPacket } from '../media/rtp-packet.js';
import type { RtpSession } from '../media/rtp-session.js';
import { JitterBuffer, type JitterFrameKind } from '../media/jitter-buffer.js';
import { FRAME_SAMPLES } from '../media/rtp-session.js';
import type { MediaProfile } from '../webrtc/peer-config.js';
import type { WebRtcLeg } from '../webrtc/webrtc-leg.js';
import { Leg, type AudioPort } from './leg.js';
import { OpusBrowserAudio } from './opus-browser-audio.js';

/**
 * The audio of a browser leg as an AudioPort: received PCMU goes through a jitter
 * buffer and comes out one 20 ms frame per clock tick, exactly like an RTP session,
 * so bridges, players and recorders need not know it is WebRTC.
 */
export class BrowserAudio extends EventEmitter<{ audio: [Int16Array, JitterFrameKind]; sent: [Int16Array] }> implements AudioPort {
  private readonly jitter = new JitterBuffer();
  private readonly decoded = new Int16Array(FRAME_SAMPLES);
  private readonly frame = new Int16Array(FRAME_SAMPLES);
  private readonly encoded = Buffer.alloc(FRAME_SAMPLES);
  private readonly silence = new Int16Array(FRAME_SAMPLES);
  private readonly encodedSilence = Buffer.from(g711Encode('ulaw', new Int16Array(FRAME_SAMPLES)));
  private readonly relayed = new Int16Array(FRAME_SAMPLES);
  private readonly unsubscribe: () => void;
  private sentThisTick = false;
  /**
   * On hold both directions carry silence rather than nothing: the far end keeps a
   * steady stream (no jitter-buffer underruns or RTP timeouts) and hears the hold.
   */
  muted = false;

  constructor(
    readonly clock: MediaClock,
    private readonly webrtc: WebRtcLeg,
    /** Delivers a digit to the app, which shows it (see sendDtmf). */
    private readonly pushDigit: (digit: string) => void,
  ) {
    super();
    webrtc.onRtp((payload, meta) => {
      if (meta.pt !== webrtc.audioPayloadType || payload.length !== FRAME_SAMPLES) return;
      g711Decode('ulaw', payload, this.decoded);
      this.jitter.push(meta.seq, meta.ts, this.decoded, performance.now());
    });
    this.unsubscribe = clock.subscribe(() => {
      this.sentThisTick = false;
      const kind = this.jitter.pop(this.frame);
      if (this.muted) this.emit('audio', this.silence, 'audio');
      else this.emit('audio', this.frame, kind);
    });
  }

  /**
   * Relays a µ-law RTP session's packets to the browser as they arrive, instead of its
   * jitter-buffered frames each tick: the browser's own jitter buffer absorbs the
   * network's jitter, so a second one here only added 20–60 ms of delay. The payload is
   * untouched (no decode/encode). Null when the session does not carry PCMU.
   */
  relayFrom(session: RtpSession): (() => void) | null {
    if (session.law !== 'ulaw') return null;
    const onPacket = (p: RtpPacket) => {
      if (session.law !== 'ulaw' || lawForPayloadType(p.payloadType) !== 'ulaw' || p.payload.length !== FRAME_SAMPLES) return;
      // On hold the browser hears silence, as with frames (see `muted`).
      const payload = this.muted ? this.encodedSilence : Buffer.from(p.payload);
      this.webrtc.relayRtp(payload, { seq: p.sequenceNumber, ts: p.timestamp, marker: p.marker });
      if (this.listenerCount('sent') > 0) this.emit('sent', this.muted ? this.silence : g711Decode('ulaw', payload, this.relayed));
    };
    session.on('packet', onPacket);
    return () => session.off('packet', onPacket);
  }

  /**
   * The other direction: relays the browser's PCMU packets to a µ-law session as they
   * arrive (RtpSession.sendEncoded), instead of through our jitter buffer and the media
   * clock — the SIP phone's own jitter buffer absorbs the browser's timing. Packets are
   * skipped (the caller's frame path takes over) while the session is not on µ-law.
   */
  relayTo(session: RtpSession): () => void {
    return this.webrtc.onRtp((payload, meta) => {
      if (meta.pt !== this.webrtc.audioPayloadType || payload.length !== FRAME_SAMPLES || session.law !== 'ulaw') return;
      session.sendEncoded(this.muted ? this.encodedSilence : payload, meta.ts);
    });
  }

  sendFrame(pcm: Int16Array): boolean {
    if (this.sentThisTick) return false;
    this.sentThisTick = true;
    const frame = this.muted ? this.silence : pcm.length === FRAME_SAMPLES ? pcm : pcm.subarray(0, FRAME_SAMPLES);
    g711Encode('ulaw', frame, this.encoded);
    this.webrtc.sendPcmu(this.encoded);
    this.emit('sent', frame);
    return true;
  }

  /**
   * werift sends every packet with the main codec's payload type, so RFC 4733 towards the
   * browser is not possible: the digit goes to the app as a `call.dtmf` message instead.
   */
  async sendDtmf(digit: string): Promise<void> {
    if (!isDtmfDigit(digit)) throw new CallsightError('invalid_dtmf', `Not a DTMF digit: ${digit}`, { status: 400 });
    this.pushDigit(digit);
  }

  close(): void {
    this.unsubscribe();
    this.removeAllListeners();
  }
}

/**
 * A browser (the /phone or /agent app) in a call, over a PCMU WebRTC leg so a
 * bridge to SIP never transcodes — or an Opus one when the other end is a browser too. A browser being called starts without media and
 * gets it when the app answers; a browser that dials has media from the start.
 * Progress is pushed to the app as `call.state`, digits sent to it as `call.dtmf`.
 */
export class BrowserLeg extends Leg {
  private media: BrowserAudio | OpusBrowserAudio | null = null;
  private webrtc: WebRtcLeg | null = null;

  constructor(
    private readonly clock: MediaClock,
    direction: 'inbound' | 'outbound',
    remote: string,
    private readonly notify: (message: object) => void,
    /** The id the app knows this call by (`call.incoming` / `call.dialing`). */
    readonly callId = newId('call'),
    /** PCMU unless both ends are browsers (see CallManager.appCallCodec); the negotiated one once attached. */
    public codec: MediaProfile = 'pcmu',
  ) {
    super(newId('leg'), 'webrtc', direction, remote);
  }

  get audio(): AudioPort | null {
    return this.media;
  }

  /**
   * Takes the app's media session in whichever codec it was negotiated: the planned one
   * normally, but an app that negotiated the other is served too (bridges transcode).
   */
  attach(webrtc: WebRtcLeg): void {
    this.codec = webrtc.profile;
    this.webrtc = webrtc;
    const pushDigit = (digit: string) => this.notify({ kind: 'call.dtmf', callId: this.callId, digit });
    this.media = this.codec === 'opus' ? new OpusBrowserAudio(this.clock, webrtc, pushDigit) : new BrowserAudio(this.clock, webrtc, pushDigit);
    this.media.muted = this.onHold;
    webrtc.on('dtmf', (digit) => this.pressed(digit));
    webrtc.on('closed', (cause) => this.finish(cause === 'hangup' ? 'remote_hangup' : cause));
  }

  /** Keys the app pressed (`call.dtmf`): the call hears them as this leg's DTMF. */
  pressDigits(digits: string): void {
    for (const d of digits) this.pressed(d);
  }

  ring(): void {
    if (this.state !== 'new') return;
    this.markRinging(false);
    this.notify({ kind: 'call.state', callId: this.callId, state: 'ringing' });
  }

  /** The app dialled us: answering means telling it media flows. */
  async answer(): Promise<void> {
    this.markAnswered();
  }

  /** The app answered a call made to it. */
  answeredByApp(webrtc: WebRtcLeg): void {
    if (this.state === 'ended' || this.state === 'answered') throw conflict('call_not_ringing', 'The call is no longer ringing');
    this.attach(webrtc);
    this.markAnswered();
  }

  protected override markAnswered(): void {
    if (this.state === 'answered' || this.state === 'ended') return;
    super.markAnswered();
    this.notify({ kind: 'call.state', callId: this.callId, state: 'answered' });
  }

  /** Held from the app: neither side hears the other until resumed (see BrowserAudio.muted). */
  async hold(): Promise<void> {
    this.onHold = true;
    if (this.media) this.media.muted = true;
    this.notify({ kind: 'call.state', callId: this.callId, state: 'held' });
  }

  async resume(): Promise<void> {
    this.onHold = false;
    if (this.media) this.media.muted = false;
    this.notify({ kind: 'call.state', callId: this.callId, state: 'answered' });
  }

  async hangup(cause: string): Promise<void> {
    this.finish(cause);
  }

  private finish(cause: string): void {
    if (this.state === 'ended') return;
    this.media?.close();
    this.media = null;
    this.notify({ kind: 'call.state', callId: this.callId, state: 'ended', cause });
    this.markEnded(cause);
    // Closed after the end is recorded: the leg's own 'closed' would otherwise end the
    // call first as 'remote_hangup', hiding why the server hung up.
    if (this.webrtc?.state !== 'closed') this.webrtc?.close('hangup');
  }
}
