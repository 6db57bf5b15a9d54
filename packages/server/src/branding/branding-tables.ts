/** Row types of migration 0004-branding, merged into the store's Database. */
export interface BrandingBrandsTable {
  id: string;
  tenant_id: string;
  name: string;
  logo_mime: string | null;
  /** Logo bytes, base64 (served by callsight so its digest is stable). */
  logo_data: string | null;
  /** The URL a logo was copied from, when it was given by URL. */
  logo_url: string | null;
  /** JSON string[]. */
  reasons: string;
  /** JSON string[] of canonical TNs the brand may call from. */
  numbers: string;
  content_kind: ContentKind;
  content_title: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export type ContentKind = 'order' | 'appointment' | 'message';

export interface BrandingCertsTable {
  id: string;
  /** Null for the CA's own root and intermediate. */
  tenant_id: string | null;
  brand_id: string | null;
  kind: 'root' | 'intermediate' | 'delegate';
  subject: string;
  /** The certificate then its issuers up to (not including) the root: what x5u serves. */
  chain_pem: string;
  sealed_key: string;
  /** JSON TnEntry[] for delegate certificates. */
  tn_auth: string | null;
  not_before: number;
  not_after: number;
  created_at: number;
}

export interface BrandingAppKeysTable {
  tenant_id: string;
  kid: string;
  sealed_private_key: string;
  public_jwk: string;
  created_at: number;
}

export interface BrandingPoliciesTable {
  tenant_id: string;
  /** JSON Attestation[]: SHAKEN attestations whose calls may show a brand. */
  brand_attestations: string;
  /** 1: an unverified call's carrier display name (CNAM) reaches phones, marked unverified. */
  unverified_names: number;
  updated_at: number;
}

declare module '../store/schema.js' {
  interface Database {
    branding_policies: BrandingPoliciesTable;
    branding_brands: BrandingBrandsTable;
    branding_certs: BrandingCertsTable;
    branding_app_keys: BrandingAppKeysTable;
  }
}
