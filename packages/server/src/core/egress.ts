import { lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type BlockList, type LookupFunction } from 'node:net';
import { allowListOf, blockedReason } from './egress-addresses.js';
import { CallsightError } from './errors.js';

/**
 * The one way the server fetches a URL it was given (webhooks, flow `play` and
 * `webhook` verbs, x5u certificates, logos, the SMS HTTP gateway): http(s) only;
 * the name is resolved and every answer checked (egress-addresses.ts) unless the
 * operator's or the tenant's allow-list covers it; the connection goes to the
 * address that was checked (no second lookup a rebinding DNS server could answer
 * differently); every redirect is checked the same way (or refused); one deadline
 * for the whole exchange and a byte cap on the body.
 */
export type EgressFailure = 'egress_blocked' | 'egress_scheme' | 'egress_timeout' | 'egress_too_large' | 'egress_redirects' | 'egress_network';

/** The operator's allow-list (CALLSIGHT_EGRESS_ALLOW) as CIDRs. */
export const egressAllowList = (config: { egressAllow?: string }): string[] =>
  (config.egressAllow ?? '').split(',').map((e) => e.trim()).filter(Boolean);

export class EgressError extends CallsightError {
  constructor(
    readonly reason: EgressFailure,
    message: string,
  ) {
    super(reason, message, { status: reason === 'egress_blocked' || reason === 'egress_scheme' ? 403 : 502 });
  }
}

export interface EgressRequest {
  /** Whose configuration asked for the fetch: their admin's allow-list applies too. */
  tenantId?: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxBytes: number;
  /** 0: a 3xx is returned as it is, not followed. */
  maxRedirects?: number;
}

export interface EgressResponse {
  url: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export class Egress {
  private readonly operatorAllow: readonly string[];

  constructor(
    operatorAllow: readonly string[],
    /** The tenant admin's allow-list (CIDRs). */
    private readonly tenantAllow: (tenantId: string) => Promise<readonly string[]> = async () => [],
  ) {
    allowListOf(operatorAllow);
    this.operatorAllow = operatorAllow;
  }

  private async allowFor(tenantId?: string): Promise<BlockList> {
    return allowListOf([...this.operatorAllow, ...(tenantId ? await this.tenantAllow(tenantId) : [])]);
  }

  /** Refuses a URL whose host is, or resolves to, an address the fetch could not reach (for checks when a URL is saved). */
  async check(url: string, tenantId?: string): Promise<void> {
    const parsed = parseUrl(url);
    const allow = await this.allowFor(tenantId);
    const host = hostOf(parsed);
    const addresses = isIP(host) ? [host] : await resolveAll(host).catch(() => [] as string[]);
    for (const address of addresses) {
      const reason = blockedReason(address, allow);
      if (reason) throw new EgressError('egress_blocked', `${parsed.host}: ${reason}`);
    }
  }

  /** `check` for a URL someone submits: a refusal is a 400 naming the field, as bad input is. */
  async checkField(url: string, tenantId: string, path: string): Promise<void> {
    await this.check(url, tenantId).catch((err: Error) => {
      throw new CallsightError('egress_blocked', `The server may not fetch ${url}: ${err.message}`, { status: 400, fields: [{ path, message: err.message }] });
    });
  }

  async fetch(url: string, req: EgressRequest): Promise<EgressResponse> {
    const allow = await this.allowFor(req.tenantId);
    const deadline = Date.now() + req.timeoutMs;
    const maxRedirects = req.maxRedirects ?? 0;
    const seen = new Set<string>();
    let current = url;
    for (let hop = 0; ; hop++) {
      seen.add(current);
      const res = await this.once(current, req, allow, deadline);
      const location = res.headers.location;
      if (maxRedirects === 0 || res.status < 300 || res.status >= 400 || !location) return res;
      if (hop >= maxRedirects) throw new EgressError('egress_redirects', `more than ${maxRedirects} redirects from ${url}`);
      const next = new URL(location, current).toString();
      if (seen.has(next)) throw new EgressError('egress_redirects', `redirect loop at ${next}`);
      current = next;
    }
  }

  private once(url: string, req: EgressRequest, allow: BlockList, deadline: number): Promise<EgressResponse> {
    let parsed: URL;
    try {
      parsed = parseUrl(url);
    } catch (err) {
      return Promise.reject(err);
    }
    const host = hostOf(parsed);
    if (isIP(host)) {
      const reason = blockedReason(host, allow);
      if (reason) return Promise.reject(new EgressError('egress_blocked', `${parsed.host}: ${reason}`));
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) return Promise.reject(new EgressError('egress_timeout', `timed out fetching ${url}`));
    const client = parsed.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => request.destroy(new EgressError('egress_timeout', `timed out fetching ${url}`)), remaining);
      const done = <T>(f: (v: T) => void) => (v: T) => {
        clearTimeout(timer);
        f(v);
      };
      const ok = done(resolve);
      const fail = done((e: Error) => reject(e instanceof EgressError ? e : new EgressError('egress_network', `${parsed.host}: ${e.message}`)));
      const request = client.request(
        parsed,
        // No shared agent: a kept-alive socket would skip the lookup (and its check) next time.
        { method: req.method ?? 'GET', headers: req.headers, lookup: checkedLookup(allow), agent: false },
        (res) => {
          const declared = Number(res.headers['content-length'] ?? 0);
          if (declared > req.maxBytes) {
            request.destroy(new EgressError('egress_too_large', `${url} is ${declared} bytes, over the ${req.maxBytes} byte cap`));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > req.maxBytes) request.destroy(new EgressError('egress_too_large', `${url} sent more than ${req.maxBytes} bytes`));
            else chunks.push(chunk);
          });
          res.on('end', () => ok({ url, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', fail);
        },
      );
      request.on('error', fail);
      request.end(req.body);
    });
  }
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EgressError('egress_scheme', `not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new EgressError('egress_scheme', `only http and https are fetched, not ${parsed.protocol}`);
  return parsed;
}

const hostOf = (u: URL) => u.hostname.replace(/^\[|\]$/g, '');

function resolveAll(host: string): Promise<string[]> {
  return new Promise((resolve, reject) => lookup(host, { all: true }, (err, list) => (err ? reject(err) : resolve(list.map((a) => a.address)))));
}

/**
 * dns.lookup that refuses a name if any of its answers is blocked (a name with one
 * public and one internal address must not be a coin toss), and hands the socket the
 * checked answers — the connection uses exactly them.
 */
function checkedLookup(allow: BlockList): LookupFunction {
  return (hostname, options, callback) =>
    lookup(hostname, { ...options, all: true }, (err, list) => {
      if (err) return callback(err, '', 4);
      for (const a of list) {
        const reason = blockedReason(a.address, allow);
        if (reason) return callback(new EgressError('egress_blocked', `${hostname}: ${reason}`), '', 4);
      }
      if (options.all) (callback as unknown as (e: null, l: typeof list) => void)(null, list);
      else callback(null, list[0].address, list[0].family);
    });
}
