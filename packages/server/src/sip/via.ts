/** Via header values (RFC 3261 20.42, 18.2.1; rport RFC 3581). */
import { badHeader, isTokenChar, isWsp, readParams, serializeParams, skipWs, type Params } from './grammar.js';
import { checkHost } from './uri.js';

/** The magic cookie that marks an RFC 3261 branch (RFC 3261 8.1.1.7). */
export const BRANCH_COOKIE = 'z9hG4bK';

export class Via {
  constructor(
    /** Upper-case transport: UDP, TCP, TLS, SCTP, WS, WSS or an extension. */
    public transport: string,
    public host: string,
    public port?: number,
    /** Via parameters, names lower-case, values raw. */
    public params: Params = new Map(),
    public protocol = 'SIP',
    public version = '2.0',
  ) {}

  get branch(): string | undefined {
    return this.params.get('branch') ?? undefined;
  }

  /** True when the branch carries the RFC 3261 magic cookie (and something after it, cf. badbranch.dat). */
  get isRfc3261Branch(): boolean {
    const b = this.branch;
    return b !== undefined && b.length > BRANCH_COOKIE.length && b.startsWith(BRANCH_COOKIE);
  }

  get received(): string | undefined {
    return this.params.get('received') ?? undefined;
  }

  /** RFC 3581: `true` when the client asks for rport (valueless), the port once a server filled it in. */
  get rport(): number | true | undefined {
    if (!this.params.has('rport')) return undefined;
    const v = this.params.get('rport');
    return v == null ? true : Number(v);
  }

  get maddr(): string | undefined {
    return this.params.get('maddr') ?? undefined;
  }

  get ttl(): number | undefined {
    const v = this.params.get('ttl');
    return v == null ? undefined : Number(v);
  }

  toString(): string {
    const port = this.port === undefined ? '' : `:${this.port}`;
    return `${this.protocol}/${this.version}/${this.transport} ${this.host}${port}${serializeParams(this.params)}`;
  }
}

function readToken(s: string, i: number, what: string): { token: string; end: number } {
  const start = i;
  while (i < s.length && isTokenChar(s.charCodeAt(i))) i++;
  if (i === start) throw badHeader(`Via: missing ${what}`);
  return { token: s.slice(start, i), end: i };
}

/** Expects SWS "/" SWS (RFC 3261 25.1 SLASH) at s[i]. */
function readSlash(s: string, i: number): number {
  i = skipWs(s, i);
  if (s.charCodeAt(i) !== 0x2f) throw badHeader('Via: malformed sent-protocol');
  return skipWs(s, i + 1);
}

/** Parses one via-parm: sent-protocol LWS sent-by *( SEMI via-params ). */
export function parseVia(s: string): Via {
  let i = skipWs(s, 0);
  const protocol = readToken(s, i, 'protocol name');
  i = readSlash(s, protocol.end);
  const version = readToken(s, i, 'protocol version');
  i = readSlash(s, version.end);
  const transport = readToken(s, i, 'transport');
  i = transport.end;
  if (!isWsp(s.charCodeAt(i))) throw badHeader('Via: missing sent-by');
  i = skipWs(s, i);
  let hostEnd: number;
  if (s.charCodeAt(i) === 0x5b) {
    hostEnd = s.indexOf(']', i) + 1;
    if (hostEnd === 0) throw badHeader('Via: unterminated IPv6 reference');
  } else {
    hostEnd = i;
    while (hostEnd < s.length && s.charCodeAt(hostEnd) !== 0x3a && s.charCodeAt(hostEnd) !== 0x3b && !isWsp(s.charCodeAt(hostEnd))) hostEnd++;
  }
  const host = s.slice(i, hostEnd);
  checkHost(host);
  i = skipWs(s, hostEnd);
  let port: number | undefined;
  if (s.charCodeAt(i) === 0x3a) {
    i = skipWs(s, i + 1);
    const start = i;
    while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
    if (i === start || i - start > 5 || Number(s.slice(start, i)) > 65535) throw badHeader('Via: invalid port');
    port = Number(s.slice(start, i));
  }
  const via = new Via(transport.token.toUpperCase(), host, port, new Map(), protocol.token.toUpperCase(), version.token);
  readParams(s, i, via.params);
  checkViaParams(via);
  return via;
}

/** Type checks of the parameters RFC 3261 20.42 / RFC 3581 give a syntax to. */
function checkViaParams(via: Via): void {
  const ttl = via.params.get('ttl');
  if (ttl !== undefined && (ttl === null || !/^\d{1,3}$/.test(ttl) || Number(ttl) > 255)) throw badHeader('Via: invalid ttl');
  const rport = via.params.get('rport');
  if (rport != null && (!/^\d{1,5}$/.test(rport) || Number(rport) > 65535)) throw badHeader('Via: invalid rport');
  for (const name of ['received', 'maddr', 'branch']) {
    if (via.params.has(name) && via.params.get(name) == null) throw badHeader(`Via: ${name} needs a value`);
  }
}
