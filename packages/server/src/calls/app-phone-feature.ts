import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { CallsightError, notFound } from '../core/errors.js';
import type { Feature } from '../features.js';
import type { WsClient, WsHub } from '../http/ws-hub.js';
import { rtcSignallingOf } from '../webrtc/webrtc-feature.js';
import { BrowserLeg } from './browser-leg.js';
import type { AppPhones } from './call-manager.js';

const callId = z.string().regex(/^call_[0-9a-z]{26}$/);
const sessionId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const msg = <T extends z.ZodRawShape>(kind: string, shape: T) =>
  z.object({ kind: z.literal(kind), ref: z.string().max(64).optional(), ...shape }).strict();

/**
 * Phone calls in the browser (/phone, /agent, the SDK's `Phone`): the app offers a
 * PCMU WebRTC leg (`rtc.offer` purpose 'call'), then dials or answers with `call.*`
 * messages over /api/ws. A browser leg is a leg like a SIP one: flows, bridges,
 * recordings and transfers work on it.
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

  ring(input: { tenantId: string; userId: string; callId: string; from: string; metadataToken?: string }): BrowserLeg | null {
    const { media } = this.ctx.services.get('telephony');
    const notify = (m: object) => this.ws.sendToUser(input.tenantId, input.userId, m);
    const leg = new BrowserLeg(media.clock, 'outbound', `user:${input.userId}`, notify, input.callId);
    const incoming = { kind: 'call.incoming', callId: input.callId, from: input.from, ...(input.metadataToken ? { metadataToken: input.metadataToken } : {}) };
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

  private webrtc(client: WsClient, id: string) {
    const leg = rtcSignallingOf(this.ctx)?.leg(client, id);
    if (!leg) throw new CallsightError('rtc_session_unknown', 'Offer a media session (rtc.offer, purpose "call") first', { status: 404 });
    return leg;
  }

  register(): void {
    this.ws.handle('call.dial', msg('call.dial', { to: z.string().min(1).max(200), sessionId }), async (client, m) => {
      const userId = client.principal.userId;
      if (!userId) throw new CallsightError('user_required', 'Only logged-in users can place calls', { status: 403 });
      const { media, manager } = this.ctx.services.get('telephony');
      const user = await this.ctx.users.get(client.principal.tenantId, userId);
      const leg = new BrowserLeg(media.clock, 'inbound', `user:${userId}`, (x) => client.send(x));
      leg.attach(this.webrtc(client, m.sessionId));
      this.track(leg, client.principal.tenantId, userId);
      const from = user?.phoneNumber ?? `user:${userId}`;
      await manager.dialFromApp(client.principal.tenantId, leg, from, m.to);
      return { kind: 'call.dialing', callId: leg.callId };
    });
    this.ws.handle('call.answer', msg('call.answer', { callId, sessionId }), (client, m) => {
      this.mine(client, m.callId).answeredByApp(this.webrtc(client, m.sessionId));
      return { kind: 'call.answered', callId: m.callId };
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
      const leg = this.mine(client, m.callId);
      for (const d of m.digits) leg.emit('dtmf', d);
      return { kind: 'call.dtmf.sent', callId: m.callId };
    });
  }
}

/** Wires browser phones into telephony once both it and WebRTC run. */
export const appPhoneFeature: Feature = {
  name: 'app-phone',
  async start(ctx, { ws }) {
    const signalling = rtcSignallingOf(ctx);
    const telephony = ctx.services.maybe('telephony');
    if (!signalling || !telephony) return;
    // The media leg is created on `rtc.offer`; `call.dial` / `call.answer` then name it.
    signalling.registerPurpose('call', { profile: 'pcmu', onSession: () => {} });
    const service = new AppPhoneService(ctx, ws);
    service.register();
    telephony.manager.appPhones = service;
  },
};
