import type { RewardHistoryItem, RewardInclusionProof, RewardPacing, RewardSeal, RewardStatement } from '@callsight/protocol';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.js';
import { CallsightError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { accountOf, toEntry, type Ledger } from './reward-ledger.js';
import { leafHash, merkleProof, merkleRoot } from './merkle.js';
import { periodOf } from './reward-period.js';
import { awardValue } from './reward-value.js';
import type { RewardPrograms } from './reward-programs.js';
import type { RewardEntry } from '@callsight/protocol';
import type { RewardSealsTable } from './reward-tables.js';

/** The canonical bytes of an entry that a Merkle leaf covers (fixed key order). */
export const entryLeafData = (e: RewardEntry) =>
  JSON.stringify([e.id, e.seq, e.transferId, e.kind, e.debitAccount, e.creditAccount, e.amount, e.programId, e.reason, e.at]);

export const LEAF_ALGORITHM =
  'leaf = sha256(0x00 || JSON [id, seq, transferId, kind, debitAccount, creditAccount, amount, programId, reason, at]); node = sha256(0x01 || left || right); an odd node is carried up unpaired';

/** The redemption a ledger transfer belongs to (its hold, transfer, post or void), or null. */
export const redemptionOf = (transferId: string): string | null => (/^(hold|transfer|void|post):/.test(transferId) ? transferId.slice(transferId.indexOf(':') + 1) : null);

const toSeal = (r: RewardSealsTable): RewardSeal => ({ id: r.id, fromSeq: Number(r.from_seq), toSeq: Number(r.to_seq), count: r.count, root: r.root, sealedAt: Number(r.sealed_at) });

/** Wallet history, statements, Merkle seals and inclusion proofs, program pacing. */
export class RewardReports {
  constructor(
    private readonly ctx: AppContext,
    private readonly ledger: Ledger,
    private readonly programs: RewardPrograms,
  ) {}

  async history(tenantId: string, userId: string, limit = 50): Promise<RewardHistoryItem[]> {
    const account = accountOf.user(userId);
    const entries = await this.ledger.accountEntries(tenantId, account, { limit, desc: true });
    return entries.map((e) => ({
      entryId: e.id,
      kind: e.kind,
      points: e.creditAccount === account ? e.amount : -e.amount,
      reason: e.reason,
      at: e.at,
      redemptionId: redemptionOf(e.transferId),
    }));
  }

  /** A user's statement for a UTC month: opening, the entries, closing; it reconciles to the entries and the account. */
  async statement(tenantId: string, userId: string, period: string): Promise<RewardStatement> {
    const m = /^(\d{4})-(\d{2})$/.exec(period);
    if (!m) throw new CallsightError('validation_failed', 'period is YYYY-MM', { status: 400, fields: [{ path: 'query.period', message: 'is YYYY-MM' }] });
    const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
    const end = Date.UTC(Number(m[1]), Number(m[2]), 1);
    const account = accountOf.user(userId);
    const sumBefore = async (col: 'debit_account' | 'credit_account') =>
      Number(
        (await this.ctx.store.db.selectFrom('reward_entries').select(sql<number>`coalesce(sum(amount), 0)`.as('s')).where('tenant_id', '=', tenantId).where(col, '=', account).where('at', '<', start).executeTakeFirst())?.s ?? 0,
      );
    const opening = (await sumBefore('credit_account')) - (await sumBefore('debit_account'));
    const entries = await this.ledger.accountEntries(tenantId, account, { from: start, to: end, limit: 100_000 });
    let credits = 0;
    let debits = 0;
    for (const e of entries) {
      if (e.creditAccount === account) credits += e.amount;
      else debits += e.amount;
    }
    const closing = opening + credits - debits;
    const now = Date.now();
    const current = now >= start && now < end;
    const balance = await this.ledger.balance(this.ctx.store.db, account);
    const later = current ? [] : await this.ledger.accountEntries(tenantId, account, { from: end, limit: 100_000 });
    const afterwards = later.reduce((n, e) => n + (e.creditAccount === account ? e.amount : -e.amount), 0);
    return { userId, period, opening, credits, debits, closing, entries, reconciled: closing + afterwards === balance || (!current && now < start && closing === opening) };
  }

  /**
   * Seals every entry since the last seal under one Merkle root. On Postgres the entries
   * table is locked against writers for the moment of sealing, so no entry with a lower
   * sequence number can commit after the seal was taken.
   */
  async seal(tenantId: string): Promise<RewardSeal> {
    return this.ctx.store.db.transaction().execute(async (trx) => {
      if (this.ctx.store.dialect === 'postgres') await sql`lock table reward_entries in share mode`.execute(trx);
      const last = await trx.selectFrom('reward_seals').select(sql<number>`coalesce(max(to_seq), 0)`.as('s')).where('tenant_id', '=', tenantId).executeTakeFirst();
      const fromSeq = Number(last?.s ?? 0);
      const rows = await trx.selectFrom('reward_entries').selectAll().where('tenant_id', '=', tenantId).where('seq', '>', fromSeq).orderBy('seq').execute();
      if (rows.length === 0) throw new CallsightError('rewards_nothing_to_seal', 'Nothing was booked since the last seal', { status: 409 });
      const leaves = rows.map((r) => leafHash(entryLeafData(toEntry(r))));
      const row: RewardSealsTable = {
        id: newId('seal'),
        tenant_id: tenantId,
        from_seq: fromSeq,
        to_seq: Number(rows[rows.length - 1]!.seq),
        count: rows.length,
        root: merkleRoot(leaves),
        sealed_at: Date.now(),
      };
      await trx.insertInto('reward_seals').values(row).execute();
      return toSeal(row);
    });
  }

  async seals(tenantId: string): Promise<RewardSeal[]> {
    const rows = await this.ctx.store.db.selectFrom('reward_seals').selectAll().where('tenant_id', '=', tenantId).orderBy('from_seq', 'desc').limit(100).execute();
    return rows.map(toSeal);
  }

  /** The proof that `entryId` is in its seal; `userId` set: only entries of that user's account. */
  async proof(tenantId: string, entryId: string, userId: string | null): Promise<RewardInclusionProof> {
    const r = await this.ctx.store.db.selectFrom('reward_entries').selectAll().where('tenant_id', '=', tenantId).where('id', '=', entryId).executeTakeFirst();
    const mine = r && (userId == null || r.debit_account === accountOf.user(userId) || r.credit_account === accountOf.user(userId));
    if (!r || !mine) throw new CallsightError('not_found', 'Ledger entry not found', { status: 404 });
    const seal = await this.ctx.store.db
      .selectFrom('reward_seals')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('from_seq', '<', Number(r.seq))
      .where('to_seq', '>=', Number(r.seq))
      .executeTakeFirst();
    if (!seal) throw new CallsightError('rewards_entry_not_sealed', 'This entry is not sealed yet', { status: 404 });
    const rows = await this.ctx.store.db
      .selectFrom('reward_entries')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('seq', '>', Number(seal.from_seq))
      .where('seq', '<=', Number(seal.to_seq))
      .orderBy('seq')
      .execute();
    const entries = rows.map(toEntry);
    const leaves = entries.map((e) => leafHash(entryLeafData(e)));
    const index = entries.findIndex((e) => e.id === entryId);
    return { sealId: seal.id, root: seal.root, entry: entries[index]!, leaf: leaves[index]!, index, path: merkleProof(leaves, index), algorithm: LEAF_ALGORITHM };
  }

  /** The program's current period: planned against actual payout in 24 steps, top earners, anomaly flags. */
  async pacing(tenantId: string, programId: string, now = Date.now()): Promise<RewardPacing> {
    const p = await this.programs.get(tenantId, programId);
    const span = periodOf(now, p.period, p.timeZone);
    const db = this.ctx.store.db;
    const acct = await db.selectFrom('reward_accounts').select(['debits', 'credits']).where('id', '=', accountOf.budget(p.id, span.key)).executeTakeFirst();
    const budget = acct ? Number(acct.credits) : p.budget;
    const counters = await db.selectFrom('reward_counters').selectAll().where('program_id', '=', p.id).where('period_key', '=', span.key).execute();
    const period = counters.find((c) => c.subject === 'period');
    const steps = 24;
    const width = (span.end - span.start) / steps;
    const bucket = sql<number>`cast(floor((at - ${span.start}) / ${width}) as integer)`;
    const rows = await db
      .selectFrom('reward_entries')
      .select([bucket.as('b'), sql<number>`sum(amount)`.as('s'), sql<number>`count(*)`.as('n')])
      .where('tenant_id', '=', tenantId)
      .where('program_id', '=', p.id)
      .where('kind', '=', 'award')
      .where('at', '>=', span.start)
      .where('at', '<', span.end)
      .groupBy(sql`1`)
      .execute();
    const per = new Map(rows.map((r) => [Number(r.b), Number(r.s)]));
    const series: RewardPacing['series'] = [{ at: span.start, planned: 0, actual: 0 }];
    const flags: RewardPacing['flags'] = [];
    let actual = 0;
    for (let i = 0; i < steps; i++) {
      const at = Math.round(span.start + (i + 1) * width);
      const inStep = per.get(i) ?? 0;
      actual += inStep;
      if (inStep > (3 * budget) / steps && inStep > 0) flags.push({ kind: 'burst', at, detail: `${inStep} points paid in one step: over three times the plan` });
      if (at - width > now) break;
      series.push({ at: Math.min(at, now), planned: Math.round((budget * (Math.min(at, now) - span.start)) / (span.end - span.start)), actual });
    }
    const users = counters.filter((c) => c.subject.startsWith('u:')).sort((a, b) => Number(b.points) - Number(a.points));
    const top = await Promise.all(
      users.slice(0, 5).map(async (c) => {
        const userId = c.subject.slice(2);
        return { userId, name: (await this.ctx.users.get(tenantId, userId))?.name ?? 'Former user', points: Number(c.points), awards: c.awards };
      }),
    );
    if (period && period.capped > 0) flags.unshift({ kind: 'cap_hit', at: now, detail: `${period.capped} awards were cut by a cap or the budget` });
    const capped = users.filter((c) => p.userCap != null && Number(c.points) >= p.userCap).length;
    if (capped > 0) flags.unshift({ kind: 'cap_hit', at: now, detail: `${capped} ${capped === 1 ? 'person has' : 'people have'} reached the limit per person` });
    const spent = acct ? Number(acct.debits) : 0;
    const awards = period?.awards ?? 0;
    const weights = Object.values(p.weights) as number[];
    const state = {
      budget,
      spent,
      awards,
      weightSum: period?.weight_sum ?? 0,
      elapsed: (now - span.start) / (span.end - span.start),
      meanWeight: weights.reduce((x, y) => x + y, 0) / weights.length,
    };
    const values = Object.fromEntries(Object.entries(p.weights).map(([type, w]) => [type, awardValue(w!, p.target, state)]));
    return {
      programId: p.id,
      periodKey: span.key,
      periodStart: span.start,
      periodEnd: span.end,
      budget,
      spent,
      awards,
      averagePayout: awards ? Math.round((spent / awards) * 10) / 10 : 0,
      cappedCount: period?.capped ?? 0,
      values,
      series,
      topEarners: top,
      flags,
    };
  }
}
