import type { RewardActivityInput, RewardAward, RewardProgram } from '@callsight/protocol';
import { REWARD_ACTIVITY_LABELS } from '@callsight/protocol';
import type { AppContext } from '../app-context.js';
import { accountOf, InsufficientFunds, isUniqueViolation, type Ledger } from './reward-ledger.js';
import { periodOf } from './reward-period.js';
import type { RewardPrograms } from './reward-programs.js';
import { awardValue } from './reward-value.js';
import { sql } from 'kysely';

class CapRace extends Error {}

const counterId = (programId: string, periodKey: string, subject: string) => `${programId}:${periodKey}:${subject}`;

/**
 * Activity → rules → value → ledger. Each activity id pays once (the award's entry is
 * keyed `award:<activityId>`); caps are per user and per device per period, enforced by
 * conditional counter updates in the award's transaction; the period's budget account is
 * guarded, so concurrent awards can never pay more than the budget.
 */
export class RewardAwards {
  private readonly funded = new Set<string>();

  constructor(
    private readonly ctx: AppContext,
    private readonly ledger: Ledger,
    private readonly programs: RewardPrograms,
  ) {}

  /** Funds a program's period from the issuer once (idempotent across processes). */
  private async fund(tenantId: string, p: RewardProgram, periodKey: string, at: number): Promise<void> {
    const key = `${p.id}:${periodKey}`;
    if (this.funded.has(key)) return;
    await this.ledger.transfer({
      tenantId,
      transferId: `fund:${p.id}:${periodKey}`,
      kind: 'fund',
      debit: accountOf.issuer(tenantId),
      credit: accountOf.budget(p.id, periodKey),
      amount: p.budget,
      programId: p.id,
      reason: `Budget for ${periodKey}`,
      at,
    });
    this.funded.add(key);
  }

