/**
 * REFER helpers (RFC 3515): the Refer-To value, optionally embedding Replaces
 * for attended transfer (RFC 3891, RFC 5589 7), and the message/sipfrag body
 * of the NOTIFYs that report the referred request's progress (RFC 3515 2.4.5).
 */
import { parseNameAddr } from '../name-addr.js';
import { serializeUri, type SipUri } from '../uri.js';
import { parseReplaces, formatReplaces, type ReplacesValue } from './replaces.js';

export interface ReferTo {
  uri: string;
  replaces?: ReplacesValue;
}

/** `<target?Replaces=...>`: the Replaces value travels as an escaped URI header (RFC 3891 6.1, RFC 5589 7.1). */
export function formatReferTo(target: string, replaces?: ReplacesValue): string {
  const addr = parseNameAddr(target);
  if (replaces && addr.uri.kind === 'sip') {
    (addr.uri as SipUri).headers = [...addr.uri.headers.filter(([n]) => n.toLowerCase() !== 'replaces'), ['Replaces', formatReplaces(replaces)]];
  }
  return `<${serializeUri(addr.uri)}>`;
}

export function parseReferTo(value: string): ReferTo {
  const addr = parseNameAddr(value);
  let replaces: ReplacesValue | undefined;
  if (addr.uri.kind === 'sip') {
    const header = addr.uri.headers.find(([n]) => n.toLowerCase() === 'replaces');
    if (header) replaces = parseReplaces(header[1]);
    addr.uri.headers = addr.uri.headers.filter(([n]) => n.toLowerCase() !== 'replaces');
  }
  return { uri: serializeUri(addr.uri), replaces };
}

/** A message/sipfrag status line (RFC 3420; RFC 3515 2.4.5 allows the status line alone). */
export const sipfrag = (status: number, reason: string): string => `SIP/2.0 ${status} ${reason}\r\n`;

/** Parses a sipfrag body's status code, e.g. for the transferor watching NOTIFYs. */
export function parseSipfragStatus(body: string): number | undefined {
  const m = /^SIP\/2\.0\s+(\d{3})/.exec(body.trim());
  return m ? Number(m[1]) : undefined;
}
