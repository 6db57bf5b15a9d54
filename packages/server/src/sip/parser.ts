/**
 * Parsing one SIP message from octets (RFC 3261 7). This layer checks framing,
 * the start line and header-field syntax; typed header values are parsed lazily
 * by the accessors in message.ts and semantics are judged by validate.ts.
 */
import { SipParseError, type SipParseErrorCode } from './errors.js';
import { isToken, isWsp, MAX_UINT32, parseUnsigned, splitTopLevel, trimWs } from './grammar.js';
import { LIST_HEADERS, resolveHeaderName } from './header-names.js';
import { SipHeaders, type SipMessage } from './message.js';
import { canRespond } from './serializer.js';
import { parseUri } from './uri.js';

const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');

/** Where the header section ends: `end` is the index of the blank line, `bodyStart` the first body octet. */
export function findHeaderEnd(buf: Buffer, from: number): { end: number; bodyStart: number } | undefined {
  const crlf = buf.indexOf(CRLFCRLF, from);
  // Bare LF line ends are not RFC 3261 but common enough to tolerate (RFC 3261 7.5 robustness);
  // only the header section is searched for them, never the body.
  const lf = (crlf === -1 ? buf : buf.subarray(0, crlf)).indexOf(LFLF, from);
  if (lf !== -1) return { end: buf[lf - 1] === 0x0d ? lf - 1 : lf, bodyStart: lf + 2 };
  if (crlf !== -1) return { end: crlf, bodyStart: crlf + 4 };
  return undefined;
}

/** Index of the first octet after leading CRLFs, which RFC 3261 7.5 says to ignore. */
function skipLeadingCrlf(buf: Buffer, from = 0): number {
  while (from < buf.length && (buf[from] === 0x0d || buf[from] === 0x0a)) from++;
  return from;
}

const VERSION = /^SIP\/\d{1,3}\.\d{1,3}$/i;

function fail(code: SipParseErrorCode, message: string): never {
  throw new SipParseError(code, message);
}

type StartLine =
  | { kind: 'request'; method: string; uriText: string; version: string }
  | { kind: 'response'; version: string; status: number; reason: string };

/** Request-Line = Method SP Request-URI SP SIP-Version; Status-Line = SIP-Version SP Status-Code SP Reason-Phrase. */
function parseStartLine(line: string): StartLine {
  if (line.length >= 4 && line.slice(0, 4).toUpperCase() === 'SIP/') {
    const sp1 = line.indexOf(' ');
    const version = sp1 === -1 ? line : line.slice(0, sp1);
    if (!VERSION.test(version)) fail('sip_bad_version', 'malformed SIP version in status line');
    const sp2 = line.indexOf(' ', sp1 + 1);
    const code = line.slice(sp1 + 1, sp2 === -1 ? undefined : sp2);
    // Status-Code is exactly 3 digits, 100..699 (RFC 3261 7.2; bigcode.dat).
    if (!/^[1-6]\d\d$/.test(code)) fail('sip_bad_start_line', 'invalid status code');
    return { kind: 'response', version: version.toUpperCase(), status: Number(code), reason: sp2 === -1 ? '' : line.slice(sp2 + 1) };
  }
  // Exactly one SP between the three elements (lwsstart.dat, trws.dat, lwsruri.dat).
  const parts = line.split(' ');
  if (parts.length !== 3 || parts.some((p) => p === '')) fail('sip_bad_start_line', 'Request-Line must be "Method SP Request-URI SP SIP-Version"');
  const [method, uriText, version] = parts;
  if (!isToken(method)) fail('sip_bad_start_line', 'method is not a token');
  if (!VERSION.test(version)) fail('sip_bad_version', 'malformed SIP version in Request-Line');
  return { kind: 'request', method, uriText, version: version.toUpperCase() };
}

const HEADER_NAME = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** Adds one unfolded header line; list headers become one field per element (RFC 3261 7.3.1). */
function addHeaderLine(line: string, headers: SipHeaders): void {
  const colon = line.indexOf(':');
  if (colon === -1) fail('sip_bad_header', 'header line without ":"');
  let nameEnd = colon;
  while (nameEnd > 0 && isWsp(line.charCodeAt(nameEnd - 1))) nameEnd--;
  const name = line.slice(0, nameEnd);
  if (!HEADER_NAME.test(name)) fail('sip_bad_header', 'header name is not a token');
  const value = trimWs(line.slice(colon + 1));
  if (LIST_HEADERS.has(resolveHeaderName(name).key)) {
    for (const element of splitTopLevel(value)) headers.append(name, element);
  } else {
    headers.append(name, value);
  }
}

