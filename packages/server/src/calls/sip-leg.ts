import { sdpOf } from '../sip/multipart.js';
import { newId } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { DtmfDetector } from '../media/dtmf-detector.js';
import type { RtpSession } from '../media/rtp-session.js';
import type { Dialog, IncomingInvite, IncomingRequest, OutgoingInvite } from '../sip/ua/index.js';
import { createOffer, negotiateAnswer } from '../sip/sdp-offer-answer.js';
import { getAttribute, getDirection, parseSdp, serializeSdp, setDirection, type Direction, type SessionDescription } from '../sip/sdp.js';
import { WebRtcLeg } from '../webrtc/webrtc-leg.js';
import { BrowserAudio } from './browser-leg.js';
import { OpusBrowserAudio } from './opus-browser-audio.js';
import { Leg, type AudioPort } from './leg.js';
import { sessionParams, type MediaEngine } from './media-engine.js';
import type { SrtpPolicy } from '@callsight/protocol';
import type { SrtpKeys } from '../media/srtp.js';
import { offeredCrypto } from '../sip/sdes.js';
import type { SdpMedia } from '../sip/sdp.js';
import {
  addCrypto,
  answerSrtp,
  classifyOffer,
  localAudio,
  negotiatedAudio,
  offerSrtp,
  warningHeader,
  type NegotiatedAudio,
  type OfferPolicy,
  type OfferRefusal,
} from './sdp-media.js';

/** RFC 3261 status for a cause when an unanswered inbound leg is refused. */
const REJECT_STATUS: Record<string, number> = { busy: 486, declined: 603, unavailable: 480, not_found: 404, failed: 500 };

/**
 * A SIP dialog plus its RTP session. Inbound legs are built from an INVITE we
 * answer; outbound legs from an INVITE we send. Hold is a re-INVITE with
 * sendonly (RFC 3264 §8.4); the far end's hold re-INVITE is answered with recvonly.
 */
export class SipLeg extends Leg {
  private session: RtpSession | null = null;
  private dialog: Dialog | null = null;
  private sdpVersion = 1;
  private readonly sessionId = String(Date.now());

  private constructor(
    direction: 'inbound' | 'outbound',
    remote: string,
    private readonly media: MediaEngine,
    private readonly log: Logger,
    private readonly invite: IncomingInvite | null,
    readonly sipCallId: string,
    private readonly srtpPolicy: SrtpPolicy = 'optional',
  ) {
    super(newId('leg'), 'sip', direction, remote);
  }

  /** SDES-SRTP on this leg's RTP (RFC 4568): the a=crypto tag, both directions' keys and the profile. Never logged. */
  private srtp: { tag: number; keys: SrtpKeys; protocol: string } | null = null;

  /** Whether this leg's RTP is SRTP (SDES or, for WebRTC media, DTLS-SRTP). */
  get encrypted(): boolean {
    return this.rtc !== null || this.srtp !== null;
  }

  /** WebRTC media (ICE, DTLS-SRTP) instead of plain RTP, for SIP clients in browsers (RFC 7118 + RFC 8829). */
  private rtc: { leg: WebRtcLeg; audio: BrowserAudio | OpusBrowserAudio; setup: 'active' | 'passive' } | null = null;
  private rtcVersion = 0;

  get audio(): AudioPort | null {
    return (this.session ?? this.rtc?.audio ?? null) as AudioPort | null;
  }

  /** 'webrtc' when this leg's media is ICE + DTLS-SRTP (a browser SIP client), else 'rtp'. */
  get mediaKind(): 'rtp' | 'webrtc' {
    return this.rtc ? 'webrtc' : 'rtp';
  }

  /**
   * Answers an INVITE whose offer cannot be taken (488 Not Acceptable Here, or 606 when no
   * offer of its kind ever works here) with a Warning saying why; true when it did. An
   * INVITE without a body (an offer in our answer, RFC 3261 13.2.1) passes.
   */
  static refuseOffer(invite: IncomingInvite, policy: OfferPolicy, agent: string): boolean {
    const body = sdpOf(invite.message.headers.get('content-type'), invite.message.body);
    if (invite.message.body.length === 0) return false;
    let refusal: OfferRefusal | null;
    try {
      const verdict = classifyOffer(parseSdp(body), policy);
      refusal = 'status' in verdict ? verdict : null;
    } catch {
      refusal = { status: 488, warnCode: 399, text: 'Malformed SDP' };
    }
    if (!refusal) return false;
    invite.reject(refusal.status, { headers: { Warning: warningHeader(refusal, agent) } });
    return true;
  }

