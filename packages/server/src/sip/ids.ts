/**
 * Random identifiers for SIP: Via branches, From/To tags and Call-IDs. They
 * must be unpredictable (RFC 3261 8.1.1.4 Call-ID, 19.3 tags: at least 32 bits
 * of randomness) and cheap, so random bytes are drawn from a pooled buffer.
 */
import { randomFillSync } from 'node:crypto';
import { BRANCH_COOKIE } from './via.js';

const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

function randomBytes(n: number): Buffer {
  if (offset + n > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + n);
  offset += n;
  return out;
}

/** base64url is token-safe ('-' and '_' are token characters, RFC 3261 25.1). */
const token = (bytes: number) => randomBytes(bytes).toString('base64url');

/** A branch with the RFC 3261 magic cookie and 96 random bits (RFC 3261 8.1.1.7). */
export function newBranch(): string {
  return BRANCH_COOKIE + token(12);
}

/** A From/To tag with 64 random bits. */
export function newTag(): string {
  return token(8);
}

/** A globally unique Call-ID with 128 random bits, optionally "@host". */
export function newCallId(host?: string): string {
  return host ? `${token(16)}@${host}` : token(16);
}
