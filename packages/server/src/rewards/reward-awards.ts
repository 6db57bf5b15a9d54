import type { RewardActivityInput, RewardAward, RewardEntry, RewardProgram } from '@callsight/protocol';
import { REWARD_ACTIVITY_LABELS } from '@callsight/protocol';
import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../app-context.js';
import type { EventType, PublishInput } from '../bus/event-map.js';
import type { Database } from '../store/schema.js';
import { GroupCommit } from './group-commit.js';
import { accountOf, InsufficientFunds, isUniqueViolation, toEntry, type Ledger, type TransferInput } from './reward-ledger.js';
import { periodOf, type PeriodSpan } from './reward-period.js';
import type { RewardPrograms } from './reward-programs.js';
import { awardValue } from './reward-value.js';

class CapRace extends Error {}

/** Awards of one program period settled in one transaction: large enough to amortise it, small enough to keep a batch's wait short. */
const MAX_BATCH = 256;
/** Another process took the budget, a cap or an activity meanwhile: the batch is valued again on what it left. */
const MAX_RETRIES = 20;

const counterId = (programId: string, periodKey: string, subject: string) => `${programId}:${periodKey}:${subject}`;

type Cap = 'user' | 'device' | 'budget';

interface Pending {
  tenantId: string;
  program: RewardProgram;
  span: PeriodSpan;
  a: RewardActivityInput;
  at: number;
}

interface Settled {
  award: RewardAward;
  cap: Cap | null;
}

interface Done extends Settled {
  /** The batch's `rewards.awarded|capped` events, published together once it committed. */
  published: Promise<unknown>;
}

interface CounterMove {
  subject: string;
  limit: number | null;
  points: number;
  awards: number;
  weightSum: number;
  capped: number;
}

/**
 * SQLite's snapshot moved under a deferred transaction (another process wrote), or
 * Postgres found a deadlock or serialisation failure: nothing was written, try again.
 */
const isTransient = (err: unknown) => {
  const code = String((err as { code?: unknown })?.code ?? '');
  return code.startsWith('SQLITE_BUSY') || code === '40001' || code === '40P01';
};

/**
 * Activity → rules → value → ledger. Each activity id pays once (the award's entry is
 * keyed `award:<activityId>`); caps are per user and per device per period.
 *
 * Awards of one program period arriving together are settled together (group commit):
 * one transaction reads the period's budget and counters once, values the awards in
 * arrival order exactly as one by one (each sees the spend of those before it, so the
 * PI pacing is unchanged), and writes every entry, balance and counter with a fixed
 * number of statements. On Postgres the transaction first locks the period's budget
 * row, so batches of the same period in other processes wait and then read what this
 * one wrote; the budget debit and the cap counters are still guarded in their UPDATEs'
 * WHERE, so a race anywhere makes the batch roll back and be valued again, and
 * concurrent awards can never pay more than the budget or a cap.
 */
export class RewardAwards {
  private readonly funded = new Map<string, Promise<void>>();
  private readonly batches = new GroupCommit<Pending, Done>((_key, items) => this.commitAndPublish(items), MAX_BATCH);

  constructor(
    private readonly ctx: AppContext,
    private readonly ledger: Ledger,
    private readonly programs: RewardPrograms,
  ) {}

  /** Funds a program's period from the issuer once (idempotent across processes). */
  private fund(tenantId: string, p: RewardProgram, periodKey: string, at: number): Promise<void> {
    const key = `${p.id}:${periodKey}`;
    let done = this.funded.get(key);
    if (!done) {
      done = this.ledger
        .transfer({
          tenantId,
          transferId: `fund:${p.id}:${periodKey}`,
          kind: 'fund',
          debit: accountOf.issuer(tenantId),
          credit: accountOf.budget(p.id, periodKey),
          amount: p.budget,
          programId: p.id,
          reason: `Budget for ${periodKey}`,
          at,
        })
        .then(() => undefined);
      done.catch(() => this.funded.delete(key));
      this.funded.set(key, done);
    }
    return done;
  }

  async award(tenantId: string, a: RewardActivityInput): Promise<RewardAward> {
    const at = a.at ?? Date.now();
    const program = await this.programs.forActivity(tenantId, a.type, at);
    if (!program) return { outcome: 'not_rewarded', programId: null, points: 0, entryId: null, note: 'No program rewards this activity now' };
    const span = periodOf(at, program.period, program.timeZone);
    await this.fund(tenantId, program, span.key, at);
    const { award, published } = await this.batches.submit(`${tenantId}:${program.id}:${span.key}`, { tenantId, program, span, a, at });
    await published;
    return award;
  }

