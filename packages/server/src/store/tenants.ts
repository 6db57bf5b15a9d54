import { newId } from '../core/ids.js';
import type { Store } from './store.js';
import type { TenantsTable } from './schema.js';

export type Tenant = { id: string; name: string; slug: string; createdAt: number };

const toTenant = (r: TenantsTable): Tenant => ({ id: r.id, name: r.name, slug: r.slug, createdAt: Number(r.created_at) });

export class TenantRepo {
  constructor(private readonly store: Store) {}

  async create(input: { name: string; slug: string }): Promise<Tenant> {
    const row = { id: newId('ten'), name: input.name, slug: input.slug, created_at: Date.now() };
    await this.store.db.insertInto('tenants').values(row).execute();
    return toTenant(row);
  }

  async get(id: string): Promise<Tenant | undefined> {
    const r = await this.store.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toTenant(r);
  }

  async bySlug(slug: string): Promise<Tenant | undefined> {
    const r = await this.store.db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
    return r && toTenant(r);
  }

  async list(): Promise<Tenant[]> {
    return (await this.store.db.selectFrom('tenants').selectAll().orderBy('id').execute()).map(toTenant);
  }
}
