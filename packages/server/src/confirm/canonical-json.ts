import { createHash } from 'node:crypto';

/**
 * Deterministic JSON (keys sorted at every depth, no whitespace), so the same
 * content always hashes the same whatever order a client or a database returned
 * its keys in. Enough of RFC 8785 for our values: strings, finite numbers,
 * booleans, null, arrays and plain objects.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    if (value === undefined) throw new TypeError('canonicalJson: undefined');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** SHA-256 over the canonical JSON: the content hash of what was shown or answered. */
export const contentHash = (value: unknown) => sha256Hex(canonicalJson(value));
