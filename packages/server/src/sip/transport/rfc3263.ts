/**
 * Locating SIP servers (RFC 3263 4): NAPTR → SRV → A/AAAA for a host name, so a trunk
 * named by its domain is reached at the servers its DNS lists, in priority order and
 * weighted within a priority (RFC 2782), with the next one tried when one fails.
 * A numeric host, or a name with an explicit port, skips NAPTR/SRV (4.1, 4.2).
 */
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { parseUri, type Uri } from '../uri.js';
import { DEFAULT_PORT, type TransportKind } from './flow.js';

export interface SipTarget {
  kind: TransportKind;
  /** An IP address. */
  address: string;
  port: number;
}

/** The DNS queries RFC 3263 needs, so tests and other resolvers can stand in. */
export interface DnsQueries {
  resolveNaptr(name: string): Promise<{ flags: string; service: string; regexp: string; replacement: string; order: number; preference: number }[]>;
  resolveSrv(name: string): Promise<{ name: string; port: number; priority: number; weight: number }[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
}

/** NAPTR services we can use (RFC 3263 4.1), and the SRV prefix of each transport. */
const SERVICES: Record<string, TransportKind> = { 'SIP+D2U': 'udp', 'SIP+D2T': 'tcp', 'SIPS+D2T': 'tls' };
const SRV_PREFIX: Record<'udp' | 'tcp' | 'tls', string> = { udp: '_sip._udp.', tcp: '_sip._tcp.', tls: '_sips._tcp.' };
const KINDS: Record<string, TransportKind> = { udp: 'udp', tcp: 'tcp', tls: 'tls', ws: 'ws', wss: 'ws' };

/** RFC 2782: by priority, and within one priority a weighted random order (weight 0 still gets its turn). */
export function orderSrv<T extends { priority: number; weight: number }>(records: T[], random: () => number = Math.random): T[] {
  const byPriority = new Map<number, T[]>();
  for (const r of records) byPriority.set(r.priority, [...(byPriority.get(r.priority) ?? []), r]);
  const out: T[] = [];
  for (const priority of [...byPriority.keys()].sort((a, b) => a - b)) {
    const left = [...byPriority.get(priority)!].sort((a, b) => a.weight - b.weight);
    while (left.length > 0) {
      const total = left.reduce((sum, r) => sum + r.weight, 0);
      let pick = random() * total;
      let i = 0;
      if (total > 0) {
        for (; i < left.length - 1; i++) {
          pick -= left[i].weight;
          if (pick < 0 && left[i].weight > 0) break;
        }
      }
      out.push(left.splice(i, 1)[0]);
    }
  }
  return out;
}

export class SipLocator {
  private readonly dns: DnsQueries;

  constructor(opts: { servers?: string[]; timeoutMs?: number; dns?: DnsQueries } = {}) {
    if (opts.dns) this.dns = opts.dns;
    else {
      const resolver = new Resolver({ timeout: opts.timeoutMs ?? 2000, tries: 2 });
      if (opts.servers?.length) resolver.setServers(opts.servers);
      this.dns = resolver;
    }
  }

  /** Every server to try for `target`, best first; empty when DNS knows nothing (then the OS resolver has its say). */
  async locate(target: Uri | string): Promise<SipTarget[]> {
    const uri = typeof target === 'string' ? parseUri(target) : target;
    if (uri.kind !== 'sip') return [];
    const host = (uri.params.get('maddr') ?? uri.host).replace(/^\[(.*)\]$/, '$1');
    const param = uri.params.get('transport')?.toLowerCase();
    const secure = uri.scheme === 'sips';
    let kind: TransportKind | undefined = param ? KINDS[param] : secure ? 'tls' : undefined;
    if (secure && kind === 'udp') kind = 'tls';
    if (isIP(host)) return [{ kind: kind ?? 'udp', address: host, port: uri.port ?? DEFAULT_PORT[kind ?? 'udp'] }];
    // 4.2: a port, or a transport we have no SRV name for (ws), means A/AAAA of the host itself.
    if (uri.port !== undefined || kind === 'ws') {
      const k = kind ?? 'udp';
      return (await this.addresses(host)).map((address) => ({ kind: k, address, port: uri.port ?? DEFAULT_PORT[k] }));
    }
    let candidates: { kind: 'udp' | 'tcp' | 'tls'; srv: string }[] = [];
    if (kind) {
      candidates = [{ kind: kind as 'udp' | 'tcp' | 'tls', srv: SRV_PREFIX[kind as 'udp' | 'tcp' | 'tls'] + host }];
    } else {
      const naptr = (await this.dns.resolveNaptr(host).catch(() => []))
        .filter((r) => r.flags.toLowerCase() === 's' && SERVICES[r.service.toUpperCase()] && (!secure || r.service.toUpperCase().startsWith('SIPS')))
        .sort((a, b) => a.order - b.order || a.preference - b.preference);
      candidates = naptr.map((r) => ({ kind: SERVICES[r.service.toUpperCase()] as 'udp' | 'tcp' | 'tls', srv: r.replacement }));
      // 4.1: no NAPTR — SRV for each transport we support, most secure first when sips.
      if (candidates.length === 0) candidates = (secure ? (['tls'] as const) : (['udp', 'tcp', 'tls'] as const)).map((k) => ({ kind: k, srv: SRV_PREFIX[k] + host }));
    }
    const out: SipTarget[] = [];
    for (const c of candidates) {
      const srv = await this.dns.resolveSrv(c.srv).catch(() => []);
      for (const r of orderSrv(srv)) for (const address of await this.addresses(r.name)) out.push({ kind: c.kind, address, port: r.port });
      // Only the first transport with records is used (4.1: the client uses the SRV records of the chosen transport).
      if (out.length > 0) return dedupe(out);
    }
    // 4.2: no SRV either — the host's own addresses on the default port.
    const k = kind ?? (secure ? 'tls' : 'udp');
    return (await this.addresses(host)).map((address) => ({ kind: k, address, port: DEFAULT_PORT[k] }));
  }

  private async addresses(name: string): Promise<string[]> {
    const v4 = await this.dns.resolve4(name).catch(() => [] as string[]);
    if (v4.length > 0) return v4;
    return this.dns.resolve6(name).catch(() => [] as string[]);
  }
}

function dedupe(targets: SipTarget[]): SipTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = `${t.kind}:${t.address}:${t.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A proxy URI that sends to exactly this target (no further lookups). */
export const targetUri = (t: SipTarget): string => `sip:${t.address.includes(':') ? `[${t.address}]` : t.address}:${t.port}${t.kind === 'udp' ? '' : `;transport=${t.kind}`}`;
