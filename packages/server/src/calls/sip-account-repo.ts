import { newId } from '../core/ids.js';
import type { SecretBox } from '../core/secret-box.js';
import type { Store } from '../store/store.js';

export type SipAccount = { id: string; tenantId: string; username: string; userId: string | null; createdAt: number };

/**
 * SIP credentials of phones registering to callsight. Digest needs the password (or
 * its HA1 per realm and algorithm) in usable form, so it is sealed, not hashed.
 */
export class SipAccountRepo {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
  ) {}

  async create(input: { tenantId: string; username: string; password: string; userId?: string | null }): Promise<SipAccount> {
    const id = newId('sip');
    const row = {
      id,
      tenant_id: input.tenantId,
      username: input.username,
      password_sealed: this.box.seal(input.password, id),
      user_id: input.userId ?? null,
      created_at: Date.now(),
    };
    await this.store.db.insertInto('sip_accounts').values(row).execute();
    return { id, tenantId: row.tenant_id, username: row.username, userId: row.user_id, createdAt: row.created_at };
  }

  /** Usernames are unique across tenants: the username tells which tenant registers. */
  async credentials(username: string): Promise<(SipAccount & { password: string }) | undefined> {
    const r = await this.store.db.selectFrom('sip_accounts').selectAll().where('username', '=', username).executeTakeFirst();
    if (!r) return undefined;
    return {
      id: r.id,
      tenantId: r.tenant_id,
      username: r.username,
      userId: r.user_id,
      createdAt: Number(r.created_at),
      password: this.box.open(r.password_sealed, r.id),
    };
  }

  async byUser(tenantId: string, userId: string): Promise<SipAccount[]> {
    const rows = await this.store.db.selectFrom('sip_accounts').selectAll().where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, username: r.username, userId: r.user_id, createdAt: Number(r.created_at) }));
  }

  async list(tenantId: string): Promise<SipAccount[]> {
    const rows = await this.store.db.selectFrom('sip_accounts').selectAll().where('tenant_id', '=', tenantId).orderBy('username').execute();
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, username: r.username, userId: r.user_id, createdAt: Number(r.created_at) }));
  }
}
