import type { SrtpPolicy } from '@callsight/protocol';
import { newId } from '../core/ids.js';
import type { SecretBox } from '../core/secret-box.js';
import type { Store } from '../store/store.js';
import type { TrunksTable } from './telephony-tables.js';

export type Trunk = { id: string; tenantId: string; name: string; address: string; username: string | null; register: boolean; srtp: SrtpPolicy; createdAt: number };

const toTrunk = (r: TrunksTable): Trunk => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  address: r.address,
  username: r.username,
  register: r.register === 1,
  srtp: r.srtp as SrtpPolicy,
  createdAt: Number(r.created_at),
});

/** SIP trunks to carriers: where numbers that are not ours are sent, with our credentials there. */
export class TrunkRepo {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
  ) {}

  async create(input: { tenantId: string; name: string; address: string; username?: string; password?: string; register?: boolean; srtp?: SrtpPolicy }): Promise<Trunk> {
    const id = newId('trk');
    const row: TrunksTable = {
      id,
      tenant_id: input.tenantId,
      name: input.name,
      address: input.address,
      username: input.username ?? null,
      password_sealed: input.password ? this.box.seal(input.password, id) : null,
      register: input.register ? 1 : 0,
      srtp: input.srtp ?? 'optional',
      created_at: Date.now(),
    };
    await this.store.db.insertInto('trunks').values(row).execute();
    return toTrunk(row);
  }

  async list(tenantId: string): Promise<Trunk[]> {
    return (await this.store.db.selectFrom('trunks').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute()).map(toTrunk);
  }

  async all(): Promise<(Trunk & { credentials?: { username: string; password: string } })[]> {
    const rows = await this.store.db.selectFrom('trunks').selectAll().execute();
    return rows.map((r) => ({ ...toTrunk(r), credentials: this.credentialsOf(r) }));
  }

  /** Every trunk's address and tenant, without opening credentials: which sources are carriers (inbound trust). */
  async addresses(): Promise<{ tenantId: string; address: string; srtp: SrtpPolicy }[]> {
    return (await this.store.db.selectFrom('trunks').select(['tenant_id', 'address', 'srtp']).execute()).map((r) => ({ tenantId: r.tenant_id, address: r.address, srtp: r.srtp as SrtpPolicy }));
  }

  /** The tenant's trunk for outbound numbers (the first one: one trunk per tenant is the common case). */
  async forTenant(tenantId: string): Promise<(Trunk & { credentials?: { username: string; password: string } }) | undefined> {
    const r = await this.store.db.selectFrom('trunks').selectAll().where('tenant_id', '=', tenantId).orderBy('id').executeTakeFirst();
    return r && { ...toTrunk(r), credentials: this.credentialsOf(r) };
  }

  /**
   * Changes a trunk; `username: null` or `password: null` clears the credential.
   * Refused (undefined `trunk`, `registerWithoutCredentials`) when registration would be left without both.
   */
  async update(
    tenantId: string,
    id: string,
    change: { name?: string; address?: string; username?: string | null; password?: string | null; register?: boolean; srtp?: SrtpPolicy },
  ): Promise<{ trunk?: Trunk; registerWithoutCredentials?: true }> {
    const r = await this.store.db.selectFrom('trunks').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!r) return {};
    const next: TrunksTable = {
      ...r,
      name: change.name ?? r.name,
      address: change.address ?? r.address,
      username: change.username === undefined ? r.username : change.username,
      password_sealed: change.password === undefined ? r.password_sealed : change.password === null ? null : this.box.seal(change.password, id),
      register: change.register === undefined ? r.register : change.register ? 1 : 0,
      srtp: change.srtp ?? r.srtp,
    };
    if (next.register === 1 && !(next.username && next.password_sealed)) return { registerWithoutCredentials: true };
    const { id: _id, tenant_id: _t, created_at: _c, ...set } = next;
    await this.store.db.updateTable('trunks').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    return { trunk: toTrunk(next) };
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const used = await this.store.db.selectFrom('numbers').select('id').where('trunk_id', '=', id).executeTakeFirst();
    if (used) return false;
    const res = await this.store.db.deleteFrom('trunks').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  private credentialsOf(r: TrunksTable) {
    return r.username && r.password_sealed ? { username: r.username, password: this.box.open(r.password_sealed, r.id) } : undefined;
  }
}
