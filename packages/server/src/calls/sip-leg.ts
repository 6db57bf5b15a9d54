import { newId } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { DtmfDetector } from '../media/dtmf-detector.js';
import type { RtpSession } from '../media/rtp-session.js';
import type { Dialog, IncomingInvite, IncomingRequest, OutgoingInvite } from '../sip/ua/index.js';
import { createOffer, negotiateAnswer } from '../sip/sdp-offer-answer.js';
import { parseSdp, serializeSdp, type Direction } from '../sip/sdp.js';
import { Leg, type AudioPort } from './leg.js';
import { sessionParams, type MediaEngine } from './media-engine.js';
import { localAudio, negotiatedAudio } from './sdp-media.js';

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
  ) {
    super(newId('leg'), 'sip', direction, remote);
  }

  get audio(): AudioPort | null {
    return this.session as AudioPort | null;
  }

  /** Inbound leg from an INVITE: negotiates the offer now (488 if nothing in common). */
  static async inbound(invite: IncomingInvite, media: MediaEngine, log: Logger, from: string): Promise<SipLeg> {
    const leg = new SipLeg('inbound', from, media, log, invite, invite.message.headers.get('call-id') ?? '');
    invite.on('cancel', () => leg.finish('cancelled'));
    return leg;
  }

  /** Outbound leg: sends the INVITE; resolves once sent (answer/failure arrive as events). */
  static async outbound(
    start: (sdp: string) => OutgoingInvite,
    target: string,
    media: MediaEngine,
    log: Logger,
  ): Promise<SipLeg> {
    const session = await media.openSession();
    const offer = serializeSdp(createOffer({ ...localAudio(media.publicAddress, session.localPort), sessionId: String(Date.now()) }));
    const out = start(offer);
    const leg = new SipLeg('outbound', target, media, log, null, '');
    leg.session = session;
    leg.outgoing = out;
    out.on('provisional', (res) => {
      if (res.status === 180 || res.status === 183) {
        if (leg.state === 'new') {
          leg.state = 'ringing';
          leg.emit('ringing');
        }
      }
    });
    out.response.then(
      ({ dialog }) => {
        if (leg.state === 'ended') {
          void dialog.bye().catch(() => {});
          return;
        }
        const answer = dialog.remoteSdp ? negotiatedAudio(parseSdp(dialog.remoteSdp)) : null;
        if (!answer) {
          void dialog.bye().catch(() => {});
          leg.finish('media_failed');
          return;
        }
        session.reconfigure(sessionParams(answer));
        leg.attach(dialog, answer.telephoneEventPt !== null);
        leg.markAnswered();
      },
      (err: { status?: number }) => leg.finish(failureCause(err.status)),
    );
    return leg;
  }

  private outgoing: OutgoingInvite | null = null;
  private hangupCause: string | null = null;

  ring(): void {
    if (this.invite && this.state === 'new') {
      this.invite.progress(180);
      this.state = 'ringing';
    }
  }

  async answer(): Promise<void> {
    if (!this.invite) throw new Error('only inbound legs are answered');
    if (this.state === 'answered') return;
    if (this.state === 'ended') throw new Error('leg ended');
    const offer = parseSdp(this.invite.message.body);
    // Negotiate with a placeholder port to learn the codec, then bind a session for it.
    const probe = negotiateAnswer(offer, localAudio(this.media.publicAddress, 9));
    const chosen = negotiatedAudio(probe);
    const remote = negotiatedAudio(offer);
    if (!chosen || !remote) {
      this.invite.reject(488);
      this.finish('media_failed');
      return;
    }
    const session = await this.media.openSession({ ...remote, law: chosen.law, payloadType: chosen.payloadType, telephoneEventPt: chosen.telephoneEventPt });
    this.session = session;
    const answer = negotiateAnswer(offer, { ...localAudio(this.media.publicAddress, session.localPort), sessionId: this.sessionId });
    try {
      const dialog = await this.invite.accept({ sdp: serializeSdp(answer) });
      this.attach(dialog, chosen.telephoneEventPt !== null);
      this.markAnswered();
    } catch (err) {
      this.log.warn({ err, leg: this.id }, 'answer failed (no ACK)');
      this.finish('no_ack');
    }
  }

  private attach(dialog: Dialog, telephoneEvents: boolean): void {
    this.dialog = dialog;
    this.session?.on('dtmf', (d) => this.emit('dtmf', d.digit));
    // A phone that did not negotiate RFC 4733 sends its key tones in the audio: listen for them there.
    if (!telephoneEvents && this.session) {
      const detector = new DtmfDetector();
      this.session.on('audio', (frame, kind) => {
        if (kind !== 'audio') return;
        for (const digit of detector.process(frame)) this.emit('dtmf', digit);
      });
    }
    this.session?.on('timeout', () => void this.hangup('media_timeout'));
    dialog.on('request', (req) => this.onDialogRequest(req));
    // Our own BYE ends the dialog before hangup() records its cause: keep the caller's reason.
    dialog.on('terminated', (info) => this.finish(info.by === 'remote' ? 'remote_hangup' : (this.hangupCause ?? info.cause)));
  }

  private onDialogRequest(req: IncomingRequest): void {
    const method = req.message.method;
    if (method === 'INVITE' || method === 'UPDATE') {
      const offer = req.message.body.length ? parseSdp(req.message.body) : null;
      const remote = offer && negotiatedAudio(offer);
      if (!offer || !remote) {
        req.respond(488);
        return;
      }
      // Far end holds us (sendonly/inactive) or resumes (sendrecv): mirror it in our answer.
      const answer = negotiateAnswer(offer, {
        ...localAudio(this.media.publicAddress, this.session!.localPort, this.onHold ? 'sendonly' : 'sendrecv'),
        sessionId: this.sessionId,
        sessionVersion: ++this.sdpVersion,
      });
      this.session!.setRemote(sessionParams(remote).remote);
      req.respond(200, { body: serializeSdp(answer), contentType: 'application/sdp' });
      const held = remote.direction === 'sendonly' || remote.direction === 'inactive';
      this.emit(held ? 'held' : 'resumed');
      return;
    }
    if (method === 'INFO') {
      // SIP INFO DTMF (application/dtmf-relay) from phones that do not send RFC 4733.
      const m = /Signal=\s*([0-9*#A-D])/i.exec(req.message.body.toString());
      req.respond(200);
      if (m) this.emit('dtmf', m[1].toUpperCase());
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

  async hold(): Promise<void> {
    await this.setDirection('sendonly');
    this.onHold = true;
  }

  async resume(): Promise<void> {
    await this.setDirection('sendrecv');
    this.onHold = false;
  }

  private async setDirection(direction: Direction): Promise<void> {
    if (!this.dialog || !this.session) throw new Error('leg not answered');
    const offer = createOffer({ ...localAudio(this.media.publicAddress, this.session.localPort, direction), sessionId: this.sessionId, sessionVersion: ++this.sdpVersion });
    const res = await this.dialog.reinvite(serializeSdp(offer));
    if (res.status >= 300) throw new Error(`re-INVITE refused: ${res.status}`);
  }

  async hangup(cause: string): Promise<void> {
    if (this.state === 'ended') return;
    this.hangupCause = cause;
    if (this.dialog) {
      await this.dialog.bye().catch((err) => this.log.debug({ err }, 'BYE failed'));
    } else if (this.invite) {
      this.invite.reject(REJECT_STATUS[cause] ?? 480);
    } else {
      this.outgoing?.cancel();
    }
    this.finish(cause);
  }

  private finish(cause: string): void {
    if (this.state === 'ended') return;
    void this.session?.close();
    this.session = null;
    this.markEnded(cause);
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