  /** Inbound leg from an INVITE (its offer checked by refuseOffer); negotiated when answered. */
  static async inbound(invite: IncomingInvite, media: MediaEngine, log: Logger, from: string, srtp: SrtpPolicy = 'optional'): Promise<SipLeg> {
    const leg = new SipLeg('inbound', from, media, log, invite, invite.message.headers.get('call-id') ?? '', srtp);
    invite.on('cancel', () => leg.finish('cancelled'));
    return leg;
  }

  /** Outbound leg: sends the INVITE; resolves once sent (answer/failure arrive as events). */
  static async outbound(
    start: (sdp: string) => OutgoingInvite,
    target: string,
    media: MediaEngine,
    log: Logger,
    opts: { webrtc?: boolean; srtp?: SrtpPolicy } = {},
  ): Promise<SipLeg> {
    if (opts.webrtc) return SipLeg.outboundWebRtc(start, target, media, log);
    const session = await media.openSession();
    // Only a peer that requires SRTP is offered it: RTP/SAVP is refused by phones that do not do SDES.
    const offered = opts.srtp === 'required' ? offerSrtp() : [];
    const sdp = createOffer({ ...localAudio(media.publicAddress, session.localPort, 'sendrecv', { offer: offered.length ? 'RTP/SAVP' : 'RTP/AVP' }), sessionId: String(Date.now()) });
    addCrypto(sdp.media[0], offered);
    let out: OutgoingInvite;
    try {
      out = start(serializeSdp(sdp));
    } catch (err) {
      void session.close();
      throw err;
    }
    const leg = new SipLeg('outbound', target, media, log, null, '', opts.srtp);
    leg.session = session;
    leg.outgoing = out;
    out.on('provisional', (res) => {
      if (res.status === 180 || res.status === 183) {
        leg.markRinging();
      }
    });
    out.response.then(
      ({ dialog }) => {
        if (leg.state === 'ended') {
          void dialog.bye();
          return;
        }
        let answer: ReturnType<typeof negotiatedAudio> = null;
        let keys: SrtpKeys | null = null;
        try {
          const sdp = dialog.remoteSdp ? parseSdp(dialog.remoteSdp) : null;
          answer = sdp && negotiatedAudio(sdp);
          const answered = sdp?.media.find((m) => m.type === 'audio' && m.port !== 0);
          const chosen = answered && offeredCrypto(answered).usable.find((c) => offered.some((o) => o.tag === c.tag && o.local.suite === c.master.suite));
          if (chosen) {
            keys = { local: offered.find((o) => o.tag === chosen.tag)!.local, remote: chosen.master };
            leg.srtp = { tag: chosen.tag, keys, protocol: 'RTP/SAVP' };
          }
        } catch (err) {
          // The callee's answer is the peer's input: a malformed SDP fails this call, nothing else.
          log.info({ err, target }, 'unusable SDP answer');
        }
        // An SRTP offer answered without keys (or with keys for a suite we did not offer) has no secure media.
        if (!answer || (offered.length > 0 && !keys)) {
          void dialog.bye();
          leg.finish('media_failed');
          return;
        }
        session.reconfigure({ ...sessionParams(answer), srtp: keys });
        leg.attach(dialog, answer.telephoneEventPt !== null);
        leg.markAnswered();
      },
      (err: { status?: number }) => leg.finish(failureCause(err.status)),
    ).catch((err) => {
      log.error({ err, leg: leg.id }, 'outbound leg setup failed');
      leg.finish('failed');
    });
    return leg;
  }

