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
    if (!Number.isSafeInteger(t.amount) || t.amount <= 0) throw new CallsightError('internal', `ledger amount must be a positive integer (${t.amount})`);
    if (t.debit === t.credit) throw new CallsightError('internal', 'ledger transfer to the same account');
    const at = t.at ?? Date.now();
    const id = newId('rwe', at);
    // The entry first: its unique transferId makes a concurrent duplicate wait here and fail.
    const values = {
      id,
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
    const row =
      this.store.dialect === 'postgres'
        ? await trx.insertInto('reward_entries').values(values as never).returning('seq').executeTakeFirstOrThrow()
        : await trx
            .insertInto('reward_entries')
            .values({ ...values, seq: sql<number>`(select coalesce(max(seq), 0) + 1 from reward_entries)` })
            .returning('seq')
            .executeTakeFirstOrThrow();
    // Accounts in id order (no two transfers lock them in opposite orders).
    const sides = [
      { account: t.debit, debit: true },
      { account: t.credit, debit: false },
    ].sort((a, b) => (a.account < b.account ? -1 : 1));
    for (const s of sides) await this.post(trx, t.tenantId, s.account, s.debit, t.amount, at);
    return toEntry({ ...values, seq: Number(row.seq) });
  }

  private async post(trx: Transaction<Database>, tenantId: string, account: string, debit: boolean, amount: number, at: number): Promise<void> {
    const guarded = debit && isGuarded(account);
    let q = trx
      .updateTable('reward_accounts')
      .set(debit ? { debits: sql`debits + ${amount}`, entries: sql`entries + 1` } : { credits: sql`credits + ${amount}`, entries: sql`entries + 1` })
      .where('id', '=', account);
    if (guarded) q = q.where(sql<boolean>`credits - debits >= ${amount}`);
    const res = await q.executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) return;
    if (guarded) throw new InsufficientFunds(account);
    // First entry of an unguarded debit or of any credit: open the account with it.
    await trx
      .insertInto('reward_accounts')
      .values({
        id: account,
        tenant_id: tenantId,
        kind: kindOf(account),
        debits: debit ? amount : 0,
        credits: debit ? 0 : amount,
        entries: 1,
        guarded: isGuarded(account) ? 1 : 0,
        created_at: at,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet(debit ? { debits: sql`reward_accounts.debits + ${amount}`, entries: sql`reward_accounts.entries + 1` } : { credits: sql`reward_accounts.credits + ${amount}`, entries: sql`reward_accounts.entries + 1` }),
      )
      .execute();
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
