/**
 * SIP messages (RFC 3261 7): requests, responses, their header multimap and
 * typed accessors. Typed header values are parsed on first access and cached
 * until that header is changed; a malformed value throws SipParseError then.
 */
import { parseAuthHeader, type AuthHeader } from './auth-header.js';
import { parseCSeq, type CSeq } from './cseq.js';
import { CallsightError } from '../core/errors.js';
import { badHeader, isToken, MAX_UINT32, parseUnsigned } from './grammar.js';
import { headerKey, resolveHeaderName } from './header-names.js';
import { parseNameAddr, type NameAddr } from './name-addr.js';
import type { Uri } from './uri.js';
import { parseVia, type Via } from './via.js';

export interface HeaderField {
  /** Spelling used on output (canonical for known headers, compact forms expanded). */
  name: string;
  /** Lower-case full name, the lookup key. */
  key: string;
  /** The value with folding undone and surrounding whitespace removed. */
  value: string;
}

const CRLF = /[\r\n]/;

/** A CR or LF in a value would let it inject header fields (or a body) on output. */
function checkValue(value: string): void {
  if (CRLF.test(value)) {
    throw new CallsightError('sip_header_injection', 'SIP header values must not contain CR or LF', { status: 500 });
  }
}

/**
 * Ordered multimap of header fields with case-insensitive names. Each element
 * of a list header (Via, Contact, Route...) is its own field, so the order of
 * values within a header is the order of fields (RFC 3261 7.3.1).
 */
export class SipHeaders implements Iterable<Readonly<HeaderField>> {
  private readonly fields: HeaderField[] = [];
  private readonly cache = new Map<string, unknown>();

  /** First value of a header, or undefined. */
  get(name: string): string | undefined {
    const key = headerKey(name);
    for (const f of this.fields) if (f.key === key) return f.value;
    return undefined;
  }

  /** All values of a header in order. */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const out: string[] = [];
    for (const f of this.fields) if (f.key === key) out.push(f.value);
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  count(name: string): number {
    return this.getAll(name).length;
  }

  /** Replaces every value of a header, keeping the position of the first one. */
  set(name: string, value: string | readonly string[]): void {
    const key = headerKey(name);
    const values = typeof value === 'string' ? [value] : value;
    values.forEach(checkValue);
    const first = this.fields.findIndex((f) => f.key === key);
    this.remove(name);
    const at = first === -1 ? this.fields.length : first;
    const { display } = resolveHeaderName(name);
    this.fields.splice(at, 0, ...values.map((v) => ({ name: display, key, value: v })));
  }

  /** Appends a value after the existing ones. */
  append(name: string, value: string): void {
    checkValue(value);
    const { key, display } = resolveHeaderName(name);
    this.fields.push({ name: display, key, value });
    if (this.cache.size > 0) this.cache.delete(key);
  }

  /** Inserts a value before the existing ones (a proxy's Via or Record-Route, RFC 3261 16.6). */
  prepend(name: string, value: string): void {
    checkValue(value);
    const { key, display } = resolveHeaderName(name);
    const at = this.fields.findIndex((f) => f.key === key);
    this.fields.splice(at === -1 ? this.fields.length : at, 0, { name: display, key, value });
    this.cache.delete(key);
  }

  remove(name: string): void {
    const key = headerKey(name);
    for (let i = this.fields.length - 1; i >= 0; i--) if (this.fields[i].key === key) this.fields.splice(i, 1);
    this.cache.delete(key);
  }

  [Symbol.iterator](): Iterator<Readonly<HeaderField>> {
    return this.fields[Symbol.iterator]();
  }

  /**
   * Typed view of a header, parsed once from its values and cached until the
   * header changes. The view is shared: after changing it, write it back with
   * set() (which also drops the cached view).
   */
  parsed<T>(name: string, parse: (values: string[]) => T): T {
    const key = headerKey(name);
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = parse(this.getAll(key));
    this.cache.set(key, value);
    return value;
  }
}

interface MessageBase {
  /** "SIP/2.0" for anything this stack accepts; kept so validate() can answer 505. */
  version: string;
  headers: SipHeaders;
  body: Buffer;
}

export interface SipRequest extends MessageBase {
  kind: 'request';
  method: string;
  uri: Uri;
}

