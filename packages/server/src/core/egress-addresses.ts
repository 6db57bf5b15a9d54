import { BlockList, isIP } from 'node:net';

/**
 * Which addresses a server-initiated fetch may reach. Refused unless allow-listed:
 * loopback, private (RFC 1918, unique-local), carrier-grade NAT, link-local,
 * multicast, unspecified, reserved and documentation ranges — and IPv6 forms that
 * embed an IPv4 address (v4-mapped, NAT64, 6to4) are judged by that address.
 */
const BLOCKED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  // ::/96: the deprecated IPv4-compatible form (::127.0.0.1), never a public destination.
  ['::', 96], ['::1', 128], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) BLOCKED.addSubnet(net, bits, 'ipv6');

/** The IPv4 address an IPv6 one stands for (::ffff:a.b.c.d, 64:ff9b::/96, 2002::/16), if any. */
export function embeddedIpv4(address: string): string | null {
  const a = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted) return dotted[1];
  const groups = expandIpv6(a);
  if (!groups) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return v4(groups[6], groups[7]);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return v4(groups[6], groups[7]);
  if (groups[0] === 0x2002) return v4(groups[1], groups[2]);
  return null;
}

function expandIpv6(a: string): number[] | null {
  if (isIP(a) !== 6) return null;
  let text = a;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const [p, q, r, s] = tail[1].split('.').map(Number);
    text = text.slice(0, -tail[1].length) + `${((p << 8) | q).toString(16)}:${((r << 8) | s).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest !== undefined && rest ? rest.split(':') : [];
  const fill = rest !== undefined ? 8 - left.length - right.length : 0;
  const all = [...left, ...Array(fill).fill('0'), ...right].map((g) => parseInt(g, 16));
  return all.length === 8 && all.every((g) => g >= 0 && g <= 0xffff) ? all : null;
}

/** An allow-list of CIDRs (`10.1.0.0/16`, `127.0.0.1`, `fd00::/8`). Throws on a bad entry. */
export function allowListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [net, bitsText] = entry.trim().split('/');
    const family = isIP(net);
    if (!family) throw new Error(`not an IP address or CIDR: ${entry}`);
    const bits = bitsText === undefined ? (family === 4 ? 32 : 128) : Number(bitsText);
    if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) throw new Error(`bad prefix length in ${entry}`);
    list.addSubnet(net, bits, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

export const isCidr = (entry: string): boolean => {
  try {
    allowListOf([entry]);
    return true;
  } catch {
    return false;
  }
};

/** Why `address` may not be fetched, or null when it may (public, or allow-listed). */
export function blockedReason(address: string, allow: BlockList): string | null {
  const family = isIP(address);
  if (!family) return `${address} is not an IP address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (allow.check(address, type)) return null;
  const v4 = family === 6 ? embeddedIpv4(address) : null;
  if (v4) return blockedReason(v4, allow) && `${address} embeds ${v4}, a loopback, private, link-local, multicast or reserved address`;
  return BLOCKED.check(address, type) ? `${address} is a loopback, private, link-local, multicast or reserved address` : null;
}
