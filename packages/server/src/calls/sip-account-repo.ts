import type { SrtpPolicy } from '@callsight/protocol';
import { newId } from '../core/ids.js';
import type { SecretBox } from '../core/secret-box.js';
import type { Store } from '../store/store.js';
import type { SipAccountsTable } from './telephony-tables.js';

export type SipAccount = { id: string; tenantId: string; username: string; userId: string | null; srtp: SrtpPolicy; createdAt: number };

const toAccount = (r: SipAccountsTable): SipAccount => ({ id: r.id, tenantId: r.tenant_id, username: r.username, userId: r.user_id, srtp: r.srtp as SrtpPolicy, createdAt: Number(r.created_at) });

/**
 * SIP credentials of phones registering to callsight. Digest needs the password (or
 * its HA1 per realm and algorithm) in usable form, so it is sealed, not hashed.
 */
export class SipAccountRepo {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
  ) {}

  async create(input: { tenantId: string; username: string; password: string; userId?: string | null; srtp?: SrtpPolicy }): Promise<SipAccount> {
    const id = newId('sip');
    const row: SipAccountsTable = {
      id,
      tenant_id: input.tenantId,
      username: input.username,
      password_sealed: this.box.seal(input.password, id),
      user_id: input.userId ?? null,
      srtp: input.srtp ?? 'optional',
      created_at: Date.now(),
    };
    await this.store.db.insertInto('sip_accounts').values(row).execute();
    return toAccount(row);
  }

  /** Usernames are unique across tenants: the username tells which tenant registers. */
  async credentials(username: string): Promise<(SipAccount & { password: string }) | undefined> {
    const r = await this.store.db.selectFrom('sip_accounts').selectAll().where('username', '=', username).executeTakeFirst();
    if (!r) return undefined;
    return { ...toAccount(r), password: this.box.open(r.password_sealed, r.id) };
  }

  async byUser(tenantId: string, userId: string): Promise<SipAccount[]> {
    const rows = await this.store.db.selectFrom('sip_accounts').selectAll().where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
    return rows.map(toAccount);
  }

  async list(tenantId: string): Promise<SipAccount[]> {
    const rows = await this.store.db.selectFrom('sip_accounts').selectAll().where('tenant_id', '=', tenantId).orderBy('username').execute();
    return rows.map(toAccount);
  }

  /** A new password and/or the user it rings; returns the account, or undefined when it is not this tenant's. */
  async update(tenantId: string, id: string, input: { password?: string; userId?: string | null; srtp?: SrtpPolicy }): Promise<SipAccount | undefined> {
    const set: { password_sealed?: string; user_id?: string | null; srtp?: SrtpPolicy } = {};
    if (input.srtp !== undefined) set.srtp = input.srtp;
    if (input.password !== undefined) set.password_sealed = this.box.seal(input.password, id);
    if (input.userId !== undefined) set.user_id = input.userId;
    if (Object.keys(set).length) await this.store.db.updateTable('sip_accounts').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    const r = await this.store.db.selectFrom('sip_accounts').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return r && toAccount(r);
  }

  /** Removes the account; returns its username (to drop its registrations), or undefined when it is not this tenant's. */
  async remove(tenantId: string, id: string): Promise<string | undefined> {
    const r = await this.store.db.selectFrom('sip_accounts').select('username').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    await this.store.db.deleteFrom('sip_accounts').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    return r.username;
  }
}
