import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { KeyProvider, WrappedKey } from './key-provider.js';

/** A secret sealed under its own data key, the data key wrapped by the provider's KEK. */
export interface Sealed {
  /** iv (12) | tag (16) | ciphertext. */
  box: Buffer;
  key: WrappedKey;
}

/** Binds a sealed card to where it belongs: moving the row to another tenant, customer or id fails to open. */
export const cardAad = (tenantId: string, customerId: string, cardId: string) => Buffer.from(`callsight-vault/v1|${tenantId}|${customerId}|${cardId}`);

/** Envelope encryption: a fresh AES-256-GCM data key per secret, wrapped by the KEK, zeroed after use. */
export async function seal(provider: KeyProvider, plaintext: Buffer, aad: Buffer): Promise<Sealed> {
  const dataKey = randomBytes(32);
  try {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', dataKey, iv);
    c.setAAD(aad);
    const ct = Buffer.concat([c.update(plaintext), c.final()]);
    const key = await provider.wrap(dataKey, aad);
    return { box: Buffer.concat([iv, c.getAuthTag(), ct]), key };
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Opens a sealed secret for `use` only, then zeroes the plaintext and the data key:
 * the plaintext never outlives the scope (and the scope is given no logger).
 */
export async function withOpened<T>(provider: KeyProvider, sealed: Sealed, aad: Buffer, use: (plaintext: Buffer) => Promise<T> | T): Promise<T> {
  const dataKey = await provider.unwrap(sealed.key, aad);
  let plaintext: Buffer | null = null;
  try {
    const d = createDecipheriv('aes-256-gcm', dataKey, sealed.box.subarray(0, 12));
    d.setAAD(aad);
    d.setAuthTag(sealed.box.subarray(12, 28));
    plaintext = Buffer.concat([d.update(sealed.box.subarray(28)), d.final()]);
    return await use(plaintext);
  } finally {
    dataKey.fill(0);
    plaintext?.fill(0);
  }
}

/** The keyed hash of a whole number (per tenant): equal numbers hash equal, and nothing can be read back from it. */
export const keyedHash = (hashKey: Buffer, tenantId: string, pan: Buffer) => createHmac('sha256', hashKey).update(`${tenantId}|`).update(pan).digest('base64url');
