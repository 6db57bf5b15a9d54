import { randomToken, sha256 } from '../core/secrets.js';
import type { Store } from '../store/store.js';
import { toUser, type User } from '../store/users.js';

export const SESSION_COOKIE = 'cs_session';

/**
 * Names a session on the bus and on live sockets without being a key to it: a hash of
 * the stored id (itself a hash of the token), so neither can be recovered from it.
 */
export const sessionRef = (token: string) => sha256(`session-ref:${sha256(token)}`).slice(0, 32);

/** Cookie sessions for the web apps. Only the token's hash is stored. */
export class SessionRepo {
  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
  ) {}

  async create(user: User): Promise<{ token: string; expiresAt: number }> {
    const token = randomToken();
    const now = Date.now();
    const expiresAt = now + this.ttlMs;
    await this.store.db
      .insertInto('sessions')
      .values({ id: sha256(token), user_id: user.id, tenant_id: user.tenantId, created_at: now, expires_at: expiresAt })
      .execute();
    return { token, expiresAt };
  }

  async resolve(token: string): Promise<User | undefined> {
    const row = await this.store.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .where('sessions.id', '=', sha256(token))
      .where('sessions.expires_at', '>', Date.now())
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async destroy(token: string): Promise<void> {
    await this.store.db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
  }

  /** Ends every session of a user (disabled, or their password changed). */
  async destroyForUser(tenantId: string, userId: string): Promise<void> {
    await this.store.db.deleteFrom('sessions').where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
  }

  async purgeExpired(): Promise<void> {
    await this.store.db.deleteFrom('sessions').where('expires_at', '<=', Date.now()).execute();
  }
}