  /** An outbound leg to a WebRTC endpoint: our offer is werift's (PCMU, ICE, DTLS-SRTP); media flows once ICE and DTLS connect. */
  private static async outboundWebRtc(start: (sdp: string) => OutgoingInvite, target: string, media: MediaEngine, log: Logger): Promise<SipLeg> {
    const { leg: rtc, offerSdp } = await WebRtcLeg.offer({ profile: 'pcmu' });
    let out: OutgoingInvite;
    try {
      out = start(offerSdp);
    } catch (err) {
      rtc.close('hangup');
      throw err;
    }
    const leg = new SipLeg('outbound', target, media, log, null, '');
    leg.outgoing = out;
    leg.useRtc(rtc, 'passive');
    out.on('provisional', (res) => {
      if (res.status === 180 || res.status === 183) leg.markRinging();
    });
    out.response.then(
      async ({ dialog }) => {
        if (leg.state === 'ended') {
          void dialog.bye();
          return;
        }
        try {
          await rtc.acceptAnswer(dialog.remoteSdp ?? '');
          // RFC 5763 5: the answerer picks the DTLS role; we take the other one.
          const theirs = /^a=setup:(\w+)/m.exec(dialog.remoteSdp ?? '')?.[1];
          if (leg.rtc) leg.rtc.setup = theirs === 'passive' ? 'active' : 'passive';
        } catch (err) {
          log.info({ err, target }, 'unusable WebRTC answer');
          void dialog.bye();
          leg.finish('media_failed');
          return;
        }
        leg.attach(dialog, true);
        // Answered once audio can flow: a prompt started now is heard from its first word.
        if (await rtc.whenConnected()) leg.markAnswered();
      },
      (err: { status?: number }) => leg.finish(failureCause(err.status)),
    ).catch((err) => {
      log.error({ err, leg: leg.id }, 'outbound leg setup failed');
      leg.finish('failed');
    });
    return leg;
  }

  /** Takes a WebRTC peer as this leg's media: its audio as an AudioPort (as a browser leg's), its failures as hangups. */
  private useRtc(rtc: WebRtcLeg, setup: 'active' | 'passive'): void {
    // Keys we press reach the client as SIP INFO (werift cannot send RFC 4733 events).
    const pushDigit = (digit: string) => {
      void this.dialog?.info('application/dtmf-relay', `Signal=${digit}\r\nDuration=160\r\n`).catch((err) => this.log.debug({ err, leg: this.id }, 'INFO DTMF failed'));
    };
    const audio = rtc.profile === 'opus' ? new OpusBrowserAudio(this.media.clock, rtc, pushDigit) : new BrowserAudio(this.media.clock, rtc, pushDigit);
    audio.muted = this.onHold;
    this.rtc = { leg: rtc, audio, setup };
    rtc.on('dtmf', (digit) => this.pressed(digit));
    rtc.on('closed', (cause) => {
      // 'hangup' is our own close; anything else (ICE, DTLS — a fingerprint that does not match —, lost media) ends the leg.
      if (cause !== 'hangup') void this.hangup(cause).catch((err) => this.log.warn({ err, leg: this.id }, 'hangup after WebRTC failure failed'));
    });
  }

  private outgoing: OutgoingInvite | null = null;
  private hangupCause: string | null = null;

  ring(): void {
    if (this.invite && this.state === 'new') {
      this.invite.progress(180);
      this.markRinging(false);
    }
  }

