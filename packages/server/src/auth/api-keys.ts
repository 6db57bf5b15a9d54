import { newId } from '../core/ids.js';
import { randomToken, safeEqual, sha256 } from '../core/secrets.js';
import type { ApiKeysTable, Role } from '../store/schema.js';
import type { Store } from '../store/store.js';

export type ApiKey = {
  id: string;
  tenantId: string;
  name: string;
  role: Role;
  createdAt: number;
  lastUsedAt: number | null;
  revoked: boolean;
  /** First characters of the key, so a person can tell keys apart without the secret. */
  prefix: string;
};

const toApiKey = (r: ApiKeysTable): ApiKey => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  role: r.role,
  createdAt: Number(r.created_at),
  lastUsedAt: r.last_used_at == null ? null : Number(r.last_used_at),
  revoked: r.revoked_at != null,
  prefix: `csk_${r.id.slice(4, 12)}`,
});

const RECENT_TTL_MS = 5_000;
const RECENT_MAX = 10_000;

/**
 * Key format `csk_<key id>_<secret>`: the id finds the row in one indexed lookup,
 * the secret is compared by hash in constant time. The full key is returned once.
 */
export class ApiKeyRepo {
  /** Avoid a write per request: last_used_at is refreshed at most once a minute per key. */
  private readonly touched = new Map<string, number>();
  /**
   * Keys verified in the last few seconds, so an API request costs no query.
   * Revoking drops the entry here and, through `apikey.revoked`, in every other
   * process (see `forget`); the TTL bounds staleness should that event be lost.
   */
  private readonly recent = new Map<string, { row: ApiKeysTable; until: number }>();

  constructor(private readonly store: Store) {}

  async create(input: { tenantId: string; name: string; role: Role; createdBy: string | null }) {
    const id = newId('key');
    const secret = randomToken(24);
    const row: ApiKeysTable = {
      id,
      tenant_id: input.tenantId,
      name: input.name,
      role: input.role,
      secret_hash: sha256(secret),
      created_by: input.createdBy,
      created_at: Date.now(),
      last_used_at: null,
      revoked_at: null,
    };
    await this.store.db.insertInto('api_keys').values(row).execute();
    return { apiKey: toApiKey(row), key: `csk_${id.slice(4)}_${secret}` };
  }

  async verify(key: string): Promise<ApiKey | undefined> {
    const m = /^csk_([0-9a-z]{26})_([A-Za-z0-9_-]{20,64})$/.exec(key);
    if (!m) return undefined;
    const id = `key_${m[1]}`;
    const now = Date.now();
    const cached = this.recent.get(id);
    let row = cached && cached.until > now ? cached.row : undefined;
    if (!row) {
      row = await this.store.db.selectFrom('api_keys').selectAll().where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      if (!row) return undefined;
      if (this.recent.size >= RECENT_MAX) this.recent.clear();
      this.recent.set(id, { row, until: now + RECENT_TTL_MS });
    }
    if (!safeEqual(row.secret_hash, sha256(m[2]))) return undefined;
    if ((this.touched.get(row.id) ?? 0) < now - 60_000) {
      this.touched.set(row.id, now);
      await this.store.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
    }
    return toApiKey(row);
  }

  async list(tenantId: string): Promise<ApiKey[]> {
    const rows = await this.store.db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute();
    return rows.map(toApiKey);
  }

  /** Stop trusting a cached key at once (it was revoked, maybe by another process). */
  forget(id: string): void {
    this.recent.delete(id);
  }

  async revoke(tenantId: string, id: string): Promise<boolean> {
    this.forget(id);
    const res = await this.store.db
      .updateTable('api_keys')
      .set({ revoked_at: Date.now() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }
}
