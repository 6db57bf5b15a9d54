/**
 * name-addr / addr-spec values with header parameters: From, To, Contact,
 * Route, Record-Route (RFC 3261 20.10, 20.20, 20.30, 20.34, 20.39, 25.1).
 */
import { badHeader, isTokenChar, MAX_UINT32, isWsp, quote, readParams, readQuoted, serializeParams, skipWs, type Params } from './grammar.js';
import { parseUri, serializeUri, type Uri } from './uri.js';

export class NameAddr {
  constructor(
    public uri: Uri,
    /** Unescaped display name; undefined when absent. */
    public displayName?: string,
    /** Header parameters (tag, expires, q, lr...), names lower-case, values raw. */
    public params: Params = new Map(),
  ) {}

  /** The dialog tag of From/To (RFC 3261 19.3). */
  get tag(): string | undefined {
    return this.params.get('tag') ?? undefined;
  }

  set tag(value: string | undefined) {
    if (value === undefined) this.params.delete('tag');
    else this.params.set('tag', value);
  }

  /** Contact expires parameter in seconds (RFC 3261 20.10); undefined when absent or not a number. */
  get expires(): number | undefined {
    const v = this.params.get('expires');
    // Out-of-range values (scalar02.dat) are treated as absent, so the registrar's default applies (RFC 4475 3.1.2.4).
    return v != null && /^\d{1,10}$/.test(v) && Number(v) <= MAX_UINT32 ? Number(v) : undefined;
  }

  /** Contact q preference 0..1 (RFC 3261 20.10). */
  get q(): number | undefined {
    const v = this.params.get('q');
    return v != null && /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(v) ? Number(v) : undefined;
  }

  toString(): string {
    const name = this.displayName === undefined ? '' : quote(this.displayName) + ' ';
    // Always use angle brackets: required whenever the URI has ',', ';' or '?' (RFC 3261 20.10), harmless otherwise.
    return `${name}<${serializeUri(this.uri)}>${serializeParams(this.params)}`;
  }
}

/**
 * Parses one name-addr or addr-spec followed by header parameters. A bare
 * addr-spec ends at the first ';' (those are header parameters) and may not
 * contain '?' (RFC 3261 20.10; regbadct.dat). `angleOnly` enforces the
 * name-addr form that Route and Record-Route require.
 */
export function parseNameAddr(value: string, angleOnly = false): NameAddr {
  const s = value;
  let i = skipWs(s, 0);
  let displayName: string | undefined;
  if (s.charCodeAt(i) === 0x22) {
    const q = readQuoted(s, i);
    displayName = q.text;
    i = skipWs(s, q.end);
    if (s.charCodeAt(i) !== 0x3c) throw badHeader('display name must be followed by <URI>');
  } else {
    // *(token LWS) before '<' is a display name; anything else must be an addr-spec.
    let j = i;
    while (j < s.length && (isTokenChar(s.charCodeAt(j)) || isWsp(s.charCodeAt(j)))) j++;
    if (s.charCodeAt(j) === 0x3c) {
      const words = s.slice(i, j).trim();
      if (words !== '') displayName = words.split(/[ \t]+/).join(' ');
      i = j;
    }
  }
  let uriText: string;
  let end: number;
  if (s.charCodeAt(i) === 0x3c) {
    const close = s.indexOf('>', i);
    if (close === -1) throw badHeader('missing ">"');
    // LAQUOT/RAQUOT allow no whitespace inside the brackets (badaspec.dat); parseUri rejects it.
    uriText = s.slice(i + 1, close);
    end = close + 1;
  } else {
    if (angleOnly) throw badHeader('URI must be enclosed in <>');
    end = i;
    while (end < s.length && s.charCodeAt(end) !== 0x3b && !isWsp(s.charCodeAt(end))) end++;
    uriText = s.slice(i, end);
    if (uriText.includes('?') || uriText.includes(',')) throw badHeader('URI with "?" or "," must be enclosed in <>');
  }
  const addr = new NameAddr(parseUri(uriText), displayName);
  readParams(s, end, addr.params);
  return addr;
}