  async award(tenantId: string, a: RewardActivityInput): Promise<RewardAward> {
    const at = a.at ?? Date.now();
    const transferId = `award:${a.activityId}`;
    const program = await this.programs.forActivity(tenantId, a.type, at);
    if (!program) return { outcome: 'not_rewarded', programId: null, points: 0, entryId: null, note: 'No program rewards this activity now' };
    const seen = await this.ledger.entryByTransfer(this.ctx.store.db, tenantId, transferId);
    if (seen) return { outcome: 'duplicate', programId: seen.programId, points: seen.amount, entryId: seen.id, note: 'This activity was rewarded already' };
    const span = periodOf(at, program.period, program.timeZone);
    await this.fund(tenantId, program, span.key, at);
    const weight = program.weights[a.type]!;
    const weights = Object.values(program.weights) as number[];
    const meanWeight = weights.reduce((x, y) => x + y, 0) / weights.length;
    const budgetAcct = accountOf.budget(program.id, span.key);
    const periodC = counterId(program.id, span.key, 'period');
    const userC = counterId(program.id, span.key, `u:${a.userId}`);
    const deviceC = a.deviceId ? counterId(program.id, span.key, `d:${a.deviceId}`) : null;

    for (let attempt = 0; ; attempt++) {
      const [acct, counters] = await Promise.all([
        this.ctx.store.db.selectFrom('reward_accounts').select(['debits', 'credits']).where('id', '=', budgetAcct).executeTakeFirst(),
        this.ctx.store.db
          .selectFrom('reward_counters')
          .select(['id', 'points', 'awards', 'weight_sum'])
          .where('id', 'in', [periodC, userC, ...(deviceC ? [deviceC] : [])])
          .execute(),
      ]);
      const c = new Map(counters.map((r) => [r.id, r]));
      const spent = acct ? Number(acct.debits) : 0;
      const budget = acct ? Number(acct.credits) : program.budget;
      const pc = c.get(periodC);
      const value = awardValue(weight, program.target, {
        budget,
        spent,
        awards: pc ? pc.awards : 0,
        weightSum: pc ? pc.weight_sum : 0,
        elapsed: (at - span.start) / (span.end - span.start),
        meanWeight,
      });
      let points = value;
      let cap: 'user' | 'device' | 'budget' | null = value === 0 && budget - spent <= 0 ? 'budget' : null;
      const userLeft = program.userCap == null ? Infinity : program.userCap - Number(c.get(userC)?.points ?? 0);
      if (points > userLeft) (points = Math.max(0, userLeft)), (cap = 'user');
      const deviceLeft = program.deviceCap == null || !deviceC ? Infinity : program.deviceCap - Number(c.get(deviceC)?.points ?? 0);
      if (points > deviceLeft) (points = Math.max(0, deviceLeft)), (cap = 'device');

      if (points === 0) {
        await this.bumpCapped(tenantId, program.id, span.key, periodC);
        await this.ctx.bus.publish({ tenantId, type: 'rewards.capped', userIds: [a.userId], data: { programId: program.id, userId: a.userId, activityId: a.activityId, type: a.type, points: 0, cap: cap ?? 'budget' } });
        return { outcome: 'capped', programId: program.id, points: 0, entryId: null, note: capNote(cap ?? 'budget') };
      }
      try {
        const entry = await this.ctx.store.db.transaction().execute(async (trx) => {
          const e = await this.ledger.apply(trx, {
            tenantId,
            transferId,
            kind: 'award',
            debit: budgetAcct,
            credit: accountOf.user(a.userId),
            amount: points,
            programId: program.id,
            reason: a.reason ?? REWARD_ACTIVITY_LABELS[a.type],
            at,
          });
          const bump = async (id: string, subject: string, limit: number | null, w: number) => {
            const res = await trx
              .insertInto('reward_counters')
              .values({ id, tenant_id: tenantId, program_id: program.id, period_key: span.key, subject, points, awards: 1, weight_sum: w, capped: cap ? 1 : 0 })
              .onConflict((oc) => {
                const u = oc.column('id').doUpdateSet({
                  points: sql`reward_counters.points + ${points}`,
                  awards: sql`reward_counters.awards + 1`,
                  weight_sum: sql`reward_counters.weight_sum + ${w}`,
                  capped: sql`reward_counters.capped + ${cap ? 1 : 0}`,
                });
                return limit == null ? u : u.where(sql<boolean>`reward_counters.points + ${points} <= ${limit}`);
              })
              .executeTakeFirst();
            if (Number(res.numInsertedOrUpdatedRows ?? 1) === 0) throw new CapRace();
          };
          await bump(periodC, 'period', null, weight);
          await bump(userC, `u:${a.userId}`, program.userCap, 0);
          if (deviceC) await bump(deviceC, `d:${a.deviceId}`, program.deviceCap, 0);
          return e;
        });
        const data = { programId: program.id, userId: a.userId, activityId: a.activityId, type: a.type, points, entryId: entry.id };
        await this.ctx.bus.publish({ tenantId, type: 'rewards.awarded', userIds: [a.userId], data });
        if (cap) await this.ctx.bus.publish({ tenantId, type: 'rewards.capped', userIds: [a.userId], data: { ...data, cap } });
        return { outcome: cap ? 'capped' : 'awarded', programId: program.id, points, entryId: entry.id, note: cap ? capNote(cap) : null };
      } catch (err) {
        if (isUniqueViolation(err)) {
          const again = await this.ledger.entryByTransfer(this.ctx.store.db, tenantId, transferId);
          if (again) return { outcome: 'duplicate', programId: again.programId, points: again.amount, entryId: again.id, note: 'This activity was rewarded already' };
        }
        // Another award took the budget or the cap meanwhile: value it again on what is left.
        if ((err instanceof InsufficientFunds || err instanceof CapRace || isUniqueViolation(err)) && attempt < 20) continue;
        throw err;
      }
    }
  }

  private async bumpCapped(tenantId: string, programId: string, periodKey: string, id: string) {
    await this.ctx.store.db
      .insertInto('reward_counters')
      .values({ id, tenant_id: tenantId, program_id: programId, period_key: periodKey, subject: 'period', points: 0, awards: 0, weight_sum: 0, capped: 1 })
      .onConflict((oc) => oc.column('id').doUpdateSet({ capped: sql`reward_counters.capped + 1` }))
      .execute();
  }
}

const capNote = (cap: 'user' | 'device' | 'budget') =>
  cap === 'user' ? 'The period’s limit per person is reached' : cap === 'device' ? 'The period’s limit per device is reached' : 'The period’s budget is spent';