  /**
   * The events go out after the commit (never for an award that rolled back), all of a batch
   * in one publish, and each award returns only once its event is stored on the bus. The
   * next batch does not wait for them: it commits while these are being published.
   */
  private async commitAndPublish(items: Pending[]): Promise<Done[]> {
    const settled = await this.commit(items);
    const published = this.ctx.bus.publishMany(settled.flatMap((s, i) => eventsOf(items[i]!, s)));
    published.catch(() => {}); // each award awaits it and sees the failure; this keeps it from counting as unhandled meanwhile
    return settled.map((s) => ({ ...s, published }));
  }

  private async commit(items: Pending[]): Promise<Settled[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.ctx.store.db.transaction().execute((trx) => this.settle(trx, items));
      } catch (err) {
        const retry = err instanceof InsufficientFunds || err instanceof CapRace || isUniqueViolation(err) || isTransient(err);
        if (retry && attempt < MAX_RETRIES) continue;
        throw err;
      }
    }
  }

  /** Values and writes one batch of one program period inside `trx`; the results are in the items' order. */
  private async settle(trx: Transaction<Database>, items: Pending[]): Promise<Settled[]> {
    const { tenantId, span } = items[0]!;
    // The newest version of the program any of the awards saw (an edit may land between two).
    const program = items.reduce((p, i) => (i.program.updatedAt > p.updatedAt ? i.program : p), items[0]!.program);
    const budgetAcct = accountOf.budget(program.id, span.key);
    const periodC = counterId(program.id, span.key, 'period');
    const userC = (userId: string) => counterId(program.id, span.key, `u:${userId}`);
    const deviceC = (deviceId: string) => counterId(program.id, span.key, `d:${deviceId}`);

    let budgetQ = trx.selectFrom('reward_accounts').select(['debits', 'credits']).where('id', '=', budgetAcct);
    if (this.ctx.store.dialect === 'postgres') budgetQ = budgetQ.forUpdate();
    const acct = await budgetQ.executeTakeFirst();
    const counterIds = new Set([periodC]);
    for (const { a } of items) {
      counterIds.add(userC(a.userId));
      if (a.deviceId) counterIds.add(deviceC(a.deviceId));
    }
    const transferIds = [...new Set(items.map(({ a }) => `award:${a.activityId}`))];
    const counterRows = await trx.selectFrom('reward_counters').select(['id', 'points', 'awards', 'weight_sum']).where('id', 'in', [...counterIds]).execute();
    const seenRows = await trx.selectFrom('reward_entries').selectAll().where('tenant_id', '=', tenantId).where('transfer_id', 'in', transferIds).execute();
    const seen = new Map(seenRows.map((r) => [r.transfer_id, toEntry(r)]));
    const counters = new Map(counterRows.map((r) => [r.id, { points: Number(r.points), awards: Number(r.awards), weightSum: Number(r.weight_sum) }]));
    const moves = new Map<string, CounterMove>();
    const move = (id: string, subject: string, limit: number | null, points: number, weight: number, capped: boolean) => {
      let m = moves.get(id);
      if (!m) moves.set(id, (m = { subject, limit, points: 0, awards: 0, weightSum: 0, capped: 0 }));
      m.points += points;
      m.awards += points > 0 ? 1 : 0;
      m.weightSum += weight;
      m.capped += capped ? 1 : 0;
      const c = counters.get(id) ?? { points: 0, awards: 0, weightSum: 0 };
      counters.set(id, { points: c.points + points, awards: c.awards + (points > 0 ? 1 : 0), weightSum: c.weightSum + weight });
    };

    let spent = acct ? Number(acct.debits) : 0;
    const budget = acct ? Number(acct.credits) : program.budget;
    const weights = Object.values(program.weights) as number[];
    const meanWeight = weights.reduce((x, y) => x + y, 0) / weights.length;
    const transfers: TransferInput[] = [];
    /** Per item: a result already known, or the index of the transfer it pays (the entry exists after applyMany). */
    const plan: Array<{ settled: Settled } | { transfer: number; points: number; cap: Cap | null }> = [];
    const planned = new Map<string, number>();

    for (const { a, at, program: seenAs } of items) {
      const transferId = `award:${a.activityId}`;
      const prior = seen.get(transferId);
      if (prior) {
        plan.push({ settled: { award: duplicate(prior), cap: null } });
        continue;
      }
      const twin = planned.get(transferId);
      if (twin != null) {
        plan.push({ transfer: twin, points: -1, cap: null });
        continue;
      }
      const weight = program.weights[a.type] ?? seenAs.weights[a.type]!;
      const pc = counters.get(periodC);
      const value = awardValue(weight, program.target, {
        budget,
        spent,
        awards: pc ? pc.awards : 0,
        weightSum: pc ? pc.weightSum : 0,
        elapsed: (at - span.start) / (span.end - span.start),
        meanWeight,
      });
      let points = value;
      let cap: Cap | null = value === 0 && budget - spent <= 0 ? 'budget' : null;
      const userLeft = program.userCap == null ? Infinity : program.userCap - (counters.get(userC(a.userId))?.points ?? 0);
      if (points > userLeft) (points = Math.max(0, userLeft)), (cap = 'user');
      const deviceLeft = program.deviceCap == null || !a.deviceId ? Infinity : program.deviceCap - (counters.get(deviceC(a.deviceId))?.points ?? 0);
      if (points > deviceLeft) (points = Math.max(0, deviceLeft)), (cap = 'device');

      if (points === 0) {
        move(periodC, 'period', null, 0, 0, true);
        const c = cap ?? 'budget';
        plan.push({ settled: { award: { outcome: 'capped', programId: program.id, points: 0, entryId: null, note: capNote(c) }, cap: c } });
        continue;
      }
      spent += points;
      move(periodC, 'period', null, points, weight, cap != null);
      move(userC(a.userId), `u:${a.userId}`, program.userCap, points, 0, cap != null);
      if (a.deviceId) move(deviceC(a.deviceId), `d:${a.deviceId}`, program.deviceCap, points, 0, cap != null);
      planned.set(transferId, transfers.length);
      plan.push({ transfer: transfers.length, points, cap });
      transfers.push({
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
    }

    const entries = await this.ledger.applyMany(trx, transfers);
    await this.bumpCounters(trx, tenantId, program.id, span.key, moves);
    return plan.map((p) => {
      if ('settled' in p) return p.settled;
      const e = entries[p.transfer]!;
      if (p.points < 0) return { award: duplicate(e), cap: null };
      return {
        award: { outcome: p.cap ? 'capped' : 'awarded', programId: program.id, points: p.points, entryId: e.id, note: p.cap ? capNote(p.cap) : null },
        cap: p.cap,
      };
    });
  }

  /**
   * Adds the batch's counts to the period's counters, one upsert per kind of limit. A cap's
   * counter is only raised while it stays within the cap; a row refused means another
   * process paid meanwhile, and the whole batch rolls back to be valued again.
   */
  private async bumpCounters(trx: Transaction<Database>, tenantId: string, programId: string, periodKey: string, moves: Map<string, CounterMove>) {
    const byLimit = new Map<number | null, Array<[string, CounterMove]>>();
    for (const [id, m] of [...moves].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const group = byLimit.get(m.limit) ?? [];
      group.push([id, m]);
      byLimit.set(m.limit, group);
    }
    for (const [limit, group] of byLimit) {
      const res = await trx
        .insertInto('reward_counters')
        .values(
          group.map(([id, m]) => ({
            id,
            tenant_id: tenantId,
            program_id: programId,
            period_key: periodKey,
            subject: m.subject,
            points: m.points,
            awards: m.awards,
            weight_sum: m.weightSum,
            capped: m.capped,
          })),
        )
        .onConflict((oc) => {
          const u = oc.column('id').doUpdateSet({
            points: sql`reward_counters.points + excluded.points`,
            awards: sql`reward_counters.awards + excluded.awards`,
            weight_sum: sql`reward_counters.weight_sum + excluded.weight_sum`,
            capped: sql`reward_counters.capped + excluded.capped`,
          });
          return limit == null ? u : u.where(sql<boolean>`reward_counters.points + excluded.points <= ${limit}`);
        })
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? group.length) !== group.length) throw new CapRace();
    }
  }
}

function eventsOf({ tenantId, program, a }: Pending, { award, cap }: Settled): PublishInput<EventType>[] {
  if (award.outcome === 'duplicate') return [];
  const data = { programId: program.id, userId: a.userId, activityId: a.activityId, type: a.type, points: award.points };
  const paid = award.entryId ? { ...data, entryId: award.entryId } : null;
  const events: PublishInput<EventType>[] = [];
  if (paid) events.push({ tenantId, type: 'rewards.awarded', userIds: [a.userId], data: paid });
  if (cap) events.push({ tenantId, type: 'rewards.capped', userIds: [a.userId], data: { ...(paid ?? data), cap } });
  return events;
}

const duplicate = (e: RewardEntry): RewardAward => ({ outcome: 'duplicate', programId: e.programId, points: e.amount, entryId: e.id, note: 'This activity was rewarded already' });

const capNote = (cap: Cap) =>
  cap === 'user' ? 'The period’s limit per person is reached' : cap === 'device' ? 'The period’s limit per device is reached' : 'The period’s budget is spent';
