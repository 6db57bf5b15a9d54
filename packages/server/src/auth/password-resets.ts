import { randomToken, sha256 } from '../core/secrets.js';
import type { Store } from '../store/store.js';
import { toUser, type User } from '../store/users.js';

export type ResetChannel = 'admin' | 'sms';

export interface PasswordResetsTable {
  /** SHA-256 of the link's token, as for sessions: the table holds nothing a link can be rebuilt from. */
  id: string;
  tenant_id: string;
  user_id: string;
  /** Who started it: an admin handing a link over, or the user asking for a text. */
  channel: ResetChannel;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

declare module '../store/schema.js' {
  interface Database {
    password_resets: PasswordResetsTable;
  }
}

/** A link is good for an hour and once: long enough to find the message, short enough to be worth little when leaked. */
export const RESET_TTL_MS = 60 * 60_000;
/** Self-service requests for one account are spaced, so the form cannot be used to flood someone's phone. */
export const RESET_REQUEST_SPACING_MS = 60_000;

/** One-time password-reset links, issued by an admin or requested by the user. */
export class PasswordResets {
  constructor(private readonly store: Store) {}

  /** A fresh link token for `user`; earlier unused links of theirs stop working. */
  async issue(user: User, channel: ResetChannel, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
    const token = randomToken();
    const expiresAt = now + RESET_TTL_MS;
    await this.store.db.transaction().execute(async (tx) => {
      await tx.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', user.id).where('used_at', 'is', null).execute();
      await tx
        .insertInto('password_resets')
        .values({ id: sha256(token), tenant_id: user.tenantId, user_id: user.id, channel, created_at: now, expires_at: expiresAt, used_at: null })
        .execute();
    });
    return { token, expiresAt };
  }

  /** When a link was last texted to the user (for spacing requests). */
  async lastTextedAt(userId: string): Promise<number | undefined> {
    const row = await this.store.db
      .selectFrom('password_resets')
      .select('created_at')
      .where('user_id', '=', userId)
      .where('channel', '=', 'sms')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && Number(row.created_at);
  }

  /**
   * Spends the link: returns its (active) user, or undefined when the token is unknown,
   * used or expired. The update is the claim, so two tabs racing with one link get one win.
   */
  async redeem(token: string, now = Date.now()): Promise<User | undefined> {
    const id = sha256(token);
    const claimed = await this.store.db
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return undefined;
    const row = await this.store.db
      .selectFrom('password_resets')
      .innerJoin('users', 'users.id', 'password_resets.user_id')
      .selectAll('users')
      .where('password_resets.id', '=', id)
      .where('users.disabled_at', 'is', null)
      .where('users.removed_at', 'is', null)
      .executeTakeFirst();
    return row && toUser(row);
  }
}
