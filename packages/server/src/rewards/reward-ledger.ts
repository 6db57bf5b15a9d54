import type { RewardEntry, RewardEntryKind } from '@callsight/protocol';
import { sql, type Kysely, type Transaction } from 'kysely';
import { CallsightError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { RewardAccountsTable, RewardEntriesTable } from './reward-tables.js';

/**
 * The points ledger, double-entry in the manner of TigerBeetle: every movement is one
 * immutable entry naming a debit and a credit account and an amount, so Σ debits = Σ
 * credits by construction; each account keeps its running debits and credits, updated in
 * the entry's transaction. Guarded accounts (user balances, a period's budget, pending
 * holds) refuse a debit that would take them below zero: the check is in the UPDATE's
 * WHERE, so it holds under any concurrency on both dialects (SQLite serialises writers;
 * Postgres re-checks the condition on the row it waited for). An entry's `transferId` is
 * unique per tenant: the same award or request applied twice writes once.
 */

export type Db = Kysely<Database> | Transaction<Database>;

/** Rows per multi-row INSERT: 11 columns each stays far under SQLite's 32,766 bound parameters. */
const ENTRIES_PER_INSERT = 500;

export const accountOf = {
  user: (userId: string) => `user:${userId}`,
  budget: (programId: string, periodKey: string) => `budget:${programId}:${periodKey}`,
  pending: (tenantId: string) => `pending:${tenantId}`,
  payout: (tenantId: string) => `payout:${tenantId}`,
  issuer: (tenantId: string) => `issuer:${tenantId}`,
};

const kindOf = (account: string) => account.slice(0, account.indexOf(':')) as RewardAccountsTable['kind'];
/** The issuer (where budgets come from) and the external payouts may go negative; every other account may not. */
const isGuarded = (account: string) => !['issuer', 'payout'].includes(kindOf(account));

export interface TransferInput {
  tenantId: string;
  transferId: string;
  kind: RewardEntryKind;
  debit: string;
  credit: string;
  amount: number;
  programId?: string | null;
  reason: string;
  at?: number;
}

export const isUniqueViolation = (err: unknown) => /unique|duplicate key/i.test(String((err as Error)?.message));

export const toEntry = (r: RewardEntriesTable): RewardEntry => ({
  id: r.id,
  seq: Number(r.seq),
  transferId: r.transfer_id,
  kind: r.kind as RewardEntryKind,
  debitAccount: r.debit_account,
  creditAccount: r.credit_account,
  amount: Number(r.amount),
  programId: r.program_id,
  reason: r.reason,
  at: Number(r.at),
});

export class InsufficientFunds extends Error {
  constructor(readonly account: string) {
    super(`account ${account} has too little for this`);
  }
}

export class Ledger {
  constructor(private readonly store: Store) {}

  get db() {
    return this.store.db;
  }

  async entryByTransfer(db: Db, tenantId: string, transferId: string): Promise<RewardEntry | undefined> {
    const r = await db.selectFrom('reward_entries').selectAll().where('tenant_id', '=', tenantId).where('transfer_id', '=', transferId).executeTakeFirst();
    return r ? toEntry(r) : undefined;
  }

  /**
   * Applies one transfer inside `trx` (the caller's transaction). Throws InsufficientFunds
   * when a guarded debit account lacks the amount; the caller's transaction then rolls back.
   * A transferId already used throws a unique violation (callers look the entry up).
   */
  async apply(trx: Transaction<Database>, t: TransferInput): Promise<RewardEntry> {
    return (await this.applyMany(trx, [t]))[0]!;
  }

  /**
   * Applies many transfers inside `trx` with a fixed number of statements whatever their
   * count (one multi-row INSERT of the entries, one UPDATE per guarded debit account, one
   * upsert for the rest), so a batch of awards costs about what one did. A guarded account
   * must hold the batch's whole debit before the batch's credits to it, a stricter check
   * than entry by entry, so it never lets through what applying them one by one would refuse.
   */
  async applyMany(trx: Transaction<Database>, ts: TransferInput[]): Promise<RewardEntry[]> {
    if (ts.length === 0) return [];
    const rows = ts.map((t) => {
      if (!Number.isSafeInteger(t.amount) || t.amount <= 0) throw new CallsightError('internal', `ledger amount must be a positive integer (${t.amount})`);
      if (t.debit === t.credit) throw new CallsightError('internal', 'ledger transfer to the same account');
      const at = t.at ?? Date.now();
      return {
        id: newId('rwe', at),
        tenant_id: t.tenantId,
        transfer_id: t.transferId,
        kind: t.kind,
        debit_account: t.debit,
        credit_account: t.credit,
        amount: t.amount,
        program_id: t.programId ?? null,
        reason: t.reason,
        at,
      };
    });
    // The entries first: their unique transferIds make a concurrent duplicate wait here and fail.
    let seqs: Map<string, number>;
    if (this.store.dialect === 'postgres') {
      seqs = new Map();
      for (let i = 0; i < rows.length; i += ENTRIES_PER_INSERT) {
        const back = await trx.insertInto('reward_entries').values(rows.slice(i, i + ENTRIES_PER_INSERT) as never).returning(['id', 'seq']).execute();
        for (const r of back) seqs.set(r.id, Number(r.seq));
      }
    } else {
      // One writer at a time on SQLite: the ledger's last seq cannot move inside this transaction.
      const top = await trx.selectFrom('reward_entries').select(sql<number>`coalesce(max(seq), 0)`.as('n')).executeTakeFirstOrThrow();
      const rowsWithSeq = rows.map((r, i) => ({ ...r, seq: Number(top.n) + i + 1 }));
      for (let i = 0; i < rowsWithSeq.length; i += ENTRIES_PER_INSERT) await trx.insertInto('reward_entries').values(rowsWithSeq.slice(i, i + ENTRIES_PER_INSERT)).execute();
      seqs = new Map(rowsWithSeq.map((r) => [r.id, r.seq]));
    }
    await this.post(trx, ts[0]!.tenantId, ts, rows[0]!.at);
    return rows.map((r) => toEntry({ ...r, seq: seqs.get(r.id)! }));
  }

  /** The running totals of every account the transfers touch, netted per account, in account id order (no two transactions lock them in opposite orders). */
  private async post(trx: Transaction<Database>, tenantId: string, ts: TransferInput[], at: number): Promise<void> {
    const moves = new Map<string, { debits: number; credits: number; entries: number }>();
    const move = (account: string) => {
      let m = moves.get(account);
      if (!m) moves.set(account, (m = { debits: 0, credits: 0, entries: 0 }));
      return m;
    };
    for (const t of ts) {
      const d = move(t.debit);
      d.debits += t.amount;
      d.entries += 1;
      const c = move(t.credit);
      c.credits += t.amount;
      c.entries += 1;
    }
    const ordered = [...moves].sort(([a], [b]) => (a < b ? -1 : 1));
    const open: typeof ordered = [];
    for (const [account, m] of ordered) {
      if (!(m.debits > 0 && isGuarded(account))) {
        open.push([account, m]);
        continue;
      }
      const res = await trx
        .updateTable('reward_accounts')
        .set({ debits: sql`debits + ${m.debits}`, credits: sql`credits + ${m.credits}`, entries: sql`entries + ${m.entries}` })
        .where('id', '=', account)
        .where(sql<boolean>`credits - debits >= ${m.debits}`)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new InsufficientFunds(account);
    }
    // Credits and unguarded debits: add to the account, opening it with its first entry.
    for (let i = 0; i < open.length; i += ENTRIES_PER_INSERT) {
      await trx
        .insertInto('reward_accounts')
        .values(
          open.slice(i, i + ENTRIES_PER_INSERT).map(([account, m]) => ({
            id: account,
            tenant_id: tenantId,
            kind: kindOf(account),
            debits: m.debits,
            credits: m.credits,
            entries: m.entries,
            guarded: isGuarded(account) ? 1 : 0,
            created_at: at,
          })),
        )
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            debits: sql`reward_accounts.debits + excluded.debits`,
            credits: sql`reward_accounts.credits + excluded.credits`,
            entries: sql`reward_accounts.entries + excluded.entries`,
          }),
        )
        .execute();
    }
  }

  /**
   * One transfer in its own transaction, idempotent: a transferId seen before returns
   * the entry it wrote (`duplicate: true`) and writes nothing.
   */
  async transfer(t: TransferInput): Promise<{ entry: RewardEntry; duplicate: boolean }> {
    const seen = await this.entryByTransfer(this.db, t.tenantId, t.transferId);
    if (seen) return { entry: seen, duplicate: true };
    try {
      const entry = await this.db.transaction().execute((trx) => this.apply(trx, t));
      return { entry, duplicate: false };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const again = await this.entryByTransfer(this.db, t.tenantId, t.transferId);
      if (!again) throw err;
      return { entry: again, duplicate: true };
    }
  }

  async balance(db: Db, account: string): Promise<number> {
    const r = await db.selectFrom('reward_accounts').select(['debits', 'credits']).where('id', '=', account).executeTakeFirst();
    return r ? Number(r.credits) - Number(r.debits) : 0;
  }

  async accountEntries(tenantId: string, account: string, opts: { from?: number; to?: number; limit?: number; desc?: boolean } = {}): Promise<RewardEntry[]> {
    let q = this.db
      .selectFrom('reward_entries')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('debit_account', '=', account), eb('credit_account', '=', account)]));
    if (opts.from != null) q = q.where('at', '>=', opts.from);
    if (opts.to != null) q = q.where('at', '<', opts.to);
    const rows = await q.orderBy('seq', opts.desc ? 'desc' : 'asc').limit(opts.limit ?? 10_000).execute();
    return rows.map(toEntry);
  }

  /**
   * The ledger check: Σ debits = Σ credits over the accounts, every account's running
   * totals equal the sums of its entries, and no guarded account is below zero.
   */
  async check(tenantId: string): Promise<{ ok: boolean; entries: number; totalDebits: number; totalCredits: number; problems: string[] }> {
    const accounts = await this.db.selectFrom('reward_accounts').selectAll().where('tenant_id', '=', tenantId).execute();
    const deb = await this.db
      .selectFrom('reward_entries')
      .select(['debit_account as account', sql<number>`sum(amount)`.as('sum'), sql<number>`count(*)`.as('n')])
      .where('tenant_id', '=', tenantId)
      .groupBy('debit_account')
      .execute();
    const cred = await this.db
      .selectFrom('reward_entries')
      .select(['credit_account as account', sql<number>`sum(amount)`.as('sum'), sql<number>`count(*)`.as('n')])
      .where('tenant_id', '=', tenantId)
      .groupBy('credit_account')
      .execute();
    const d = new Map(deb.map((r) => [r.account, Number(r.sum)]));
    const c = new Map(cred.map((r) => [r.account, Number(r.sum)]));
    const problems: string[] = [];
    let totalDebits = 0;
    let totalCredits = 0;
    for (const a of accounts) {
      totalDebits += Number(a.debits);
      totalCredits += Number(a.credits);
      if (Number(a.debits) !== (d.get(a.id) ?? 0)) problems.push(`${a.id}: debits ${a.debits} ≠ entries ${d.get(a.id) ?? 0}`);
      if (Number(a.credits) !== (c.get(a.id) ?? 0)) problems.push(`${a.id}: credits ${a.credits} ≠ entries ${c.get(a.id) ?? 0}`);
      if (a.guarded && Number(a.debits) > Number(a.credits)) problems.push(`${a.id}: below zero`);
    }
    if (totalDebits !== totalCredits) problems.push(`Σ debits ${totalDebits} ≠ Σ credits ${totalCredits}`);
    const entries = deb.reduce((n, r) => n + Number(r.n), 0);
    return { ok: problems.length === 0, entries, totalDebits, totalCredits, problems };
  }
}
