import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CallsightError } from './errors.js';
import { ensurePrivateDir, PRIVATE_FILE } from './private-files.js';

/**
 * Seals secrets the server must read back in clear (webhook signing secrets,
 * trunk passwords, card numbers) with AES-256-GCM. The master key comes from
 * CALLSIGHT_MASTER_KEY (base64, 32 bytes; required when several processes share
 * a database) or a key file created once under the data dir with mode 0600.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(base64: string): SecretBox {
    const key = Buffer.from(base64, 'base64');
    if (key.length !== 32) throw new CallsightError('config_invalid', 'CALLSIGHT_MASTER_KEY must be 32 bytes, base64');
    return new SecretBox(key);
  }

  static fromDataDir(dataDir: string): SecretBox {
    const file = path.join(dataDir, 'master.key');
    if (!existsSync(file)) {
      ensurePrivateDir(dataDir);
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: PRIVATE_FILE, flag: 'wx' });
    }
    chmodSync(file, PRIVATE_FILE);
    return SecretBox.fromKey(readFileSync(file, 'utf8').trim());
  }

  /** A key for another purpose (e.g. SIP nonces), derived so every process sharing the master key agrees. */
  derive(label: string): Buffer {
    return createHmac('sha256', this.key).update(label).digest();
  }

  /** Output: v1.<iv>.<tag>.<ciphertext>, base64url parts. `aad` binds the ciphertext to its row. */
  seal(plaintext: string, aad = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  open(sealed: string, aad = ''): string {
    const [v, iv, tag, ct] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new CallsightError('secret_corrupt', 'sealed secret is malformed');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new CallsightError('secret_corrupt', 'sealed secret does not authenticate', { cause });
    }
  }
}
