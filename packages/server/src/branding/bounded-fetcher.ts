import { lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type BlockList, type LookupFunction } from 'node:net';
import { allowListOf, blockedReason } from '../core/egress-addresses.js';

/**
 * Fetches what a PASSporT points at (x5u certificates, icn logos, jcl jCards)
 * from URLs chosen by whoever signed it — so every fetch is bounded: http(s)
 * only, a deadline for the whole exchange including redirects, a byte cap, a
 * redirect limit, and a TTL cache by URL (with in-flight de-duplication) so a
 * burst of calls from one carrier costs one fetch.
 */
export type FetchFailure = 'scheme' | 'timeout' | 'too_large' | 'redirects' | 'status' | 'network' | 'private_address';

/**
 * dns.lookup that refuses internal answers (the egress policy's ranges, core/egress-addresses.ts,
 * minus the operator's allow-list), so a public name resolving inward is caught too; the
 * socket connects to the address that was checked.
 */
const publicOnlyLookup =
  (allow: BlockList): LookupFunction =>
  (hostname, options, callback) =>
    lookup(hostname, { ...options, all: false }, (err, address, family) => {
      if (!err && typeof address === 'string' && blockedReason(address, allow)) callback(new FetchError('private_address', `${hostname} resolves to a private address`), address, family);
      else callback(err, address as string, family);
    });

export class FetchError extends Error {
  override name = 'FetchError';
  constructor(
    readonly reason: FetchFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface Fetched {
  url: string;
  status: number;
  contentType: string;
  body: Buffer;
}

export interface FetcherOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  ttlMs?: number;
  maxEntries?: number;
  /** Refuse loopback/private destinations except `allow` (the egress policy's allow-list of CIDRs). */
  blockPrivateAddresses?: boolean;
  allow?: readonly string[];
  now?: () => number;
}

export class BoundedFetcher {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly blockPrivate: boolean;
  private readonly allow: BlockList;
  /** Insertion-ordered: the oldest entry is evicted first. Failures are not cached. */
  private readonly cache = new Map<string, { expires: number; value: Promise<Fetched> }>();
  /** Network fetches made (cache misses), for tests and metrics. */
  fetches = 0;

  constructor(opts: FetcherOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.maxBytes = opts.maxBytes ?? 256 * 1024;
    this.maxRedirects = opts.maxRedirects ?? 3;
    this.ttlMs = opts.ttlMs ?? 10 * 60_000;
    this.maxEntries = opts.maxEntries ?? 1000;
    this.now = opts.now ?? Date.now;
    this.blockPrivate = opts.blockPrivateAddresses ?? false;
    this.allow = allowListOf(opts.allow ?? []);
  }

  fetch(url: string): Promise<Fetched> {
    const hit = this.cache.get(url);
    if (hit && hit.expires > this.now()) return hit.value;
    this.cache.delete(url);
    const value = this.fetchFresh(url);
    this.cache.set(url, { expires: this.now() + this.ttlMs, value });
    value.catch(() => this.cache.delete(url));
    while (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }

  private async fetchFresh(first: string): Promise<Fetched> {
    this.fetches++;
    const deadline = this.now() + this.timeoutMs;
    const seen = new Set<string>();
    let url = first;
    for (let hop = 0; ; hop++) {
      seen.add(url);
      const res = await this.get(url, deadline);
      if (res.redirect === undefined) return res.fetched;
      if (hop >= this.maxRedirects) throw new FetchError('redirects', `more than ${this.maxRedirects} redirects from ${first}`);
      const next = new URL(res.redirect, url).toString();
      if (seen.has(next)) throw new FetchError('redirects', `redirect loop at ${next}`);
      url = next;
    }
  }

  private get(url: string, deadline: number): Promise<{ fetched: Fetched; redirect?: undefined } | { redirect: string }> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return Promise.reject(new FetchError('scheme', `not a URL: ${url}`));
    }
    const client = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
    if (!client) return Promise.reject(new FetchError('scheme', `only http and https are fetched, not ${parsed.protocol}`));
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (this.blockPrivate && ((host === 'localhost' && blockedReason('127.0.0.1', this.allow)) || (isIP(host) && blockedReason(host, this.allow)))) {
      return Promise.reject(new FetchError('private_address', `${url} points at a private address`));
    }
    const remaining = deadline - this.now();
    if (remaining <= 0) return Promise.reject(new FetchError('timeout', `timed out after ${this.timeoutMs} ms fetching ${url}`));

    return new Promise((resolveOuter, rejectOuter) => {
      // A hard deadline, not an idle timeout: a server trickling one byte a second must not hold a call.
      const timer = setTimeout(() => req.destroy(new FetchError('timeout', `timed out after ${this.timeoutMs} ms fetching ${url}`)), remaining);
      const resolve = (v: { fetched: Fetched } | { redirect: string }) => (clearTimeout(timer), resolveOuter(v));
      const reject = (e: Error) => (clearTimeout(timer), rejectOuter(e));
      const options = { headers: { accept: '*/*', 'user-agent': 'callsight-sti-vs' }, ...(this.blockPrivate && { lookup: publicOnlyLookup(this.allow), agent: false }) };
      const req = client.get(parsed, options, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          resolve({ redirect: res.headers.location });
          return;
        }
        if (status !== 200) {
          res.resume();
          reject(new FetchError('status', `${url} answered ${status}`));
          return;
        }
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > this.maxBytes) {
          req.destroy();
          reject(new FetchError('too_large', `${url} is ${declared} bytes, over the ${this.maxBytes} byte cap`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxBytes) {
            req.destroy(new FetchError('too_large', `${url} sent more than ${this.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ fetched: { url, status, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) } }));
        res.on('error', (err) => reject(err instanceof FetchError ? err : new FetchError('network', err.message)));
      });
      req.on('error', (err) => reject(err instanceof FetchError ? err : new FetchError('network', `${url}: ${err.message}`)));
    });
  }
}
