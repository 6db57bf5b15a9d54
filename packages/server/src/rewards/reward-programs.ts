import type { RewardActivityType, RewardPeriod, RewardProgram, RewardProgramInput } from '@callsight/protocol';
import { REWARD_ACTIVITY_TYPES } from '@callsight/protocol';
import { CallsightError, notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { fromJson, toJson, type Store } from '../store/store.js';
import { accountOf, InsufficientFunds, Ledger } from './reward-ledger.js';
import { isTimeZone, periodOf } from './reward-period.js';
import type { RewardProgramsTable } from './reward-tables.js';

const invalid = (message: string, path: string) => new CallsightError('rewards_program_invalid', message, { status: 400, fields: [{ path, message }] });

export const toProgram = (r: RewardProgramsTable): RewardProgram => ({
  id: r.id,
  name: r.name,
  budget: Number(r.budget),
  period: r.period as RewardPeriod,
  timeZone: r.time_zone,
  target: r.target,
  weights: fromJson(r.weights),
  userCap: r.user_cap == null ? null : Number(r.user_cap),
  deviceCap: r.device_cap == null ? null : Number(r.device_cap),
  roomMinutes: r.room_minutes,
  startsAt: Number(r.starts_at),
  endsAt: r.ends_at == null ? null : Number(r.ends_at),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** Programs per tenant, cached for a second (edits on this process clear it at once). */
export class RewardPrograms {
  private cache = new Map<string, { at: number; items: RewardProgram[] }>();

  constructor(
    private readonly store: Store,
    private readonly ledger: Ledger,
  ) {}

  private check(p: RewardProgramInput) {
    if (!p.name.trim()) throw invalid('A program needs a name', 'body.name');
    if (!Number.isSafeInteger(p.budget) || p.budget < 1) throw invalid('The budget is a whole number of points, at least 1', 'body.budget');
    if (!Number.isSafeInteger(p.target) || p.target < 1 || p.target > p.budget) throw invalid('The target payout is a whole number of points between 1 and the budget', 'body.target');
    const entries = Object.entries(p.weights);
    if (entries.length === 0) throw invalid('Reward at least one activity type', 'body.weights');
    for (const [t, w] of entries) {
      if (!(REWARD_ACTIVITY_TYPES as readonly string[]).includes(t)) throw invalid(`Unknown activity type ${t}`, `body.weights.${t}`);
      if (!(typeof w === 'number' && w > 0 && w <= 100)) throw invalid('A weight is a number above 0 and at most 100', `body.weights.${t}`);
    }
    if (p.timeZone && !isTimeZone(p.timeZone)) throw invalid(`Unknown time zone ${p.timeZone}`, 'body.timeZone');
    for (const k of ['userCap', 'deviceCap'] as const) if (p[k] != null && (!Number.isSafeInteger(p[k]) || p[k]! < 1)) throw invalid('A cap is a whole number of points, at least 1', `body.${k}`);
    if (p.endsAt != null && p.endsAt <= (p.startsAt ?? Date.now())) throw invalid('The program must end after it starts', 'body.endsAt');
  }

  async list(tenantId: string): Promise<RewardProgram[]> {
    const hit = this.cache.get(tenantId);
    if (hit && Date.now() - hit.at < 1000) return hit.items;
    const rows = await this.store.db.selectFrom('reward_programs').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute();
    const items = rows.map(toProgram);
    this.cache.set(tenantId, { at: Date.now(), items });
    return items;
  }

  async get(tenantId: string, id: string): Promise<RewardProgram> {
    const r = await this.store.db.selectFrom('reward_programs').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('Reward program');
    return toProgram(r);
  }

  /** The program that rewards `type` at `at` (the first created, when several do). */
  async forActivity(tenantId: string, type: RewardActivityType, at: number): Promise<RewardProgram | undefined> {
    return (await this.list(tenantId)).find((p) => (p.weights[type] ?? 0) > 0 && p.startsAt <= at && (p.endsAt == null || at < p.endsAt));
  }

  async create(tenantId: string, input: RewardProgramInput): Promise<RewardProgram> {
    this.check(input);
    const now = Date.now();
    const row: RewardProgramsTable = {
      id: newId('prg', now),
      tenant_id: tenantId,
      name: input.name.trim(),
      budget: input.budget,
      period: input.period,
      time_zone: input.timeZone ?? 'UTC',
      target: input.target,
      weights: toJson(input.weights),
      user_cap: input.userCap ?? null,
      device_cap: input.deviceCap ?? null,
      room_minutes: input.roomMinutes ?? 5,
      starts_at: input.startsAt ?? now,
      ends_at: input.endsAt ?? null,
      created_at: now,
      updated_at: now,
    };
    await this.store.db.insertInto('reward_programs').values(row).execute();
    this.cache.delete(tenantId);
    return toProgram(row);
  }

  /**
   * Edits a program. A budget change applies to the current period at once: the period's
   * budget account is topped up or given back, and a budget below what the period already
   * paid is refused (nothing written).
   */
  async update(tenantId: string, id: string, input: RewardProgramInput): Promise<RewardProgram> {
    this.check(input);
    const old = await this.get(tenantId, id);
    const now = Date.now();
    const tz = input.timeZone ?? 'UTC';
    const period = periodOf(now, input.period, tz);
    const oldPeriod = periodOf(now, old.period, old.timeZone);
    const account = accountOf.budget(id, oldPeriod.key);
    const acct = await this.store.db.selectFrom('reward_accounts').select(['debits', 'credits']).where('id', '=', account).executeTakeFirst();
    const paid = acct ? Number(acct.debits) : 0;
    const funded = acct ? Number(acct.credits) : 0;
    if (input.budget < paid) {
      throw new CallsightError('rewards_budget_below_paid', `This period already paid ${paid} points; the budget cannot go below that`, {
        status: 409,
        fields: [{ path: 'body.budget', message: `at least ${paid}` }],
      });
    }
    if (period.key !== oldPeriod.key && paid > 0) throw invalid('The period or time zone cannot change while the current period has paid awards', 'body.period');
    await this.store.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('reward_programs')
        .set({
          name: input.name.trim(),
          budget: input.budget,
          period: input.period,
          time_zone: tz,
          target: input.target,
          weights: toJson(input.weights),
          user_cap: input.userCap ?? null,
          device_cap: input.deviceCap ?? null,
          room_minutes: input.roomMinutes ?? old.roomMinutes,
          starts_at: input.startsAt ?? old.startsAt,
          ends_at: input.endsAt ?? null,
          updated_at: now,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('updated_at', '=', old.updatedAt)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new CallsightError('rewards_program_stale', 'The program changed meanwhile: reload it', { status: 409 });
      if (acct && input.budget !== funded) {
        const delta = input.budget - funded;
        // Giving back is a guarded debit of the budget: an award that raced the check makes it fail, and the edit with it.
        await this.ledger.apply(trx, {
          tenantId,
          transferId: `fund:${id}:${oldPeriod.key}:${now}`,
          kind: delta > 0 ? 'fund' : 'defund',
          debit: delta > 0 ? accountOf.issuer(tenantId) : account,
          credit: delta > 0 ? account : accountOf.issuer(tenantId),
          amount: Math.abs(delta),
          programId: id,
          reason: `Budget changed to ${input.budget}`,
          at: now,
        });
      }
    }).catch((err) => {
      if (err instanceof InsufficientFunds) throw new CallsightError('rewards_budget_below_paid', 'Awards paid meanwhile leave too little to lower the budget this far', { status: 409 });
      throw err;
    });
    this.cache.delete(tenantId);
    return this.get(tenantId, id);
  }
}
