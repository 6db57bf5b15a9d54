import type { RewardWallet } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import { RewardAwards } from './reward-awards.js';
import { accountOf, Ledger } from './reward-ledger.js';
import { RewardPrograms } from './reward-programs.js';
import { RewardRedemptions } from './reward-redemptions.js';
import { redemptionOf, RewardReports } from './reward-reports.js';
import { statementCsv } from './reward-statement-csv.js';
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

  /** A user's statement for a UTC month as CSV (see `statementCsv`). */
  async statementCsv(tenantId: string, userId: string, period: string): Promise<string> {
    const [st, payout] = await Promise.all([this.reports.statement(tenantId, userId, period), this.redemptions.payoutInfo(tenantId)]);
    const ids = [...new Set(st.entries.map((e) => redemptionOf(e.transferId)).filter((id): id is string => id != null))];
    const redemptions = await this.redemptions.byIds(tenantId, ids);
    const people = new Set([...redemptions.values()].filter((r) => r.kind === 'transfer').flatMap((r) => [r.user_id, r.to_ref]));
    const names = new Map<string, string>();
    for (const id of people) names.set(id, (await this.ctx.users.get(tenantId, id))?.name ?? 'Former user');
    return statementCsv(st, payout, redemptions, names);
  }
}