/** Splits the header section into fields, undoing line folding (RFC 3261 7.3.1). */
function parseHeaderLines(text: string, from: number, headers: SipHeaders): void {
  let pending: string | undefined;
  let i = from;
  while (i < text.length) {
    let nl = text.indexOf('\n', i);
    if (nl === -1) nl = text.length;
    const line = text.slice(i, nl > i && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl);
    i = nl + 1;
    if (line.indexOf('\r') !== -1) fail('sip_bad_header', 'bare CR in header section');
    if (isWsp(line.charCodeAt(0))) {
      // A continuation line: folding is replaced by a single SP.
      if (pending === undefined) fail('sip_bad_header', 'continuation line before the first header');
      pending += ' ' + trimWs(line);
    } else {
      if (pending !== undefined) addHeaderLine(pending, headers);
      pending = line;
    }
  }
  if (pending !== undefined) addHeaderLine(pending, headers);
}

/** Content-Length from the headers; conflicting copies make the message unframeable (mcl01.dat). */
function contentLength(headers: SipHeaders): number | undefined {
  const values = headers.getAll('content-length');
  if (values.length === 0) return undefined;
  const numbers = values.map((v) => {
    try {
      return parseUnsigned(v, MAX_UINT32, 'Content-Length');
    } catch (e) {
      // Negative or junk lengths (ncl.dat) make the message unframeable.
      return fail('sip_bad_content_length', (e as Error).message);
    }
  });
  if (numbers.some((n) => n !== numbers[0])) fail('sip_bad_content_length', 'conflicting Content-Length values');
  return numbers[0];
}

/**
 * Parses one message held in `buf` (a UDP datagram, or a frame cut by
 * SipStreamFramer). With Content-Length, octets beyond the body are ignored
 * (RFC 3261 18.3, dblreq.dat); without it the body is the rest of the buffer.
 * The body is a view into `buf`, not a copy. Throws SipParseError.
 */
export function parseMessage(buf: Buffer): SipMessage {
  const start = skipLeadingCrlf(buf);
  const bounds = findHeaderEnd(buf, start);
  if (!bounds) fail('sip_truncated', 'no empty line after the header section');
  const text = buf.toString('utf8', start, bounds.end);
  const firstNl = text.indexOf('\n');
  const firstLine = firstNl === -1 ? text : text.slice(0, firstNl > 0 && text.charCodeAt(firstNl - 1) === 0x0d ? firstNl - 1 : firstNl);
  const headers = new SipHeaders();
  let startLine: StartLine | undefined;
  try {
    startLine = parseStartLine(firstLine);
    parseHeaderLines(text, firstNl === -1 ? text.length : firstNl + 1, headers);
    const length = contentLength(headers);
    if (length !== undefined && bounds.bodyStart + length > buf.length) fail('sip_truncated', 'body shorter than Content-Length');
    const body = buf.subarray(bounds.bodyStart, length === undefined ? buf.length : bounds.bodyStart + length);
    if (startLine.kind === 'response') {
      const { version, status, reason } = startLine;
      return { kind: 'response', version, status, reason, headers, body };
    }
    const uri = parseUri(startLine.uriText);
    // Headers are not allowed in a Request-URI (RFC 3261 19.1.1 table; escruri.dat).
    if (uri.kind === 'sip' && uri.headers.length > 0) fail('sip_bad_uri', 'Request-URI must not carry headers');
    return { kind: 'request', method: startLine.method, uri, version: startLine.version, headers, body };
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    throw withResponseHint(e, startLine, firstLine, text, firstNl, headers);
  }
}

/**
 * Adds to a parse error whether a 400 can be sent. After a bad start line the
 * header section is still read, since it decides that. Only requests get a 400;
 * a bad response is silently discarded (RFC 3261 18.1.2).
 */
function withResponseHint(e: SipParseError, startLine: StartLine | undefined, firstLine: string, text: string, firstNl: number, headers: SipHeaders): SipParseError {
  const isRequest = startLine ? startLine.kind === 'request' : !/^SIP\//i.test(firstLine);
  if (!isRequest) return e;
  if (!startLine) {
    try {
      parseHeaderLines(text, firstNl === -1 ? text.length : firstNl + 1, headers);
    } catch (inner) {
      if (!(inner instanceof SipParseError)) throw inner;
    }
  }
  const respondable = canRespond({ headers });
  return new SipParseError(e.code, e.message, { respondable, partial: respondable ? { headers } : undefined });
}
