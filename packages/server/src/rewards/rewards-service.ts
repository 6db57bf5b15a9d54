import type { RewardWallet } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import { RewardAwards } from './reward-awards.js';
import { accountOf, Ledger } from './reward-ledger.js';
import { RewardPrograms } from './reward-programs.js';
import { RewardRedemptions } from './reward-redemptions.js';
import { RewardReports } from './reward-reports.js';
import './reward-tables.js';

/** The rewards feature's parts, over one ledger. */
export class RewardsService {
  readonly ledger: Ledger;
  readonly programs: RewardPrograms;
  readonly awards: RewardAwards;
  readonly redemptions: RewardRedemptions;
  readonly reports: RewardReports;

  constructor(readonly ctx: AppContext) {
    this.ledger = new Ledger(ctx.store);
    this.programs = new RewardPrograms(ctx.store, this.ledger);
    this.awards = new RewardAwards(ctx, this.ledger, this.programs);
    this.redemptions = new RewardRedemptions(ctx, this.ledger);
    this.reports = new RewardReports(ctx, this.ledger, this.programs);
  }

  async wallet(tenantId: string, userId: string): Promise<RewardWallet> {
    const [balance, pending, history, payout] = await Promise.all([
      this.ledger.balance(this.ctx.store.db, accountOf.user(userId)),
      this.redemptions.pendingPoints(tenantId, userId),
      this.reports.history(tenantId, userId),
      this.redemptions.payoutInfo(tenantId),
    ]);
    return { userId, balance, pending, history, payout };
  }
}