export interface SipResponse extends MessageBase {
  kind: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

export const SIP_VERSION = 'SIP/2.0';

export function getHeader(msg: SipMessage, name: string): string | undefined {
  return msg.headers.get(name);
}

export function getHeaders(msg: SipMessage, name: string): string[] {
  return msg.headers.getAll(name);
}

export function setHeader(msg: SipMessage, name: string, value: string | readonly string[]): void {
  msg.headers.set(name, value);
}

// ---- typed accessors -------------------------------------------------------

/** Via list, topmost first. */
export function getVias(msg: SipMessage): Via[] {
  return msg.headers.parsed('via', (values) => values.map(parseVia));
}

function single<T>(msg: SipMessage, name: string, parse: (value: string) => T): T | undefined {
  return msg.headers.parsed(name, (values) => (values.length === 0 ? undefined : parse(values[0])));
}

export function getFrom(msg: SipMessage): NameAddr | undefined {
  return single(msg, 'from', (v) => parseNameAddr(v));
}

export function getTo(msg: SipMessage): NameAddr | undefined {
  return single(msg, 'to', (v) => parseNameAddr(v));
}

export function getCallId(msg: SipMessage): string | undefined {
  return single(msg, 'call-id', (v) => {
    // callid = word [ "@" word ] (RFC 3261 25.1); whitespace is never part of it.
    if (v === '' || /\s/.test(v)) throw badHeader('invalid Call-ID');
    return v;
  });
}

export function getCSeq(msg: SipMessage): CSeq | undefined {
  return single(msg, 'cseq', parseCSeq);
}

/** Max-Forwards 0..255 (RFC 3261 20.22). */
export function getMaxForwards(msg: SipMessage): number | undefined {
  return single(msg, 'max-forwards', (v) => parseUnsigned(v, 255, 'Max-Forwards'));
}

export function getContentLength(msg: SipMessage): number | undefined {
  return single(msg, 'content-length', (v) => parseUnsigned(v, MAX_UINT32, 'Content-Length'));
}

/** Expires delta-seconds (RFC 3261 20.19). */
export function getExpires(msg: SipMessage): number | undefined {
  return single(msg, 'expires', (v) => parseUnsigned(v, MAX_UINT32, 'Expires'));
}

const SIP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Date header; only the RFC 1123 form in GMT is legal (RFC 3261 20.17; baddate.dat). */
export function getDate(msg: SipMessage): Date | undefined {
  return single(msg, 'date', (v) => {
    const date = new Date(v);
    if (!SIP_DATE.test(v) || Number.isNaN(date.getTime())) throw badHeader('Date must be an RFC 1123 date in GMT');
    return date;
  });
}

/** Media type of the body, lower-cased and without parameters ("application/sdp"). */
export function getContentType(msg: SipMessage): string | undefined {
  return single(msg, 'content-type', (v) => {
    const type = v.split(';')[0].trim().toLowerCase();
    if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+*-]+$/.test(type)) throw badHeader('invalid Content-Type');
    return type;
  });
}

/** Contact list, or '*' (REGISTER "remove all bindings", RFC 3261 10.2.2). */
export function getContacts(msg: SipMessage): NameAddr[] | '*' {
  return msg.headers.parsed('contact', (values) => {
    if (values.length === 1 && values[0] === '*') return '*' as const;
    return values.map((v) => parseNameAddr(v));
  });
}

export function getRoutes(msg: SipMessage): NameAddr[] {
  return msg.headers.parsed('route', (values) => values.map((v) => parseNameAddr(v, true)));
}

export function getRecordRoutes(msg: SipMessage): NameAddr[] {
  return msg.headers.parsed('record-route', (values) => values.map((v) => parseNameAddr(v, true)));
}

function optionTags(values: string[]): string[] {
  return values.map((v) => {
    if (!isToken(v)) throw badHeader(`invalid option-tag ${JSON.stringify(v)}`);
    return v;
  });
}

export function getRequire(msg: SipMessage): string[] {
  return msg.headers.parsed('require', optionTags);
}

export function getProxyRequire(msg: SipMessage): string[] {
  return msg.headers.parsed('proxy-require', optionTags);
}

export function getSupported(msg: SipMessage): string[] {
  return msg.headers.parsed('supported', optionTags);
}

/** Media ranges of Accept, lower-cased, parameters dropped. */
export function getAccept(msg: SipMessage): string[] {
  return msg.headers.parsed('accept', (values) => values.map((v) => v.split(';')[0].trim().toLowerCase()));
}

function authList(values: string[]): AuthHeader[] {
  return values.map(parseAuthHeader);
}

export function getAuthorization(msg: SipMessage): AuthHeader[] {
  return msg.headers.parsed('authorization', authList);
}

export function getProxyAuthorization(msg: SipMessage): AuthHeader[] {
  return msg.headers.parsed('proxy-authorization', authList);
}

export function getWwwAuthenticate(msg: SipMessage): AuthHeader[] {
  return msg.headers.parsed('www-authenticate', authList);
}

export function getProxyAuthenticate(msg: SipMessage): AuthHeader[] {
  return msg.headers.parsed('proxy-authenticate', authList);
}
