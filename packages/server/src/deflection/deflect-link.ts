import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../core/secret-box.js';

/**
 * The token of a deflection link: `<deflection id>.<MAC>`, the MAC an HMAC of
 * the id under a key derived from the master key, cut to 128 bits. Short
 * enough for one SMS; forging one needs the key. Expiry and single use are the
 * deflection row's (the MAC only proves the id came from us).
 */
export class DeflectLinks {
  private readonly key: Buffer;

  constructor(box: SecretBox) {
    this.key = box.derive('deflect-link-v1');
  }

  tokenFor(deflectionId: string): string {
    return `${deflectionId}.${this.mac(deflectionId).toString('base64url')}`;
  }

  /** The deflection id a token names, or null when it was not made by us. */
  read(token: string): string | null {
    const dot = token.lastIndexOf('.');
    if (dot <= 0) return null;
    const id = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = this.mac(id);
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
  }

  private mac(id: string): Buffer {
    return createHmac('sha256', this.key).update(id).digest().subarray(0, 16);
  }
}
