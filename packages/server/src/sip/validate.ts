/**
 * Semantic checks a UAS or registrar makes on a syntactically valid request
 * before acting on it (RFC 3261 8.2), and the sanity checks on a response
 * before it is matched to a transaction (RFC 3261 8.1.3, 18.1.2).
 */
import { SipParseError } from './errors.js';
import { canonicalName, SINGLETON_HEADERS } from './header-names.js';
import * as h from './message.js';
import { SIP_VERSION, type SipMessage, type SipRequest, type SipResponse } from './message.js';

/** The response a request deserves instead of processing, with any headers it must carry. */
export interface Verdict {
  status: number;
  reason: string;
  headers?: Array<[name: string, value: string]>;
}

export interface ValidateOptions {
  /** Option tags this element implements (RFC 3261 8.2.2.3); others in Require get 420. */
  supported?: readonly string[];
  /** Request-URI schemes handled (RFC 3261 8.2.2.1); others get 416. Default sip, sips, tel. */
  uriSchemes?: readonly string[];
  /** Body types understood for session methods (RFC 3261 8.2.3). Default application/sdp, multipart/mixed. */
  contentTypes?: readonly string[];
}

/** Methods whose body this element must understand to process them. */
const SESSION_METHODS = new Set(['INVITE', 'ACK', 'UPDATE', 'PRACK']);

/** Header accessors whose parse failure makes a request malformed, by header name. */
const TYPED: Array<[string, (m: SipMessage) => unknown]> = [
  ['Via', h.getVias],
  ['From', h.getFrom],
  ['To', h.getTo],
  ['Call-ID', h.getCallId],
  ['CSeq', h.getCSeq],
  ['Max-Forwards', h.getMaxForwards],
  ['Content-Length', h.getContentLength],
  ['Content-Type', h.getContentType],
  ['Expires', h.getExpires],
  ['Contact', h.getContacts],
  ['Route', h.getRoutes],
  ['Record-Route', h.getRecordRoutes],
  ['Require', h.getRequire],
  ['Proxy-Require', h.getProxyRequire],
  ['Date', h.getDate],
];

const bad = (reason: string): Verdict => ({ status: 400, reason });

/** First malformed or duplicated header, as a 400 reason; RFC 4475 3.1.2 and 3.3.8/3.3.9 cases. */
function structuralProblem(msg: SipMessage, mandatory: readonly string[]): string | undefined {
  for (const name of SINGLETON_HEADERS) if (msg.headers.count(name) > 1) return `Multiple ${canonicalName(name)} headers`;
  for (const name of mandatory) if (!msg.headers.has(name)) return `Missing ${name} header`;
  for (const [name, accessor] of TYPED) {
    try {
      accessor(msg);
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      return `Malformed ${name} header: ${e.message}`;
    }
  }
  return undefined;
}

function mediaTypeMatches(range: string, type: string): boolean {
  if (range === '*/*' || range === type) return true;
  return range.endsWith('/*') && type.startsWith(range.slice(0, -1));
}

/**
 * Checks a request in the order of RFC 3261 8.2: version, mandatory and
 * single-valued headers, CSeq, Max-Forwards, Request-URI scheme, Require,
 * body type. Returns the error response to send, or null when the request
 * may be processed. (ACK never gets a response: callers drop instead.)
 */
export function validateRequest(req: SipRequest, opts: ValidateOptions = {}): Verdict | null {
  // RFC 3261 8.2 is silent on other versions; 505 is the registered answer (badvers.dat).
  if (req.version !== SIP_VERSION) return { status: 505, reason: 'Version Not Supported' };
  // Max-Forwards is mandatory for RFC 3261 UACs but absent from RFC 2543 requests, which must be accepted (inv2543.dat).
  const problem = structuralProblem(req, ['Via', 'From', 'To', 'Call-ID', 'CSeq']);
  if (problem) return bad(problem);
  const cseq = h.getCSeq(req);
  if (cseq?.method !== req.method) return bad('CSeq method does not match the Request-Line');
  if (h.getMaxForwards(req) === 0) return { status: 483, reason: 'Too Many Hops' };

  const schemes = opts.uriSchemes ?? ['sip', 'sips', 'tel'];
  const scheme = req.uri.kind === 'sip' ? req.uri.scheme : req.uri.kind === 'tel' ? 'tel' : req.uri.scheme;
  if (!schemes.includes(scheme)) return { status: 416, reason: 'Unsupported URI Scheme' };

  // RFC 3261 8.2.2.3: Require is not checked for CANCEL and ACK.
  if (req.method !== 'CANCEL' && req.method !== 'ACK') {
    const supported = new Set((opts.supported ?? []).map((t) => t.toLowerCase()));
    const unsupported = h.getRequire(req).filter((t) => !supported.has(t.toLowerCase()));
    if (unsupported.length > 0) return { status: 420, reason: 'Bad Extension', headers: [['Unsupported', unsupported.join(', ')]] };
  }

  if (SESSION_METHODS.has(req.method)) {
    const accepted = opts.contentTypes ?? ['application/sdp', 'multipart/mixed'];
    const type = h.getContentType(req);
    if (req.body.length > 0 && (type === undefined || !accepted.includes(type))) {
      return { status: 415, reason: 'Unsupported Media Type', headers: [['Accept', accepted.join(', ')]] };
    }
    // A response body must be one of Accept's types; without SDP there is no answer to give (sdp01.dat, RFC 3261 21.4.7).
    const accept = h.getAccept(req);
    if (req.method === 'INVITE' && accept.length > 0 && !accept.some((r) => accepted.some((t) => mediaTypeMatches(r, t)))) {
      return { status: 406, reason: 'Not Acceptable', headers: [['Warning', '399 - "No acceptable response body type"']] };
    }
  }
  return null;
}

/**
 * Checks a received response; returns why it must be discarded (RFC 3261
 * 18.1.2: malformed responses are dropped, never answered), or null.
 */
export function validateResponse(res: SipResponse): string | null {
  if (res.version !== SIP_VERSION) return 'unsupported SIP version';
  return structuralProblem(res, ['Via', 'From', 'To', 'Call-ID', 'CSeq']) ?? null;
}
