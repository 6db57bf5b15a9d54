import type { RewardActivityType, RewardRedemption } from '../api/rewards.js';

/** Rewards: points paid for activities, caps hit, and redemptions through their states. */
export interface RewardEvents {
  'rewards.awarded': { programId: string; userId: string; activityId: string; type: RewardActivityType; points: number; entryId: string };
  /** A cap (user, device, budget) cut an award to `points` (0: nothing paid). */
  'rewards.capped': { programId: string; userId: string; activityId: string; type: RewardActivityType; points: number; cap: 'user' | 'device' | 'budget' };
  'rewards.redemption.requested': { redemption: RewardRedemption };
  'rewards.redemption.submitted': { redemption: RewardRedemption };
  'rewards.redemption.confirmed': { redemption: RewardRedemption };
  'rewards.redemption.failed': { redemption: RewardRedemption };
}
