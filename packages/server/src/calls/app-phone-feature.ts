import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { CallsightError, notFound } from '../core/errors.js';
import type { Feature } from '../core/feature.js';
import type { WsClient, WsHub } from '../http/ws-hub.js';
import type { MediaProfile } from '../webrtc/peer-config.js';
import { BrowserLeg } from './browser-leg.js';
import { actorOf } from './outbound-guard.js';
import type { AppPhones } from './call-manager.js';

const callId = z.string().regex(/^call_[0-9a-z]{26}$/);
const sessionId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** The app's SDP offer, sent with `call.dial` / `call.answer` so the server picks the codec for the call. */
const sdp = z.string().min(1).max(64_000).optional();
const msg = <T extends z.ZodRawShape>(kind: string, shape: T) =>
  z.object({ kind: z.literal(kind), ref: z.string().max(64).optional(), ...shape }).strict();

/**
 * Phone calls in the browser (/phone, /agent, the SDK's `Phone`): the app dials or
 * answers with `call.*` messages over /api/ws carrying its SDP offer (`sdp`); the reply
 * carries the answer. The server picks the codec then, knowing the other end: Opus when
 * both ends are browsers (relayed untouched), PCMU otherwise (bridged to SIP without
 * transcoding). Apps may still offer first (`rtc.offer` purpose 'call', always PCMU)
 * and name that `sessionId` without `sdp`. A browser leg is a leg like a SIP one:
 * flows, bridges, recordings and transfers work on PCMU ones.
 */
class AppPhoneService implements AppPhones {
  /** Browser legs by call id, so `call.answer` / `call.hangup` find them. */
  private readonly legs = new Map<string, { leg: BrowserLeg; tenantId: string; userId: string }>();

  constructor(
    private readonly ctx: AppContext,
    private readonly ws: WsHub,
  ) {}

  private track(leg: BrowserLeg, tenantId: string, userId: string): void {
    this.legs.set(leg.callId, { leg, tenantId, userId });
    leg.once('ended', () => this.legs.delete(leg.callId));
  }

  ring(input: { tenantId: string; userId: string; callId: string; from: string; fromName?: string; metadataToken?: string; codec?: MediaProfile }): BrowserLeg | null {
    const { media } = this.ctx.services.get('telephony');
    const notify = (m: object) => this.ws.sendToUser(input.tenantId, input.userId, m);
    const leg = new BrowserLeg(media.clock, 'outbound', `user:${input.userId}`, notify, input.callId, input.codec);
    const incoming = { kind: 'call.incoming', callId: input.callId, from: input.from, ...(input.fromName ? { fromName: input.fromName } : {}), ...(input.metadataToken ? { metadataToken: input.metadataToken } : {}) };
    if (notify(incoming) === 0) return null;
    leg.ring();
    this.track(leg, input.tenantId, input.userId);
    return leg;
  }

  private mine(client: WsClient, id: string): BrowserLeg {
    const entry = this.legs.get(id);
    if (!entry || entry.tenantId !== client.principal.tenantId || entry.userId !== client.principal.userId) throw notFound('Call');
    return entry.leg;
  }

  /** The media session the message names: answered now from its `sdp`, or offered before with `rtc.offer`. */
  private async webrtc(client: WsClient, m: { sessionId: string; sdp?: string }, codec: MediaProfile) {
    const signalling = this.ctx.services.get('rtc');
    if (m.sdp) return signalling.open(client, { sessionId: m.sessionId, sdp: m.sdp, profile: codec });
    const leg = signalling.leg(client, m.sessionId);
    if (!leg) throw new CallsightError('rtc_session_unknown', 'Send the offer (sdp) or offer a media session (rtc.offer, purpose "call") first', { status: 404 });
    return { leg, answerSdp: undefined };
  }