  async answer(): Promise<void> {
    if (!this.invite) throw new Error('only inbound legs are answered');
    if (this.state === 'answered') return;
    if (this.state === 'ended') throw new Error('leg ended');
    if (isWebRtcOffer(this.invite.message.body)) return this.answerWebRtc(this.invite);
    let offer: SessionDescription | null = null;
    let chosen: NegotiatedAudio | null = null;
    let remote: NegotiatedAudio | null = null;
    let srtp: ReturnType<typeof answerSrtp> = null;
    try {
      offer = parseSdp(sdpOf(this.invite.message.headers.get('content-type'), this.invite.message.body));
      // Negotiate with a placeholder port to learn the codec, then bind a session for it.
      const placeholder = negotiateAnswer(offer, localAudio(this.media.publicAddress, 9, 'sendrecv', this.srtpPolicy));
      chosen = negotiatedAudio(placeholder);
      remote = negotiatedAudio(offer);
      const index = placeholder.media.findIndex((m) => m.port !== 0);
      srtp = index >= 0 ? answerSrtp(offer.media[index], this.srtpPolicy) : null;
      if (srtp) this.srtp = { ...srtp, protocol: offer.media[index].protocol };
    } catch {
      // refuseOffer turned away what is malformed or has nothing in common: only a codec we list but do not run gets here.
    }
    if (!offer || !chosen || !remote) {
      this.invite.reject(488, { headers: { Warning: `305 ${this.media.publicAddress} "No common audio codec (PCMU, PCMA)"` } });
      this.finish('media_failed');
      return;
    }
    const session = await this.media.openSession({ ...remote, law: chosen.law, payloadType: chosen.payloadType, telephoneEventPt: chosen.telephoneEventPt }, srtp?.keys);
    this.session = session;
    const answer = negotiateAnswer(offer, { ...localAudio(this.media.publicAddress, session.localPort, 'sendrecv', this.srtpPolicy), sessionId: this.sessionId });
    this.addOurCrypto(answer.media.find((m) => m.port !== 0));
    try {
      const dialog = await this.invite.accept({ sdp: serializeSdp(answer) });
      this.attach(dialog, chosen.telephoneEventPt !== null);
      this.markAnswered();
    } catch (err) {
      this.log.warn({ err, leg: this.id }, 'answer failed (no ACK)');
      this.finish('no_ack');
    }
  }

