import { lookup } from 'node:dns/promises';
import type { SrtpPolicy } from '@callsight/protocol';
import { BlockList, isIP } from 'node:net';
import type { Logger } from '../core/logger.js';
import type { IncomingInvite, RequestAuthenticator } from '../sip/ua/index.js';
import type { SipAccount, SipAccountRepo } from './sip-account-repo.js';
import type { TrunkRepo } from './trunk-repo.js';

/**
 * Who started an inbound call. A configured peer (an address in
 * CALLSIGHT_SIP_TRUSTED_PEERS, or a tenant's trunk) is a carrier or PBX: its From and
 * Identity headers are taken as given. Anyone else must prove a SIP account by digest
 * and calls as that account, whatever its From says.
 */
export type InboundCaller =
  | { kind: 'peer'; /** Tenants it may call into; null: any (a configured peer). */ tenantIds: string[] | null; /** Its trunks' SDES-SRTP policy. */ srtp: SrtpPolicy }
  | { kind: 'account'; account: SipAccount };

const DNS_TTL_MS = 60_000;

/**
 * The gate in front of every new inbound INVITE. A stranger gets 407 (or 403 after a
 * wrong password) before anything is looked up, so the answer is the same whether the
 * dialled user exists or not, and a forged caller ID never reaches a phone.
 */
export class InboundTrust {
  private readonly peers = new BlockList();
  private readonly resolved = new Map<string, { at: number; addresses: string[] }>();

  constructor(
    private readonly deps: { trustedPeers: string[]; trunks: TrunkRepo; accounts: SipAccountRepo; auth: RequestAuthenticator; log: Logger },
  ) {
    for (const entry of deps.trustedPeers) addPeer(this.peers, entry);
  }

  /** The caller, or null when the INVITE was answered here (407 challenge, 403). */
  async admit(inv: IncomingInvite): Promise<InboundCaller | null> {
    const address = plainAddress(inv.source.address);
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(address) && this.peers.check(address, family)) return { kind: 'peer', tenantIds: null, srtp: 'optional' };
    const trunks = await this.trunksAt(address);
    if (trunks.length > 0) return { kind: 'peer', tenantIds: trunks.map((t) => t.tenantId), srtp: strictest(trunks.map((t) => t.srtp)) };
    const verdict = await this.deps.auth.check(inv.message, inv.source);
    if (!verdict.ok) {
      inv.reject(verdict.status, { reason: verdict.reason, headers: verdict.headers });
      return null;
    }
    const account = await this.deps.accounts.credentials(verdict.username);
    if (!account) {
      inv.reject(403, { reason: 'Forbidden' });
      return null;
    }
    const { password: _, ...rest } = account;
    return { kind: 'account', account: rest };
  }

  /** Trunks that point at `address` (by IP, or by a host name resolving to it). */
  private async trunksAt(address: string): Promise<{ tenantId: string; srtp: SrtpPolicy }[]> {
    const found = [];
    for (const trunk of await this.deps.trunks.addresses()) {
      const host = trunkHost(trunk.address);
      if (host && (await this.addressesOf(host)).includes(address)) found.push(trunk);
    }
    return found;
  }

  private async addressesOf(host: string): Promise<string[]> {
    if (isIP(host)) return [host];
    const cached = this.resolved.get(host);
    if (cached && Date.now() - cached.at < DNS_TTL_MS) return cached.addresses;
    let addresses: string[] = [];
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch (err) {
      this.deps.log.warn({ err, host }, 'trunk host does not resolve; its calls are not trusted by address');
    }
    this.resolved.set(host, { at: Date.now(), addresses });
    return addresses;
  }
}

/** Whether `caller` may call into `tenantId`: a trunk only into its own tenant, a phone only within its account's. */
export function mayCallInto(caller: InboundCaller, tenantId: string): boolean {
  if (caller.kind === 'account') return caller.account.tenantId === tenantId;
  return caller.tenantIds === null || caller.tenantIds.includes(tenantId);
}

/** `10.0.0.0/8`, `192.0.2.7`, `::1`, `2001:db8::/32`; throws on anything else (config validation). */
export function addPeer(list: BlockList, entry: string): void {
  const [address, prefix] = entry.trim().split('/');
  const family = isIP(address);
  if (!family) throw new Error(`"${entry}" is not an IP address or CIDR`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) return list.addAddress(address, type);
  const bits = Number(prefix);
  if (!/^\d{1,3}$/.test(prefix) || bits > (family === 6 ? 128 : 32)) throw new Error(`"${entry}" has an invalid prefix length`);
  list.addSubnet(address, bits, type);
}

/** A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d. */
const plainAddress = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

/** The host of a trunk address such as `sip:carrier.example:5060;transport=tcp` or `sips:[2001:db8::1]`. */
function trunkHost(address: string): string | null {
  const rest = address.replace(/^sips?:/i, '').replace(/^[^@]*@/, '').split(/[;?]/)[0];
  const v6 = /^\[([^\]]+)\]/.exec(rest);
  if (v6) return v6[1];
  return rest.split(':')[0] || null;
}

/** One carrier address with several trunks: SRTP required by any wins, off only when all say off. */
function strictest(policies: SrtpPolicy[]): SrtpPolicy {
  if (policies.includes('required')) return 'required';
  return policies.every((p) => p === 'off') ? 'off' : 'optional';
}
