/**
 * SIP/SIPS (RFC 3261 19.1), tel (RFC 3966) and other absolute URIs: parsing,
 * serialization and the equality rules of RFC 3261 19.1.4. Components are kept
 * unescaped, so "sip:%61lice@x" and "sip:alice@x" parse to the same value;
 * serialization escapes again whatever the component's grammar does not allow.
 */
import { isUtf8 } from 'node:buffer';
import { SipParseError } from './errors.js';

export interface SipUri {
  kind: 'sip';
  scheme: 'sip' | 'sips';
  user?: string;
  password?: string;
  /** hostname, IPv4 address or bracketed IPv6 reference ("[2001:db8::1]"). */
  host: string;
  port?: number;
  /** uri-parameters; names lower-case, values unescaped, null when valueless (";lr"). */
  params: Map<string, string | null>;
  /** URI headers (after '?'), in order, unescaped. */
  headers: Array<[string, string]>;
}

export interface TelUri {
  kind: 'tel';
  /** The telephone-subscriber number as written, e.g. "+1-201-555-0123" or "7042". */
  number: string;
  params: Map<string, string | null>;
}

/** Any other scheme, preserved verbatim (RFC 3261 19.1: absoluteURI). */
export interface AbsoluteUri {
  kind: 'absolute';
  /** Lower-case scheme, e.g. "http", "urn", "soap.beep". */
  scheme: string;
  /** Everything after "scheme:". */
  opaque: string;
}

export type Uri = SipUri | TelUri | AbsoluteUri;

function table(chars: string, unreserved = true): Uint8Array {
  const t = new Uint8Array(128);
  const add = (lo: number, hi: number) => {
    for (let c = lo; c <= hi; c++) t[c] = 1;
  };
  add(0x30, 0x39);
  add(0x41, 0x5a);
  add(0x61, 0x7a);
  for (const ch of (unreserved ? "-_.!~*'()" : '') + chars) t[ch.charCodeAt(0)] = 1; // unreserved (RFC 3261 25.1) + extras
  return t;
}

// RFC 3261 25.1: what each component may carry unescaped.
const USER = table('&=+$,;?/');
const PASSWORD = table('&=+$,');
const PARAM = table('[]/:&+$');
const HNV = table('[]/?:+$');
const HOSTNAME = table('-.', false);
const SCHEME = table('+-.');
const TEL_NUMBER = table('+-.()*#');

function badUri(message: string): SipParseError {
  return new SipParseError('sip_bad_uri', message);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Checks `s` against a character class ('%' HEX HEX always allowed) and unescapes it. */
function decode(s: string, allowed: Uint8Array, what: string): string {
  let hasEscape = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (!isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) throw badUri(`bad escape in ${what}`);
      hasEscape = true;
      i += 2;
    } else if (c >= 128 || allowed[c] !== 1) {
      throw badUri(`invalid character ${JSON.stringify(s[i])} in ${what}`);
    }
  }
  if (!hasEscape) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === 0x25) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(s.charCodeAt(i));
  }
  const buf = Buffer.from(bytes);
  // Escapes usually carry UTF-8; arbitrary octets (%FF) survive as latin1 rather than U+FFFD.
  return buf.toString(isUtf8(buf) ? 'utf8' : 'latin1');
}

function encode(s: string, allowed: Uint8Array): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || allowed[c] !== 1) return encodeSlow(s, allowed);
  }
  return s;
}

function encodeSlow(s: string, allowed: Uint8Array): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    out += byte < 128 && allowed[byte] === 1 ? String.fromCharCode(byte) : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function parsePort(s: string): number {
  if (!/^\d{1,5}$/.test(s)) throw badUri('invalid port');
  const port = Number(s);
  if (port > 65535) throw badUri('port out of range');
  return port;
}

const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;

/** Validates a hostname, IPv4 address or IPv6 reference (RFC 3261 25.1 host). */
export function checkHost(host: string): void {
  if (host.length === 0) throw badUri('missing host');
  if (host.charCodeAt(0) === 0x5b) {
    if (!IPV6.test(host)) throw badUri('invalid IPv6 reference');
    return;
  }
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c >= 128 || HOSTNAME[c] !== 1) {
      throw badUri(`invalid character in host ${JSON.stringify(host)}`);
    }
  }
}

/** Parses `;name[=value]` pairs of a SIP or tel URI (s starts after the first ';'). */
function parseUriParams(s: string, params: Map<string, string | null>): void {
  for (const part of s.split(';')) {
    const eq = part.indexOf('=');
    const name = decode(eq === -1 ? part : part.slice(0, eq), PARAM, 'URI parameter').toLowerCase();
    if (name.length === 0) throw badUri('empty URI parameter');
    params.set(name, eq === -1 ? null : decode(part.slice(eq + 1), PARAM, 'URI parameter'));
  }
}

