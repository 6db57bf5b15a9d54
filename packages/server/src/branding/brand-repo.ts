import { createHash } from 'node:crypto';
import { newId } from '../core/ids.js';
import { fromJson, toJson, type Store } from '../store/store.js';
import type { BrandingBrandsTable, ContentKind } from './branding-tables.js';

export interface Brand {
  id: string;
  tenantId: string;
  name: string;
  /** Callsight serves the logo itself (also one given by URL: copied once), so its URL and rcdi digest stay stable. */
  logo: { mime: string; bytes: Buffer; version: string } | null;
  /** Where a copied logo came from, for the admin's reference. */
  logoSourceUrl: string | null;
  reasons: string[];
  numbers: string[];
  content: { kind: ContentKind; title: string };
  createdAt: number;
  updatedAt: number;
}

export interface BrandInput {
  name: string;
  logo?: { mime: string; bytes: Buffer; sourceUrl?: string } | null;
  reasons: string[];
  numbers: string[];
  content: { kind: ContentKind; title: string };
}

/** A content-derived version: the logo URL changes whenever the bytes do, so its rcdi digest never goes stale in caches. */
export const contentVersion = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64url').slice(0, 16);

const toBrand = (r: BrandingBrandsTable): Brand => {
  const bytes = r.logo_data ? Buffer.from(r.logo_data, 'base64') : null;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    logo: bytes && r.logo_mime ? { mime: r.logo_mime, bytes, version: contentVersion(bytes) } : null,
    logoSourceUrl: r.logo_url,
    reasons: fromJson<string[]>(r.reasons),
    numbers: fromJson<string[]>(r.numbers),
    content: { kind: r.content_kind, title: r.content_title },
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
};

function logoColumns(logo: BrandInput['logo']) {
  if (!logo) return { logo_mime: null, logo_data: null, logo_url: null };
  return { logo_mime: logo.mime, logo_data: logo.bytes.toString('base64'), logo_url: logo.sourceUrl ?? null };
}

/** A tenant's brands: the names, logos, reasons and numbers it calls with. Deleted brands stay for old certificates' audit. */
export class BrandRepo {
  constructor(private readonly store: Store) {}

  async create(tenantId: string, input: BrandInput): Promise<Brand> {
    const now = Date.now();
    const row: BrandingBrandsTable = {
      id: newId('brd'),
      tenant_id: tenantId,
      name: input.name,
      ...logoColumns(input.logo),
      reasons: toJson(input.reasons),
      numbers: toJson(input.numbers),
      content_kind: input.content.kind,
      content_title: input.content.title,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    await this.store.db.insertInto('branding_brands').values(row).execute();
    return toBrand(row);
  }

  async update(tenantId: string, id: string, input: Partial<BrandInput>): Promise<Brand | undefined> {
    const set: Partial<BrandingBrandsTable> = { updated_at: Date.now() };
    if (input.name !== undefined) set.name = input.name;
    if (input.logo !== undefined) Object.assign(set, logoColumns(input.logo));
    if (input.reasons !== undefined) set.reasons = toJson(input.reasons);
    if (input.numbers !== undefined) set.numbers = toJson(input.numbers);
    if (input.content !== undefined) Object.assign(set, { content_kind: input.content.kind, content_title: input.content.title });
    const res = await this.store.db
      .updateTable('branding_brands')
      .set(set)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return res.numUpdatedRows > 0n ? this.get(tenantId, id) : undefined;
  }

  async get(tenantId: string, id: string): Promise<Brand | undefined> {
    const r = await this.store.db
      .selectFrom('branding_brands')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return r && toBrand(r);
  }

  /** Public asset routes know only the brand id. */
  async getAnyTenant(id: string): Promise<Brand | undefined> {
    const r = await this.store.db.selectFrom('branding_brands').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    return r && toBrand(r);
  }

  async list(tenantId: string): Promise<Brand[]> {
    const rows = await this.store.db
      .selectFrom('branding_brands')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .execute();
    return rows.map(toBrand);
  }

  /** The brand authorized to call from `tn` (numbers are unique per tenant, enforced on write). */
  async findByNumber(tenantId: string, tn: string): Promise<Brand | undefined> {
    return (await this.list(tenantId)).find((b) => b.numbers.includes(tn));
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const res = await this.store.db
      .updateTable('branding_brands')
      .set({ deleted_at: Date.now() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }
}
