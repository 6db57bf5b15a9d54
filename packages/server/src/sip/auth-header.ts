/**
 * Authorization, Proxy-Authorization, WWW-Authenticate and Proxy-Authenticate
 * values: `scheme` followed by comma-separated auth-params (RFC 3261 25.1,
 * RFC 7235 2.1). The Digest semantics live in digest.ts.
 */
import { badHeader, isToken, isTokenChar, quote, readQuoted, skipWs } from './grammar.js';

export interface AuthHeader {
  /** As sent, e.g. "Digest"; compare case-insensitively. */
  scheme: string;
  /** auth-params, names lower-case, values unquoted. */
  params: Map<string, string>;
  /** RFC 7235 token68 form (e.g. "Bearer abc.def") when the scheme carries no auth-params. */
  token68?: string;
}

const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

export function parseAuthHeader(value: string): AuthHeader {
  const s = value.trim();
  const sp = s.search(/[ \t]/);
  const scheme = sp === -1 ? s : s.slice(0, sp);
  if (!isToken(scheme)) throw badHeader('invalid authentication scheme');
  const auth: AuthHeader = { scheme, params: new Map() };
  if (sp === -1) return auth;
  let i = skipWs(s, sp);
  if (TOKEN68.test(s.slice(i)) && !/=[^=]/.test(s.slice(i))) {
    auth.token68 = s.slice(i);
    return auth;
  }
  while (i < s.length) {
    const nameStart = i;
    while (i < s.length && isTokenChar(s.charCodeAt(i))) i++;
    const name = s.slice(nameStart, i).toLowerCase();
    if (name === '') throw badHeader('invalid auth-param');
    i = skipWs(s, i);
    if (s[i] !== '=') throw badHeader(`auth-param ${name} has no value`);
    i = skipWs(s, i + 1);
    let val: string;
    if (s[i] === '"') {
      const q = readQuoted(s, i);
      val = q.text;
      i = q.end;
    } else {
      const start = i;
      while (i < s.length && s[i] !== ',' && s[i] !== ' ' && s[i] !== '\t') i++;
      val = s.slice(start, i);
      if (!isToken(val)) throw badHeader(`auth-param ${name} has an invalid value`);
    }
    auth.params.set(name, val);
    i = skipWs(s, i);
    if (i < s.length) {
      if (s[i] !== ',') throw badHeader('auth-params must be separated by ","');
      i = skipWs(s, i + 1);
    }
  }
  return auth;
}

/**
 * Serializes an auth header; parameters in `tokenParams` are written bare
 * (RFC 2617 3.2.2: algorithm, nc, qop in credentials, stale), others quoted.
 */
export function serializeAuthHeader(auth: AuthHeader, tokenParams: ReadonlySet<string>): string {
  if (auth.token68 !== undefined) return `${auth.scheme} ${auth.token68}`;
  const parts: string[] = [];
  for (const [name, value] of auth.params) parts.push(`${name}=${tokenParams.has(name) && isToken(value) ? value : quote(value)}`);
  return parts.length === 0 ? auth.scheme : `${auth.scheme} ${parts.join(', ')}`;
}
