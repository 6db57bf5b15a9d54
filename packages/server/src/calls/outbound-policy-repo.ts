import type { Store } from '../store/store.js';
import { DEFAULT_OUTBOUND_POLICY, outboundPolicySchema, type OutboundPolicy } from './outbound-policy.js';

export interface OutboundPoliciesTable {
  tenant_id: string;
  /** The policy as JSON (validated by `outboundPolicySchema` when written). */
  policy: string;
  updated_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    outbound_policies: OutboundPoliciesTable;
  }
}

/**
 * Each tenant's outbound-calling policy; a tenant that never set one has the
 * default (customers internal only). Read from the store on every dial, so an
 * edit in any process applies at once everywhere.
 */
export class OutboundPolicyRepo {
  constructor(private readonly store: Store) {}

  async get(tenantId: string): Promise<OutboundPolicy> {
    const row = await this.store.db.selectFrom('outbound_policies').select('policy').where('tenant_id', '=', tenantId).executeTakeFirst();
    if (!row) return DEFAULT_OUTBOUND_POLICY;
    // Fields added after a policy was saved take their defaults.
    const parsed = outboundPolicySchema.safeParse({ ...DEFAULT_OUTBOUND_POLICY, ...JSON.parse(row.policy) });
    return parsed.success ? parsed.data : DEFAULT_OUTBOUND_POLICY;
  }

  async put(tenantId: string, policy: OutboundPolicy): Promise<OutboundPolicy> {
    const value = { tenant_id: tenantId, policy: JSON.stringify(policy), updated_at: Date.now() };
    await this.store.db
      .insertInto('outbound_policies')
      .values(value)
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ policy: value.policy, updated_at: value.updated_at }))
      .execute();
    return policy;
  }
}
