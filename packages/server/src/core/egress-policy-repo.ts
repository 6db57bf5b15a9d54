import type { Store } from '../store/store.js';

export interface EgressPoliciesTable {
  tenant_id: string;
  /** JSON array of CIDRs the tenant's admin lets its webhooks and flows reach despite being internal. */
  allow: string;
  updated_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    egress_policies: EgressPoliciesTable;
  }
}

/** Each tenant's egress allow-list (empty unless its admin set one). */
export class EgressPolicyRepo {
  constructor(private readonly store: Store) {}

  async allow(tenantId: string): Promise<string[]> {
    const row = await this.store.db.selectFrom('egress_policies').select('allow').where('tenant_id', '=', tenantId).executeTakeFirst();
    return row ? (JSON.parse(row.allow) as string[]) : [];
  }

  async setAllow(tenantId: string, allow: string[]): Promise<void> {
    const value = { tenant_id: tenantId, allow: JSON.stringify(allow), updated_at: Date.now() };
    await this.store.db
      .insertInto('egress_policies')
      .values(value)
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ allow: value.allow, updated_at: value.updated_at }))
      .execute();
  }
}
