import type { LoginLock } from '@callsight/protocol';
import type { Store } from '../store/store.js';

export interface LoginThrottlesTable {
  /** The email tried, lower-cased; `*` for an address's failures over all accounts. */
  account: string;
  address: string;
  /** The account's tenant when the email is a user's, so its admin sees the lock. */
  tenant_id: string | null;
  failures: number;
  last_failure_at: number;
  blocked_until: number;
}

declare module '../store/schema.js' {
  interface Database {
    login_throttles: LoginThrottlesTable;
  }
}

export type { LoginLock };

const ANY_ACCOUNT = '*';
/** Failures older than this are forgiven. */
const WINDOW_MS = 15 * 60_000;
const FIRST_BLOCK_MS = 30_000;
const MAX_BLOCK_MS = 15 * 60_000;

/**
 * Brakes password guessing without handing anyone a way to lock a real user out:
 * failures count per (account, client address), so a storm of wrong passwords
 * from one address blocks that address for that account — with a backoff that
 * doubles from 30 s to 15 min after `maxAttempts` — while the user signs in from
 * anywhere else. One address guessing across accounts is braked the same way after
 * ten times as many failures (an office NAT carries many people). In the store, so
 * every process sees the same counts and an admin can see and clear a lock; the
 * scrypt cost is the second brake against guessing spread over many addresses.
 */
export class LoginThrottle {
  constructor(
    private readonly store: Store,
    private readonly maxAttempts: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `account` may be tried again from `address`; 0 when now. */
  async retryAfter(account: string, address: string): Promise<number> {
    const rows = await this.store.db
      .selectFrom('login_throttles')
      .select(['blocked_until'])
      .where('address', '=', address)
      .where('account', 'in', [account, ANY_ACCOUNT])
      .execute();
    const until = Math.max(0, ...rows.map((r) => Number(r.blocked_until)));
    return Math.max(0, until - this.now());
  }

  async fail(account: string, address: string, tenantId: string | null): Promise<void> {
    // Forgiven counts go, so guesses at made-up accounts do not pile up rows.
    const stale = this.now() - WINDOW_MS;
    await this.store.db.deleteFrom('login_throttles').where('blocked_until', '<', stale).where('last_failure_at', '<', stale).execute();
    await this.count(account, address, tenantId, this.maxAttempts);
    await this.count(ANY_ACCOUNT, address, null, this.maxAttempts * 10);
  }

  /** A right password clears that address's count for the account (not its count over all accounts). */
  async succeed(account: string, address: string): Promise<void> {
    await this.store.db.deleteFrom('login_throttles').where('account', '=', account).where('address', '=', address).execute();
  }

  /** Locks (and counts near one) on the tenant's accounts. */
  async list(tenantId: string): Promise<LoginLock[]> {
    const rows = await this.store.db
      .selectFrom('login_throttles')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('last_failure_at', '>', this.now() - WINDOW_MS), eb('blocked_until', '>', this.now())]))
      .orderBy('last_failure_at', 'desc')
      .limit(500)
      .execute();
    return rows.map((r) => ({ email: r.account, address: r.address, failures: r.failures, lastFailureAt: Number(r.last_failure_at), blockedUntil: Number(r.blocked_until) }));
  }

  /** Clears the tenant's locks on an account (from one address, or all); the number cleared. */
  async clear(tenantId: string, account: string, address?: string): Promise<number> {
    let q = this.store.db.deleteFrom('login_throttles').where('tenant_id', '=', tenantId).where('account', '=', account);
    if (address) q = q.where('address', '=', address);
    return Number((await q.executeTakeFirst()).numDeletedRows);
  }

  private async count(account: string, address: string, tenantId: string | null, free: number): Promise<void> {
    const now = this.now();
    const db = this.store.db;
    const row = await db.selectFrom('login_throttles').selectAll().where('account', '=', account).where('address', '=', address).executeTakeFirst();
    // Forgiven after a quiet window counted from the later of the last failure and the block's end.
    const failures = row && Math.max(Number(row.last_failure_at), Number(row.blocked_until)) > now - WINDOW_MS ? row.failures + 1 : 1;
    const blockedUntil = failures >= free ? now + Math.min(MAX_BLOCK_MS, FIRST_BLOCK_MS * 2 ** (failures - free)) : 0;
    const values = { account, address, tenant_id: tenantId, failures, last_failure_at: now, blocked_until: blockedUntil };
    // Upsert: two processes counting the same pair at once may lose one count, which a brake can afford.
    await db
      .insertInto('login_throttles')
      .values(values)
      .onConflict((oc) => oc.columns(['account', 'address']).doUpdateSet({ failures, last_failure_at: now, blocked_until: blockedUntil, tenant_id: tenantId }))
      .execute();
  }
}
