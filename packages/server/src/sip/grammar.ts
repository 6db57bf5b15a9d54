/**
 * Lexical building blocks of the RFC 3261 section 25 grammar shared by the
 * header-value parsers: character classes, quoted strings, generic parameters
 * and top-level comma splitting.
 */
import { SipParseError } from './errors.js';

function charClass(chars: string, ranges: Array<[number, number]> = []): Uint8Array {
  const table = new Uint8Array(128);
  for (const ch of chars) table[ch.charCodeAt(0)] = 1;
  for (const [lo, hi] of ranges) for (let c = lo; c <= hi; c++) table[c] = 1;
  return table;
}

const ALNUM: Array<[number, number]> = [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]];
/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
const TOKEN = charClass("-.!%*_+`'~", ALNUM);
/** Characters of a gen-value that is a host (IPv6 reference included) rather than a token. */
const HOST_VALUE = charClass("-.!%*_+`'~[]:", ALNUM);

export function isTokenChar(code: number): boolean {
  return code < 128 && TOKEN[code] === 1;
}

export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}

export function isWsp(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** Removes leading and trailing SP/HT only (String.prototype.trim would also eat U+FEFF and friends). */
export function trimWs(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWsp(s.charCodeAt(a))) a++;
  while (b > a && isWsp(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export function skipWs(s: string, i: number): number {
  while (i < s.length && isWsp(s.charCodeAt(i))) i++;
  return i;
}

export function badHeader(message: string): SipParseError {
  return new SipParseError('sip_bad_header', message);
}

/**
 * Reads a quoted-string starting at s[i] === '"'. Returns the unescaped text and
 * the index after the closing quote. quoted-pair may escape any octet except
 * CR and LF (RFC 3261 25.1), which is how intmeth.dat carries a raw NUL.
 */
export function readQuoted(s: string, i: number): { text: string; end: number } {
  let text = '';
  let j = i + 1;
  let runStart = j;
  for (; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x22) return { text: text + s.slice(runStart, j), end: j + 1 };
    if (c === 0x5c) {
      const next = s.charCodeAt(j + 1);
      if (j + 1 >= s.length || next === 0x0a || next === 0x0d) break;
      text += s.slice(runStart, j) + s[j + 1];
      j++;
      runStart = j + 1;
    } else if (c === 0x0a || c === 0x0d) {
      break;
    }
  }
  throw badHeader('unterminated quoted-string');
}

/** Quotes text as a quoted-string, escaping '"', '\' and control octets; CR/LF cannot be carried and become SP. */
export function quote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c === 0x0a || c === 0x0d) out += ' ';
    else if (c === 0x22 || c === 0x5c || c < 0x20 || c === 0x7f) out += '\\' + ch;
    else out += ch;
  }
  return out + '"';
}

/** Removes the quotes of a gen-value stored raw, unescaping quoted-pairs; tokens are returned unchanged. */
export function unquote(value: string): string {
  return value.charCodeAt(0) === 0x22 ? readQuoted(value, 0).text : value;
}

/**
 * Generic parameters (RFC 3261 25.1 generic-param), names lower-cased because they
 * compare case-insensitively; values kept raw (quoted strings keep their quotes)
 * so serialization is exact. `null` is a parameter without value (e.g. `lr`).
 */
export type Params = Map<string, string | null>;

/**
 * Parses `*( SEMI generic-param )` from s[i] to the end of s (whitespace allowed
 * around ';' and '=', RFC 3261 25.1 SEMI/EQUAL). Empty parameters (";;",
 * badinv01.dat) and trailing junk are rejected.
 */
export function readParams(s: string, i: number, params: Params): void {
  i = skipWs(s, i);
  while (i < s.length && s.charCodeAt(i) === 0x3b) {
    i = skipWs(s, i + 1);
    const nameStart = i;
    while (i < s.length && isTokenChar(s.charCodeAt(i))) i++;
    if (i === nameStart) throw badHeader('empty or invalid parameter name');
    const name = s.slice(nameStart, i).toLowerCase();
    i = skipWs(s, i);
    let value: string | null = null;
    if (s.charCodeAt(i) === 0x3d) {
      i = skipWs(s, i + 1);
      if (s.charCodeAt(i) === 0x22) {
        const end = readQuoted(s, i).end;
        value = s.slice(i, end);
        i = end;
      } else {
        const valueStart = i;
        while (i < s.length && s.charCodeAt(i) < 128 && HOST_VALUE[s.charCodeAt(i)] === 1) i++;
        if (i === valueStart) throw badHeader(`parameter ${name} has an empty value`);
        value = s.slice(valueStart, i);
      }
      i = skipWs(s, i);
    }
    params.set(name, value);
  }
  if (i < s.length) throw badHeader(`unexpected character ${JSON.stringify(s[i])} in parameters`);
}

export function serializeParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/**
 * Splits a list header value on commas that are not inside a quoted-string or
 * an <angle-bracketed> URI (RFC 3261 7.3.1), trimming each element and dropping
 * empty ones (RFC 7230 7: recipients accept empty list elements).
 */
export function splitTopLevel(value: string): string[] {
  if (value.indexOf(',') === -1) {
    const t = trimWs(value);
    return t === '' ? [] : [t];
  }
  const out: string[] = [];
  let inQuote = false;
  let inAngle = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inQuote = false;
    } else if (c === 0x22) inQuote = true;
    else if (c === 0x3c) inAngle = true;
    else if (c === 0x3e) inAngle = false;
    else if (c === 0x2c && !inAngle) {
      const part = trimWs(value.slice(start, i));
      if (part !== '') out.push(part);
      start = i + 1;
    }
  }
  const last = trimWs(value.slice(start));
  if (last !== '') out.push(last);
  return out;
}

/**
 * Parses an unsigned decimal of at most `max`; anything else (sign, junk,
 * overflow, as in scalar02.dat and ncl.dat) throws. Leading zeros are legal
 * ("0068" in wsinv.dat).
 */
export function parseUnsigned(text: string, max: number, what: string): number {
  if (text.length === 0) throw badHeader(`${what} is empty`);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) throw badHeader(`${what} is not a number`);
    n = n * 10 + d;
    if (n > max) throw badHeader(`${what} is too large`);
  }
  return n;
}

/** The largest CSeq sequence number (RFC 3261 8.1.1.5: less than 2**31). */
export const MAX_CSEQ = 2 ** 31 - 1;
/** delta-seconds and similar 32-bit scalars (RFC 3261 20.19). */
export const MAX_UINT32 = 2 ** 32 - 1;
