import { newId } from '../../core/ids.js';
import { fromJson, toJson, type Store } from '../../store/store.js';
import type { FlowsTable } from '../telephony-tables.js';
import type { Verb } from './flow-schema.js';

export type Flow = { id: string; tenantId: string; name: string; verbs: Verb[]; createdAt: number; updatedAt: number };

const toFlow = (r: FlowsTable): Flow => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  verbs: fromJson<Verb[]>(r.verbs),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export class FlowRepo {
  constructor(private readonly store: Store) {}

  async create(tenantId: string, name: string, verbs: Verb[]): Promise<Flow> {
    const now = Date.now();
    const row: FlowsTable = { id: newId('flw'), tenant_id: tenantId, name, verbs: toJson(verbs), created_at: now, updated_at: now };
    await this.store.db.insertInto('flows').values(row).execute();
    return toFlow(row);
  }

  async get(tenantId: string, idOrName: string): Promise<Flow | undefined> {
    const r = await this.store.db
      .selectFrom('flows')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
      .executeTakeFirst();
    return r && toFlow(r);
  }

  async list(tenantId: string): Promise<Flow[]> {
    return (await this.store.db.selectFrom('flows').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute()).map(toFlow);
  }

  async update(tenantId: string, id: string, patch: { name?: string; verbs?: Verb[] }): Promise<Flow | undefined> {
    await this.store.db
      .updateTable('flows')
      .set({
        ...(patch.name ? { name: patch.name } : {}),
        ...(patch.verbs ? { verbs: toJson(patch.verbs) } : {}),
        updated_at: Date.now(),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
    return this.get(tenantId, id);
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const used = await this.store.db.selectFrom('numbers').select('id').where('flow_id', '=', id).executeTakeFirst();
    if (used) return false;
    const res = await this.store.db.deleteFrom('flows').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