  register(): void {
    this.ws.handle('call.dial', msg('call.dial', { to: z.string().min(1).max(200), sessionId, sdp }), async (client, m) => {
      const userId = client.principal.userId;
      if (!userId) throw new CallsightError('user_required', 'Only logged-in users can place calls', { status: 403 });
      const { media, manager } = this.ctx.services.get('telephony');
      const tenantId = client.principal.tenantId;
      // Refused before any media is set up: the app gets the 403 code as the reply.
      const admission = await this.ctx.services.get('outbound').admit(tenantId, actorOf(client.principal), m.to, 'ws');
      const user = await this.ctx.users.get(tenantId, userId);
      const codec = m.sdp ? await manager.appCallCodec(tenantId, m.to) : 'pcmu';
      const { leg: webrtc, answerSdp } = await this.webrtc(client, m, codec);
      const leg = new BrowserLeg(media.clock, 'inbound', `user:${userId}`, (x) => client.send(x), undefined, codec);
      try {
        leg.attach(webrtc);
      } catch (err) {
        if (answerSdp) webrtc.close('hangup');
        throw err;
      }
      this.track(leg, tenantId, userId);
      const from = user?.phoneNumber ?? `user:${userId}`;
      try {
        await manager.dialFromApp(tenantId, leg, from, m.to, admission, user?.name);
      } catch (err) {
        // No call took the leg: release it and its media rather than leave it ringing.
        await leg.hangup('failed').catch(() => {});
        throw err;
      }
      return { kind: 'call.dialing', callId: leg.callId, codec, ...(answerSdp ? { sdp: answerSdp } : {}) };
    });
    this.ws.handle('call.answer', msg('call.answer', { callId, sessionId, sdp }), async (client, m) => {
      const leg = this.mine(client, m.callId);
      const { leg: webrtc, answerSdp } = await this.webrtc(client, m, leg.codec);
      try {
        leg.answeredByApp(webrtc);
      } catch (err) {
        if (answerSdp) webrtc.close('hangup');
        throw err;
      }
      return { kind: 'call.answered', callId: m.callId, codec: leg.codec, ...(answerSdp ? { sdp: answerSdp } : {}) };
    });
    this.ws.handle('call.reject', msg('call.reject', { callId }), async (client, m) => {
      await this.mine(client, m.callId).hangup('declined');
      return { kind: 'call.rejected', callId: m.callId };
    });
    this.ws.handle('call.hangup', msg('call.hangup', { callId }), async (client, m) => {
      await this.mine(client, m.callId).hangup('hangup');
      return { kind: 'call.ended', callId: m.callId };
    });
    this.ws.handle('call.hold', msg('call.hold', { callId, hold: z.boolean() }), async (client, m) => {
      const leg = this.mine(client, m.callId);
      await (m.hold ? leg.hold() : leg.resume());
      return { kind: 'call.held', callId: m.callId, hold: m.hold };
    });
    this.ws.handle('call.dtmf', msg('call.dtmf', { callId, digits: z.string().regex(/^[0-9*#A-D]{1,32}$/) }), (client, m) => {
      this.mine(client, m.callId).pressDigits(m.digits);
      return { kind: 'call.dtmf.sent', callId: m.callId };
    });
  }
}

declare module '../core/services.js' {
  interface Services {
    /** Rings users' browser apps; the call manager looks it up when it rings a user. */
    appPhones: AppPhones;
  }
}

/** Browser phones: calls placed and answered by apps over WebRTC, rung by telephony through the `appPhones` service. */
export const appPhoneFeature: Feature = {
  name: 'app-phone',
  needs: ['telephony', 'outbound', 'rtc'],
  provides: ['appPhones'],
  async setup(ctx, { ws, services }) {
    // The media leg is created on `rtc.offer`; `call.dial` / `call.answer` then name it.
    services.get('rtc').registerPurpose('call', { profile: 'pcmu', onSession: () => {} });
    const service = new AppPhoneService(ctx, ws);
    service.register();
    services.provide('appPhones', service);
  },
};