  /** Answers a WebRTC offer with a werift peer (PCMU when offered, else Opus); answered once ICE and DTLS connect. */
  private async answerWebRtc(invite: IncomingInvite): Promise<void> {
    const offerSdp = invite.message.body.toString('utf8');
    let opened: { leg: WebRtcLeg; answerSdp: string };
    try {
      opened = await WebRtcLeg.answer(offerSdp, { profile: 'pcmu' }).catch((err: { code?: string }) => {
        if (err.code === 'no_common_codec') return WebRtcLeg.answer(offerSdp, { profile: 'opus' });
        throw err;
      });
    } catch (err) {
      this.log.info({ err, leg: this.id }, 'WebRTC offer refused');
      const why = (err as Error).message.replace(/["\\\r\n]/g, '').slice(0, 120);
      invite.reject(488, { headers: { Warning: `399 ${this.media.publicAddress} "${why}"` } });
      this.finish('media_failed');
      return;
    }
    if (this.state === 'ended') {
      opened.leg.close('hangup');
      return;
    }
    this.useRtc(opened.leg, /^a=setup:passive/m.test(opened.answerSdp) ? 'passive' : 'active');
    try {
      const dialog = await invite.accept({ sdp: opened.answerSdp });
      this.attach(dialog, true);
    } catch (err) {
      this.log.warn({ err, leg: this.id }, 'answer failed (no ACK)');
      this.finish('no_ack');
      return;
    }
    if (await opened.leg.whenConnected()) this.markAnswered();
  }

  /**
   * A re-INVITE/UPDATE on WebRTC media (the client holds or resumes): the same ICE and
   * DTLS session goes on, so the answer is our description again with the direction
   * mirrored, the DTLS role kept and a newer o= version (RFC 3264 8, RFC 8842 5.5).
   */
  private answerRtcReoffer(req: IncomingRequest): void {
    const rtc = this.rtc!;
    let offer: SessionDescription;
    try {
      offer = parseSdp(req.message.body);
    } catch {
      req.respond(488, { headers: { Warning: `399 ${this.media.publicAddress} "Malformed SDP"` } });
      return;
    }
    const offered = offer.media.find((m) => m.type === 'audio' && m.port !== 0);
    const local = rtc.leg.localSdp ? parseSdp(rtc.leg.localSdp) : null;
    const ours = local?.media.find((m) => m.type === 'audio');
    if (!offered || !local || !ours || !getAttribute(offered, 'fingerprint') && !offer.attributes.some((a) => a.name === 'fingerprint')) {
      req.respond(488, { headers: { Warning: `302 ${this.media.publicAddress} "A WebRTC call stays on DTLS-SRTP"` } });
      return;
    }
    const theirs = getDirection(offered, offer);
    const send = (theirs === 'sendrecv' || theirs === 'recvonly') && !this.onHold;
    const recv = theirs === 'sendrecv' || theirs === 'sendonly';
    setDirection(ours, send ? (recv ? 'sendrecv' : 'sendonly') : recv ? 'recvonly' : 'inactive');
    ours.attributes = ours.attributes.map((a) => (a.name === 'setup' ? { name: 'setup', value: rtc.setup } : a));
    local.origin = { ...local.origin, sessionVersion: (BigInt(/^\d+$/.test(local.origin.sessionVersion) ? local.origin.sessionVersion : '0') + BigInt(++this.rtcVersion)).toString() };
    req.respond(200, { body: serializeSdp(local), contentType: 'application/sdp' });
    this.emit(recv ? 'resumed' : 'held');
  }

  private attach(dialog: Dialog, telephoneEvents: boolean): void {
    this.dialog = dialog;
    this.session?.on('dtmf', (d) => this.pressed(d.digit));
    // A phone that did not negotiate RFC 4733 sends its key tones in the audio: listen for them there.
    if (!telephoneEvents && this.session) {
      const detector = new DtmfDetector();
      this.session.on('audio', (frame, kind) => {
        if (kind !== 'audio') return;
        for (const digit of detector.process(frame)) this.pressed(digit);
      });
    }
    this.session?.on('timeout', () => void this.hangup('media_timeout').catch((err) => this.log.warn({ err, leg: this.id }, 'hangup on media timeout failed')));
    dialog.on('request', (req) => this.onDialogRequest(req));
    // Our own BYE ends the dialog before hangup() records its cause: keep the caller's reason.
    dialog.on('terminated', (info) => this.finish(info.by === 'remote' ? 'remote_hangup' : (this.hangupCause ?? info.cause)));
  }

  private onDialogRequest(req: IncomingRequest): void {
    const method = req.message.method;
    if ((method === 'INVITE' || method === 'UPDATE') && this.rtc) {
      if (req.message.body.length === 0) req.respond(200, { body: this.rtc.leg.localSdp ?? '', contentType: 'application/sdp' });
      else this.answerRtcReoffer(req);
      return;
    }
    if (method === 'INVITE' || method === 'UPDATE') {
      let offer: SessionDescription | null = null;
      try {
        offer = req.message.body.length ? parseSdp(req.message.body) : null;
      } catch {
        offer = null;
      }
      const remote = offer && negotiatedAudio(offer);
      if (!offer || !remote) {
        // The session goes on as it was (RFC 3261 14.2): only this offer is refused.
        req.respond(488, { headers: { Warning: `305 ${this.media.publicAddress} "No common audio codec (PCMU, PCMA)"` } });
        return;
      }
      const offered = offer.media.find((m) => m.type === 'audio' && m.port !== 0);
      const rekeyed = this.srtp && offered ? this.reofferedKeys(offered) : null;
      if (this.srtp && !rekeyed) {
        req.respond(488, { headers: { Warning: `302 ${this.media.publicAddress} "This call stays on SRTP (a=crypto)"` } });
        return;
      }
      // Far end holds us (sendonly/inactive) or resumes (sendrecv): mirror it in our answer.
      const answer = negotiateAnswer(offer, {
        ...localAudio(this.media.publicAddress, this.session!.localPort, this.onHold ? 'sendonly' : 'sendrecv', this.srtp ? this.srtpPolicy : 'off'),
        sessionId: this.sessionId,
        sessionVersion: ++this.sdpVersion,
      });
      this.addOurCrypto(answer.media.find((m) => m.port !== 0));
      this.session!.setRemote(sessionParams(remote).remote);
      if (rekeyed) this.session!.reconfigure({ srtp: rekeyed });
      req.respond(200, { body: serializeSdp(answer), contentType: 'application/sdp' });
      const held = remote.direction === 'sendonly' || remote.direction === 'inactive';
      this.emit(held ? 'held' : 'resumed');
      return;
    }
    if (method === 'INFO') {
      // SIP INFO DTMF (application/dtmf-relay) from phones that do not send RFC 4733.
      const m = /Signal=\s*([0-9*#A-D])/i.exec(req.message.body.toString());
      req.respond(200);
      if (m) this.pressed(m[1].toUpperCase());
      return;
    }
    if (method === 'REFER') {
      const target = req.message.headers.get('refer-to');
      if (!target) {
        req.respond(400, { reason: 'Missing Refer-To' });
        return;
      }
      req.respond(202);
      this.emit('transferRequested', target.replace(/^<|>.*$/g, ''));
      return;
    }
    req.respond(method === 'OPTIONS' ? 200 : 501);
  }

  /**
   * Hold: a re-INVITE with sendonly on RTP. On WebRTC media both directions carry silence
   * instead (as a browser leg's hold), which needs no renegotiation of ICE and DTLS roles.
   */
  async hold(): Promise<void> {
    if (this.rtc) this.rtc.audio.muted = true;
    else await this.setDirection('sendonly');
    this.onHold = true;
  }

  async resume(): Promise<void> {
    if (this.rtc) this.rtc.audio.muted = false;
    else await this.setDirection('sendrecv');
    this.onHold = false;
  }

  private async setDirection(direction: Direction): Promise<void> {
    if (!this.dialog || !this.session) throw new Error('leg not answered');
    const offer = createOffer({
      ...localAudio(this.media.publicAddress, this.session.localPort, direction, { offer: this.srtp?.protocol ?? 'RTP/AVP' }),
      sessionId: this.sessionId,
      sessionVersion: ++this.sdpVersion,
    });
    this.addOurCrypto(offer.media[0]);
    const res = await this.dialog.reinvite(serializeSdp(offer));
    if (res.status >= 300) throw new Error(`re-INVITE refused: ${res.status}`);
    // The answer may carry a new key of the peer's (RFC 4568 7.1.4).
    const answered = this.srtp && res.body.length ? parseSdp(res.body).media.find((m) => m.type === 'audio' && m.port !== 0) : undefined;
    const rekeyed = answered && this.reofferedKeys(answered);
    if (rekeyed) this.session.reconfigure({ srtp: rekeyed });
  }

  /** Our a=crypto line (the tag and key in use) in an answer or re-offer on an SRTP leg. */
  private addOurCrypto(media: SdpMedia | undefined): void {
    if (this.srtp && media) addCrypto(media, [{ tag: this.srtp.tag, local: this.srtp.keys.local }]);
  }

  /**
   * The keys after the peer's new offer or answer on an SRTP leg: ours stay (its context
   * goes on), theirs are the offered key of our suite. Null when it offers none of it.
   */
  private reofferedKeys(media: SdpMedia): SrtpKeys | null {
    const current = this.srtp!;
    const same = offeredCrypto(media).usable.find((c) => c.master.suite === current.keys.local.suite);
    if (!same) return null;
    current.tag = same.tag;
    current.keys = { local: current.keys.local, remote: same.master };
    return current.keys;
  }

  /** Never leaves the leg live: whatever telling the peer costs, the leg ends here. */
  async hangup(cause: string): Promise<void> {
    if (this.state === 'ended') return;
    this.hangupCause = cause;
    try {
      if (this.dialog) await this.dialog.bye();
      else if (this.invite) this.invite.reject(REJECT_STATUS[cause] ?? 480);
      else this.outgoing?.cancel();
    } catch (err) {
      this.log.debug({ err, leg: this.id }, 'telling the peer about the hangup failed');
    } finally {
      this.finish(cause);
    }
  }

  private finish(cause: string): void {
    if (this.state === 'ended') return;
    void this.session?.close();
    this.session = null;
    const rtc = this.rtc;
    this.rtc = null;
    rtc?.audio.close();
    this.markEnded(cause);
    if (rtc && rtc.leg.state !== 'closed') rtc.leg.close('hangup');
  }
}

function failureCause(status?: number): string {
  if (status === 486 || status === 600) return 'busy';
  if (status === 603) return 'declined';
  if (status === 487) return 'cancelled';
  if (status === 404 || status === 484) return 'not_found';
  if (status === 408 || status === 480) return 'no_answer';
  return status ? `failed_${status}` : 'failed';
}

/** Whether an INVITE's offer asks for WebRTC media (ICE + DTLS-SRTP) rather than plain RTP. */
function isWebRtcOffer(body: Buffer): boolean {
  if (body.length === 0) return false;
  try {
    const verdict = classifyOffer(parseSdp(body), { webrtc: true, srtp: 'optional' });
    return 'media' in verdict && verdict.media === 'webrtc';
  } catch {
    return false;
  }
}
