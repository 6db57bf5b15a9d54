import { fromJson, toJson, type Store } from '../store/store.js';
import { DEFAULT_BRANDING_POLICY, type BrandingPolicy } from './branding-policy.js';

/** Each tenant's branding policy; a tenant that never set one has the default (brands on A only, names marked). */
export class BrandingPolicyRepo {
  constructor(private readonly store: Store) {}

  async get(tenantId: string): Promise<BrandingPolicy> {
    const r = await this.store.db.selectFrom('branding_policies').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
    if (!r) return { ...DEFAULT_BRANDING_POLICY, brandAttestations: [...DEFAULT_BRANDING_POLICY.brandAttestations] };
    return { brandAttestations: fromJson(r.brand_attestations), unverifiedNames: Number(r.unverified_names) === 1 };
  }

  async set(tenantId: string, policy: BrandingPolicy): Promise<BrandingPolicy> {
    const row = { tenant_id: tenantId, brand_attestations: toJson([...new Set(policy.brandAttestations)].sort()), unverified_names: policy.unverifiedNames ? 1 : 0, updated_at: Date.now() };
    await this.store.db
      .insertInto('branding_policies')
      .values(row)
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ brand_attestations: row.brand_attestations, unverified_names: row.unverified_names, updated_at: row.updated_at }))
      .execute();
    return this.get(tenantId);
  }
}
