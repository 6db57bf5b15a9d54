import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { SecretBox } from '../core/secret-box.js';
import { newId } from '../core/ids.js';
import type { Store } from '../store/store.js';

export interface AppSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Served at GET /api/branding/app-key; the phone app verifies call metadata with it. */
  publicJwk: JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' };
}

/**
 * One ES256 key per tenant that signs what callsight tells its own app (call
 * metadata, call links). Separate from STI certificates: those speak for a
 * calling number to the world, this one speaks for callsight to its users.
 */
export class AppSigningKeys {
  private readonly cache = new Map<string, Promise<AppSigningKey>>();

  constructor(
    private readonly store: Store,
    private readonly secretBox: SecretBox,
  ) {}

  forTenant(tenantId: string): Promise<AppSigningKey> {
    let key = this.cache.get(tenantId);
    if (!key) {
      key = this.loadOrCreate(tenantId);
      this.cache.set(tenantId, key);
      key.catch(() => this.cache.delete(tenantId));
    }
    return key;
  }

  private async loadOrCreate(tenantId: string): Promise<AppSigningKey> {
    const load = () => this.store.db.selectFrom('branding_app_keys').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
    let row = await load();
    if (!row) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const kid = newId('akey');
      const jwk = { ...createPublicKey(privateKey).export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      await this.store.db
        .insertInto('branding_app_keys')
        .values({ tenant_id: tenantId, kid, sealed_private_key: this.secretBox.seal(pem, `app-key:${tenantId}`), public_jwk: JSON.stringify(jwk), created_at: Date.now() })
        .onConflict((oc) => oc.column('tenant_id').doNothing())
        .execute();
      row = await load();
      if (!row) throw new Error('app key vanished after insert');
    }
    const privateKey = createPrivateKey(this.secretBox.open(row.sealed_private_key, `app-key:${tenantId}`));
    return { kid: row.kid, privateKey, publicKey: createPublicKey(privateKey), publicJwk: JSON.parse(row.public_jwk) as AppSigningKey['publicJwk'] };
  }
}
