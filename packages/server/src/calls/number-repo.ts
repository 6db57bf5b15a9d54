import { newId } from '../core/ids.js';
import type { Store } from '../store/store.js';
import type { NumbersTable } from './telephony-tables.js';

export type PhoneNumber = {
  id: string;
  tenantId: string;
  number: string;
  flowId: string | null;
  userId: string | null;
  trunkId: string | null;
  createdAt: number;
};

const toNumber = (r: NumbersTable): PhoneNumber => ({
  id: r.id,
  tenantId: r.tenant_id,
  number: r.number,
  flowId: r.flow_id,
  userId: r.user_id,
  trunkId: r.trunk_id,
  createdAt: Number(r.created_at),
});

/** Numbers (DIDs, extensions, SIP user names) and where calls to them go: a flow or a user. */
export class NumberRepo {
  constructor(private readonly store: Store) {}

  async create(input: { tenantId: string; number: string; flowId?: string | null; userId?: string | null; trunkId?: string | null }) {
    const row: NumbersTable = {
      id: newId('num'),
      tenant_id: input.tenantId,
      number: input.number,
      flow_id: input.flowId ?? null,
      user_id: input.userId ?? null,
      trunk_id: input.trunkId ?? null,
      created_at: Date.now(),
    };
    await this.store.db.insertInto('numbers').values(row).execute();
    return toNumber(row);
  }

  /** Inbound routing: numbers are unique across tenants, so the dialled number names the tenant. */
  async lookup(number: string): Promise<PhoneNumber | undefined> {
    const r = await this.store.db.selectFrom('numbers').selectAll().where('number', '=', number).executeTakeFirst();
    return r && toNumber(r);
  }

  async get(tenantId: string, id: string): Promise<PhoneNumber | undefined> {
    const r = await this.store.db.selectFrom('numbers').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return r && toNumber(r);
  }

  async list(tenantId: string): Promise<PhoneNumber[]> {
    return (await this.store.db.selectFrom('numbers').selectAll().where('tenant_id', '=', tenantId).orderBy('number').execute()).map(toNumber);
  }

  async update(tenantId: string, id: string, patch: { flowId?: string | null; userId?: string | null; trunkId?: string | null }) {
    const set: Partial<NumbersTable> = {};
    if (patch.flowId !== undefined) set.flow_id = patch.flowId;
    if (patch.userId !== undefined) set.user_id = patch.userId;
    if (patch.trunkId !== undefined) set.trunk_id = patch.trunkId;
    if (Object.keys(set).length) await this.store.db.updateTable('numbers').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    return this.get(tenantId, id);
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const res = await this.store.db.deleteFrom('numbers').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
