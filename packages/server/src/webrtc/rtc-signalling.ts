import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import type { Principal } from '../auth/principal.js';
import { CallsightError, conflict, notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { WsClient, WsHub } from '../http/ws-hub.js';
import type { MediaProfile } from './peer-config.js';
import { WebRtcLeg, type LegEndCause } from './webrtc-leg.js';

/** What a purpose handler learns about a new leg: who signalled it and under which id. */
export interface RtcSession {
  sessionId: string;
  purpose: string;
  principal: Principal;
  leg: WebRtcLeg;
  /** Pushes a message to the socket that signalled the session (e.g. call progress). */
  notify(message: object): void;
}

/**
 * A use of browser legs ('call' for phone calls — wired by the calls layer, 'echo' for a
 * loopback test). The profile decides the codec: PCMU for anything bridged to SIP.
 */
export interface RtcPurpose {
  profile: MediaProfile;
  /** Called once the answer is created; may throw a CallsightError to refuse the session. */
  onSession(session: RtcSession): void | Promise<void>;
}

const sessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -');
const candidateSchema = z
  .object({
    candidate: z.string().max(1000),
    sdpMid: z.string().max(64).nullish(),
    sdpMLineIndex: z.number().int().min(0).max(64).nullish(),
    usernameFragment: z.string().max(256).nullish(),
  })
  .strict();

export const rtcOfferMsg = z
  .object({
    kind: z.literal('rtc.offer'),
    ref: z.string().max(64).optional(),
    sessionId: sessionIdSchema.optional(),
    sdp: z.string().min(1).max(64_000),
    purpose: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/),
  })
  .strict();
const rtcCandidateMsg = z
  .object({ kind: z.literal('rtc.candidate'), ref: z.string().max(64).optional(), sessionId: sessionIdSchema, candidate: candidateSchema.nullable() })
  .strict();
const rtcHangupMsg = z
  .object({ kind: z.literal('rtc.hangup'), ref: z.string().max(64).optional(), sessionId: sessionIdSchema })
  .strict();

/**
 * Browser-leg signalling over /api/ws. The browser offers (`rtc.offer`), the server
 * answers with a complete SDP (`rtc.answer`), the browser may trickle `rtc.candidate`s,
 * and either side ends with `rtc.hangup`. State changes are pushed as
 * `{kind:'rtc.state', sessionId, state:'connected'|'failed'|'closed', cause?}`.
 * Sessions belong to the socket that created them and end when it closes.
 */
export class RtcSignalling {
  private readonly purposes = new Map<string, RtcPurpose>();
  /** socket id → its sessions */
  private readonly sessions = new Map<number, Map<string, WebRtcLeg>>();

  constructor(private readonly ctx: AppContext) {}

  registerPurpose(name: string, purpose: RtcPurpose): void {
    if (this.purposes.has(name)) throw new Error(`rtc purpose ${name} already registered`);
    this.purposes.set(name, purpose);
  }

  /** The live leg of a session, for features that receive a sessionId in their own messages (e.g. `call.answer`). */
  leg(client: WsClient, sessionId: string): WebRtcLeg | undefined {
    return this.sessions.get(client.id)?.get(sessionId);
  }

  /** Every live leg: for shutdown and metrics. */
  get size(): number {
    let n = 0;
    for (const m of this.sessions.values()) n += m.size;
    return n;
  }

  register(ws: WsHub): void {
    ws.handle('rtc.offer', rtcOfferMsg, (client, msg) => this.offer(client, msg));
    ws.handle('rtc.candidate', rtcCandidateMsg, async (client, msg) => {
      const leg = this.requireLeg(client, msg.sessionId);
      await leg.addRemoteCandidate(msg.candidate);
      return { kind: 'rtc.candidate.accepted', sessionId: msg.sessionId };
    });
    ws.handle('rtc.hangup', rtcHangupMsg, (client, msg) => {
      this.requireLeg(client, msg.sessionId).close('hangup');
      return { kind: 'rtc.closed', sessionId: msg.sessionId, cause: 'hangup' };
    });
  }

  closeAll(cause: LegEndCause = 'shutdown'): void {
    for (const m of this.sessions.values()) for (const leg of m.values()) leg.close(cause);
  }

  private async offer(client: WsClient, msg: z.output<typeof rtcOfferMsg>): Promise<object> {
    const purpose = this.purposes.get(msg.purpose);
    if (!purpose) throw new CallsightError('unknown_purpose', `No WebRTC purpose "${msg.purpose}"`, { status: 400 });
    const sessionId = msg.sessionId ?? newId('rtc');
    const { leg, answerSdp } = await this.open(client, { sessionId, sdp: msg.sdp, profile: purpose.profile });
    try {
      await purpose.onSession({ sessionId, purpose: msg.purpose, principal: client.principal, leg, notify: (m) => client.send(m) });
    } catch (err) {
      leg.close('hangup');
      throw err;
    }
    this.ctx.log.debug({ sessionId, purpose: msg.purpose }, 'webrtc leg answered');
    return { kind: 'rtc.answer', sessionId, sdp: answerSdp };
  }

  /**
   * Answers a browser's offer with a leg owned by `client`, as `rtc.offer` does. Features
   * whose codec depends on their own message (a call whose target decides PCMU or Opus)
   * call it with the offer that message carries. Throws `rtc_session_exists`, `invalid_sdp`
   * or `no_common_codec`.
   */
  async open(client: WsClient, input: { sessionId: string; sdp: string; profile: MediaProfile }): Promise<{ leg: WebRtcLeg; answerSdp: string }> {
    const { sessionId } = input;
    let own = this.sessions.get(client.id);
    if (own?.has(sessionId)) throw conflict('rtc_session_exists', `Session ${sessionId} already exists on this connection`);
    const { leg, answerSdp } = await WebRtcLeg.answer(input.sdp, { profile: input.profile });
    // Re-read: another offer on this socket may have created the map while we awaited.
    own = this.sessions.get(client.id);
    if (!own) {
      own = new Map();
      this.sessions.set(client.id, own);
      const sessions = own;
      client.onClose(() => {
        for (const l of sessions.values()) l.close('hangup');
        this.sessions.delete(client.id);
      });
    }
    own.set(sessionId, leg);
    leg.on('connected', () => client.send({ kind: 'rtc.state', sessionId, state: 'connected' }));
    leg.on('failed', (cause) => client.send({ kind: 'rtc.state', sessionId, state: 'failed', cause }));
    leg.on('closed', (cause) => {
      own.delete(sessionId);
      client.send({ kind: 'rtc.state', sessionId, state: 'closed', cause });
    });
    return { leg, answerSdp };
  }

  private requireLeg(client: WsClient, sessionId: string): WebRtcLeg {
    const leg = this.leg(client, sessionId);
    if (!leg) throw notFound(`WebRTC session ${sessionId}`);
    return leg;
  }
}