function parseSip(scheme: 'sip' | 'sips', rest: string): SipUri {
  const uri: SipUri = { kind: 'sip', scheme, host: '', params: new Map(), headers: [] };
  // '@' cannot appear unescaped after the userinfo (RFC 3261 25.1), so the first one ends it.
  const at = rest.indexOf('@');
  let i = 0;
  if (at !== -1) {
    const userinfo = rest.slice(0, at);
    // user-unreserved has no ':', so the first ':' starts the password.
    const colon = userinfo.indexOf(':');
    uri.user = decode(colon === -1 ? userinfo : userinfo.slice(0, colon), USER, 'user');
    if (colon !== -1) uri.password = decode(userinfo.slice(colon + 1), PASSWORD, 'password');
    if (uri.user.length === 0) throw badUri('empty user');
    i = at + 1;
  }
  let end = i;
  while (end < rest.length && rest.charCodeAt(end) !== 0x3b && rest.charCodeAt(end) !== 0x3f) end++;
  const hostport = rest.slice(i, end);
  const bracket = hostport.lastIndexOf(']');
  const colon = hostport.indexOf(':', bracket + 1);
  uri.host = colon === -1 ? hostport : hostport.slice(0, colon);
  checkHost(uri.host);
  if (colon !== -1) uri.port = parsePort(hostport.slice(colon + 1));
  const q = rest.indexOf('?', end);
  if (rest.charCodeAt(end) === 0x3b) parseUriParams(rest.slice(end + 1, q === -1 ? undefined : q), uri.params);
  if (q !== -1) {
    for (const pair of rest.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw badUri('URI header needs name=value');
      uri.headers.push([decode(pair.slice(0, eq), HNV, 'URI header'), decode(pair.slice(eq + 1), HNV, 'URI header')]);
    }
  }
  return uri;
}

function parseTel(rest: string): TelUri {
  const semi = rest.indexOf(';');
  const number = semi === -1 ? rest : rest.slice(0, semi);
  if (!/[0-9A-Fa-f*#]/.test(number)) throw badUri('tel URI without digits');
  decode(number, TEL_NUMBER, 'telephone number');
  const uri: TelUri = { kind: 'tel', number, params: new Map() };
  if (semi !== -1) parseUriParams(rest.slice(semi + 1), uri.params);
  return uri;
}

/** Parses a URI; throws SipParseError('sip_bad_uri') when it is not well-formed. */
export function parseUri(text: string): Uri {
  const colon = text.indexOf(':');
  if (colon <= 0) throw badUri(`not a URI: ${JSON.stringify(text.slice(0, 64))}`);
  const first = text.charCodeAt(0) | 0x20;
  if (first < 0x61 || first > 0x7a) throw badUri('URI scheme must start with a letter');
  for (let i = 1; i < colon; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || SCHEME[c] !== 1) throw badUri('invalid URI scheme');
  }
  const scheme = text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  if (scheme === 'sip' || scheme === 'sips') return parseSip(scheme, rest);
  if (scheme === 'tel') return parseTel(rest);
  // absoluteURI: keep it opaque, but it must not smuggle whitespace or delimiters (RFC 3986 2).
  if (rest.length === 0 || /[\s<>"\x00-\x1f\x7f]/.test(rest)) throw badUri(`invalid ${scheme} URI`);
  return { kind: 'absolute', scheme, opaque: rest };
}

function serializeUriParams(params: Map<string, string | null>): string {
  let out = '';
  for (const [name, value] of params) out += ';' + encode(name, PARAM) + (value === null ? '' : '=' + encode(value, PARAM));
  return out;
}

export function serializeUri(uri: Uri): string {
  if (uri.kind === 'absolute') return `${uri.scheme}:${uri.opaque}`;
  if (uri.kind === 'tel') return `tel:${uri.number}${serializeUriParams(uri.params)}`;
  let out = uri.scheme + ':';
  if (uri.user !== undefined) {
    out += encode(uri.user, USER);
    if (uri.password !== undefined) out += ':' + encode(uri.password, PASSWORD);
    out += '@';
  }
  out += uri.host;
  if (uri.port !== undefined) out += ':' + uri.port;
  out += serializeUriParams(uri.params);
  if (uri.headers.length > 0) out += '?' + uri.headers.map(([n, v]) => `${encode(n, HNV)}=${encode(v, HNV)}`).join('&');
  return out;
}

const ieq = (a: string | null | undefined, b: string | null | undefined) =>
  a === b || (typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase());

/** Parameters that, present in one URI, must be present and equal in the other (RFC 3261 19.1.4). */
const MUST_MATCH = ['user', 'ttl', 'method', 'maddr', 'transport'];

function sipEquals(a: SipUri, b: SipUri): boolean {
  if (a.scheme !== b.scheme) return false;
  // userinfo is case-sensitive; everything else is not.
  if (a.user !== b.user || a.password !== b.password) return false;
  if (!ieq(a.host, b.host)) return false;
  // An absent port is not equal to the default port 5060.
  if (a.port !== b.port) return false;
  for (const name of MUST_MATCH) {
    if (a.params.has(name) !== b.params.has(name)) return false;
  }
  for (const [name, value] of a.params) {
    if (b.params.has(name) && !ieq(value, b.params.get(name))) return false;
  }
  // Header components are never ignored: same set on both sides.
  if (a.headers.length !== b.headers.length) return false;
  return a.headers.every(([n, v]) => b.headers.some(([m, w]) => ieq(n, m) && v === w));
}

function telEquals(a: TelUri, b: TelUri): boolean {
  // RFC 3966 4: visual separators are ignored, hex digits compare case-insensitively, params as a set.
  const digits = (n: string) => n.replace(/[-.()]/g, '').toLowerCase();
  if (digits(a.number) !== digits(b.number) || a.params.size !== b.params.size) return false;
  for (const [name, value] of a.params) {
    if (!b.params.has(name) || !ieq(value, b.params.get(name))) return false;
  }
  return true;
}

/** URI equivalence per RFC 3261 19.1.4 (SIP/SIPS) and RFC 3966 4 (tel); other schemes compare verbatim. */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.kind === 'sip' && b.kind === 'sip') return sipEquals(a, b);
  if (a.kind === 'tel' && b.kind === 'tel') return telEquals(a, b);
  if (a.kind === 'absolute' && b.kind === 'absolute') return a.scheme === b.scheme && a.opaque === b.opaque;
  return false;
}
