import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { CallsightError } from '../core/errors.js';
import { PRIVATE_FILE } from '../core/private-files.js';

/** A data key wrapped by one version of the key-encryption key. */
export interface WrappedKey {
  version: number;
  wrapped: Buffer;
}

export interface KeyStatus {
  currentVersion: number;
  minDecryptionVersion: number;
  versions: number[];
}

/**
 * Where the key-encryption keys live (a local key file, an operator's keyring, a KMS or
 * a Vault transit engine): data keys go in to be wrapped and come out unwrapped, the
 * KEKs never leave. Versioned like Vault transit: `rotate` adds a version that wraps from
 * then on, `rewrap` moves a wrapped key to the current version (a KMS does it inside),
 * and versions below `minDecryptionVersion` no longer unwrap.
 */
export interface KeyProvider {
  readonly name: string;
  wrap(dataKey: Buffer, aad: Buffer): Promise<WrappedKey>;
  unwrap(key: WrappedKey, aad: Buffer): Promise<Buffer>;
  rewrap(key: WrappedKey, aad: Buffer): Promise<WrappedKey>;
  rotate(): Promise<number>;
  setMinDecryptionVersion(version: number): Promise<void>;
  status(): Promise<KeyStatus>;
  /** The key of the keyed hash (HMAC-SHA-256) used to find duplicates; never a KEK. */
  hashKey(): Promise<Buffer>;
}

const retired = (v: number, min: number) => new CallsightError('vault_key_retired', `key version ${v} is below the minimum decryption version ${min}`, { status: 409 });

/** AES-256-GCM of a data key under a KEK: iv (12) | tag (16) | ciphertext. */
function gcmWrap(kek: Buffer, dataKey: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, iv);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(dataKey), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]);
}

function gcmUnwrap(kek: Buffer, wrapped: Buffer, aad: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, 12));
  d.setAAD(aad);
  d.setAuthTag(wrapped.subarray(12, 28));
  return Buffer.concat([d.update(wrapped.subarray(28)), d.final()]);
}

/** What both local providers share: a keyring of versions held in memory. */
abstract class KeyringProvider implements KeyProvider {
  abstract readonly name: string;
  protected keys = new Map<number, Buffer>();
  protected current = 1;
  protected minVersion = 1;
  protected hmac: Buffer = Buffer.alloc(32);

  private kek(version: number): Buffer {
    if (version < this.minVersion) throw retired(version, this.minVersion);
    const k = this.keys.get(version) ?? this.reload(version);
    if (!k) throw new CallsightError('vault_key_unavailable', `key version ${version} is unknown`, { status: 503 });
    return k;
  }

  /** A version another process added (shared key file); undefined if still unknown. */
  protected reload(_version: number): Buffer | undefined {
    return undefined;
  }

  async wrap(dataKey: Buffer, aad: Buffer): Promise<WrappedKey> {
    return { version: this.current, wrapped: gcmWrap(this.kek(this.current), dataKey, aad) };
  }

  async unwrap(key: WrappedKey, aad: Buffer): Promise<Buffer> {
    return gcmUnwrap(this.kek(key.version), key.wrapped, aad);
  }

  async rewrap(key: WrappedKey, aad: Buffer): Promise<WrappedKey> {
    if (key.version === this.current) return key;
    const dataKey = gcmUnwrap(this.kek(key.version), key.wrapped, aad);
    try {
      return { version: this.current, wrapped: gcmWrap(this.kek(this.current), dataKey, aad) };
    } finally {
      dataKey.fill(0);
    }
  }

  abstract rotate(): Promise<number>;

  async setMinDecryptionVersion(version: number): Promise<void> {
    if (!Number.isInteger(version) || version < 1 || version > this.current) {
      throw new CallsightError('vault_min_version_invalid', `the minimum decryption version must be 1..${this.current}`, { status: 409 });
    }
    this.minVersion = version;
    this.persist();
  }

  protected persist(): void {}

  async status(): Promise<KeyStatus> {
    return { currentVersion: this.current, minDecryptionVersion: this.minVersion, versions: [...this.keys.keys()].sort((a, b) => a - b) };
  }

  async hashKey(): Promise<Buffer> {
    return this.hmac;
  }
}

interface KeyFile {
  current: number;
  minDecryptionVersion: number;
  keys: Record<string, string>;
  hmacKey: string;
}

/**
 * The default: KEK versions in a JSON key file (mode 0600) beside the data, made on
 * first start. Rotation writes a new version to it (atomically: a temporary file renamed).
 */
export class LocalKeyFileProvider extends KeyringProvider {
  readonly name = 'local-key-file';

  constructor(private readonly path: string) {
    super();
    if (!existsSync(path)) {
      this.keys.set(1, randomBytes(32));
      this.hmac = randomBytes(32);
      this.persist();
    } else this.load();
  }

  private load(): void {
    const f = JSON.parse(readFileSync(this.path, 'utf8')) as KeyFile;
    this.keys = new Map(Object.entries(f.keys).map(([v, k]) => [Number(v), Buffer.from(k, 'base64')]));
    this.current = f.current;
    this.minVersion = f.minDecryptionVersion;
    this.hmac = Buffer.from(f.hmacKey, 'base64');
  }

  protected override reload(version: number): Buffer | undefined {
    if (existsSync(this.path)) this.load();
    return this.keys.get(version);
  }

  protected override persist(): void {
    const f: KeyFile = {
      current: this.current,
      minDecryptionVersion: this.minVersion,
      keys: Object.fromEntries([...this.keys].map(([v, k]) => [String(v), k.toString('base64')])),
      hmacKey: this.hmac.toString('base64'),
    };
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(f), { mode: PRIVATE_FILE });
    renameSync(tmp, this.path);
  }

  async rotate(): Promise<number> {
    if (existsSync(this.path)) this.load();
    const next = Math.max(...this.keys.keys()) + 1;
    this.keys.set(next, randomBytes(32));
    this.current = next;
    this.persist();
    return next;
  }
}

/**
 * KEKs an operator hands in (`CALLSIGHT_VAULT_KEYS="1:<base64>,2:<base64>"`, 32 bytes
 * each, plus `hmac:<base64>`), e.g. from a secrets manager: the highest version wraps.
 * The operator rotates by adding a version and restarting; `rewrap` then moves every
 * card to it and the old version can be dropped once `minDecryptionVersion` passed it.
 */
export class KeyringEnvProvider extends KeyringProvider {
  readonly name = 'env-keyring';

  constructor(spec: string) {
    super();
    for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [label, b64] = part.split(':');
      const key = Buffer.from(b64 ?? '', 'base64');
      if (key.length !== 32) throw new Error(`CALLSIGHT_VAULT_KEYS: ${label} is not a base64 32-byte key`);
      if (label === 'hmac') this.hmac = key;
      else if (/^[0-9]+$/.test(label)) this.keys.set(Number(label), key);
      else throw new Error(`CALLSIGHT_VAULT_KEYS: unknown entry ${label}`);
    }
    if (this.keys.size === 0) throw new Error('CALLSIGHT_VAULT_KEYS holds no key version');
    if (this.hmac.every((b) => b === 0)) throw new Error('CALLSIGHT_VAULT_KEYS needs an hmac:<base64> entry');
    this.current = Math.max(...this.keys.keys());
    this.minVersion = Math.min(...this.keys.keys());
  }

  async rotate(): Promise<number> {
    throw new CallsightError('vault_rotation_unsupported', 'add a key version to CALLSIGHT_VAULT_KEYS and restart', { status: 409 });
  }
}
