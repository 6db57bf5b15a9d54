import { createHash } from 'node:crypto';
import { VerificationError } from './branding-errors.js';
import { FetchError, type BoundedFetcher, type Fetched } from './bounded-fetcher.js';
import type { RcdClaim } from './passport.js';

/**
 * RFC 9795 §7.1 integrity digests: `rcdi` maps a JSON pointer to a claim of
 * `rcd` holding a URL (here "/icn" and "/jcl") to "sha256-" + base64 of the
 * bytes that URL serves, so the signer vouches for the logo and card the callee
 * will see, not just for their addresses.
 */
export function rcdDigest(content: Uint8Array): string {
  return `sha256-${createHash('sha256').update(content).digest('base64')}`;
}

/** Digests of cached fetches: the fetcher returns the same object while it is cached, so each is hashed once. */
const digests = new WeakMap<Fetched, string>();

function digestOf(fetched: Fetched): string {
  let d = digests.get(fetched);
  if (!d) digests.set(fetched, (d = rcdDigest(fetched.body)));
  return d;
}

export const RCD_URL_POINTERS = ['/icn', '/jcl'] as const;

export interface RcdContent {
  icn?: Fetched;
  jcl?: Fetched;
}

/**
 * Fetches every URL the rcd references and checks it against its digest. With
 * `rcdi` present it must cover every URL (a gap is a failure: the signer chose
 * integrity and left content out of it). Without `rcdi` (optional in RFC 9795)
 * nothing vouches for what the URLs serve, so nothing is fetched and the caller
 * shows only the signed claims themselves (name, reason, inline jCard).
 */
export async function fetchAndCheckRcd(rcd: RcdClaim, rcdi: Record<string, string> | undefined, fetcher: BoundedFetcher): Promise<RcdContent> {
  const out: RcdContent = {};
  if (rcdi === undefined) return out;
  for (const pointer of RCD_URL_POINTERS) {
    const key = pointer.slice(1) as 'icn' | 'jcl';
    const url = rcd[key];
    if (url === undefined) continue;
    const expected = rcdi[pointer];
    if (!expected) throw new VerificationError('rcdi_mismatch', `rcd${pointer} has no rcdi digest`);
    if (!expected.startsWith('sha256-')) throw new VerificationError('rcdi_mismatch', `rcdi${pointer} uses an unsupported digest (${expected.split('-')[0]})`);
    let fetched: Fetched;
    try {
      fetched = await fetcher.fetch(url);
    } catch (err) {
      if (err instanceof FetchError) throw new VerificationError('rcd_fetch_failed', `rcd${pointer}: ${err.message}`);
      throw err;
    }
    if (digestOf(fetched) !== expected) throw new VerificationError('rcdi_mismatch', `content of rcd${pointer} does not match its rcdi digest`);
    out[key] = fetched;
  }
  return out;
}
