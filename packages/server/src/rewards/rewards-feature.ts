import type { Feature } from '../core/feature.js';
import { rewardRoutes } from './reward-routes.js';
import { RewardsService } from './rewards-service.js';

/** How often each process looks at crypto redemptions in flight (retries, and what no event or block woke it for). */
const PAYOUT_SWEEP_MS = 400;

declare module '../core/services.js' {
  interface Services {
    rewards: RewardsService;
  }
}

/**
 * Rewards: programs pay dynamically valued points for activities the platform already
 * sees (a branded call's link opened, a confirm card answered, time listening in a room),
 * into a double-entry ledger; users redeem to each other or to crypto (viem).
 */
export const rewardsFeature: Feature = {
  name: 'rewards',
  provides: ['rewards'],
  // The brand's name, when branding runs, says whose content earned the points.
  uses: ['branding'],
  async setup(ctx, { routes }) {
    const svc = new RewardsService(ctx);
    ctx.services.provide('rewards', svc);
    await routes.register(async (app) => rewardRoutes(svc)(app, ctx));

    const award = (tenantId: string, a: Parameters<RewardsService['awards']['award']>[1]) =>
      svc.awards.award(tenantId, a).catch((err) => {
        ctx.log.warn({ err, activity: a.activityId }, 'reward award failed');
        throw err;
      });

    // Once across processes (a work-queue group); a repeat is a no-op anyway (once per activity id).
    const activities = await ctx.bus.subscribe({ group: 'rewards-activities', types: ['branding.link.opened', 'confirm.answered'] }, async (e) => {
      if (e.type === 'branding.link.opened') {
        if (!e.interactionId) return;
        const it = await ctx.interactions.get(e.tenantId, e.interactionId);
        if (!it?.customerId) return;
        const brand = await ctx.services.maybe('branding')?.brands.get(e.tenantId, e.data.brandId);
        const reason = brand ? `Viewed ${brand.name}’s call content` : undefined;
        await award(e.tenantId, { activityId: `link:${e.data.callId}`, type: 'call_content_viewed', userId: it.customerId, at: e.time, reason });
      } else if (e.type === 'confirm.answered') {
        if (e.data.status === 'rejected') return;
        await award(e.tenantId, { activityId: `card:${e.data.cardId}`, type: 'card_completed', userId: e.data.customerId, at: e.time, reason: `Confirmed “${e.data.title}”` });
      }
    });

    // Listening time: every process sees joins and leaves (fan-out), so the pair meets; the
    // award itself is once per participant id whichever process pays it.
    const listening = new Map<string, { userId: string; roomId: string; at: number; tenantId: string }>();
    const rooms = await ctx.bus.subscribe({ types: ['room.joined', 'room.left'] }, async (e) => {
      if (e.type === 'room.joined') {
        if (e.data.userId && e.data.role === 'listener') listening.set(e.data.participantId, { userId: e.data.userId, roomId: e.data.roomId, at: e.time, tenantId: e.tenantId });
        return;
      }
      if (e.type !== 'room.left') return;
      const j = listening.get(e.data.participantId);
      listening.delete(e.data.participantId);
      if (!j) return;
      const program = await svc.programs.forActivity(j.tenantId, 'room_listened', e.time);
      if (!program || e.time - j.at < program.roomMinutes * 60_000) return;
      await award(j.tenantId, { activityId: `room:${e.data.participantId}`, type: 'room_listened', userId: j.userId, at: e.time }).catch(() => undefined);
    });

    // A crypto redemption asked for in any process wakes the payout workers; the lease picks one.
    const requested = await ctx.bus.subscribe({ types: ['rewards.redemption.requested'] }, () => svc.redemptions.kick());
    const timer = setInterval(() => svc.redemptions.kick(), PAYOUT_SWEEP_MS);
    timer.unref();
    return async () => {
      clearInterval(timer);
      svc.redemptions.stop();
      await requested.unsubscribe();
      await activities.unsubscribe();
      await rooms.unsubscribe();
    };
  },
};
