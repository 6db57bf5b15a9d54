/**
 * Header field names: case-insensitive keys, compact forms (RFC 3261 7.3.3 and
 * the IANA registry), canonical spellings for output, and which headers are
 * comma-separated lists or must appear at most once.
 */

/** Compact form -> lower-case full name. */
const COMPACT: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  o: 'event',
  u: 'allow-events',
  r: 'refer-to',
  b: 'referred-by',
  x: 'session-expires',
  y: 'identity',
  a: 'accept-contact',
};

const CANONICAL = new Map<string, string>();
for (const name of [
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
  'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info', 'Contact', 'Content-Disposition',
  'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type', 'CSeq', 'Date', 'Error-Info',
  'Event', 'Expires', 'From', 'Identity', 'In-Reply-To', 'Max-Forwards', 'MIME-Version', 'Min-Expires',
  'Min-SE', 'Organization', 'P-Asserted-Identity', 'Path', 'Priority', 'Proxy-Authenticate',
  'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Record-Route', 'Refer-To', 'Referred-By',
  'Reply-To', 'Require', 'Retry-After', 'Route', 'RSeq', 'Server', 'Service-Route', 'Session-Expires',
  'Subject', 'Subscription-State', 'Supported', 'Timestamp', 'To', 'Unsupported', 'User-Agent', 'Via',
  'Warning', 'WWW-Authenticate',
]) {
  CANONICAL.set(name.toLowerCase(), name);
}

export interface HeaderName {
  /** Lower-case full name used as the lookup key (compact forms expanded). */
  key: string;
  /** Spelling used on output: the RFC's for known headers, the sender's for extensions. */
  display: string;
}

/**
 * Resolved names by spelling as received. Peers use a handful of spellings, so
 * this makes name handling one Map lookup per header; it is bounded so that a
 * peer inventing names cannot grow it without limit.
 */
const RESOLVED = new Map<string, HeaderName>();
const RESOLVED_MAX = 2048;

export function resolveHeaderName(name: string): HeaderName {
  let resolved = RESOLVED.get(name);
  if (resolved === undefined) {
    const lower = name.toLowerCase();
    const key = lower.length === 1 ? (COMPACT[lower] ?? lower) : lower;
    resolved = { key, display: CANONICAL.get(key) ?? name };
    if (RESOLVED.size < RESOLVED_MAX) RESOLVED.set(name, resolved);
  }
  return resolved;
}

export function headerKey(name: string): string {
  return resolveHeaderName(name).key;
}

export function canonicalName(name: string): string {
  return resolveHeaderName(name).display;
}

/**
 * Headers whose values are comma-separated lists (RFC 3261 7.3.1) and are split
 * into one entry per element when parsed. Authorization-style headers, Date and
 * unknown headers are not: their commas are not list separators.
 */
export const LIST_HEADERS: ReadonlySet<string> = new Set([
  'accept', 'accept-contact', 'accept-encoding', 'accept-language', 'alert-info', 'allow', 'allow-events',
  'call-info', 'contact', 'content-encoding', 'content-language', 'error-info', 'in-reply-to', 'path',
  'proxy-require', 'record-route', 'require', 'route', 'service-route', 'supported', 'unsupported', 'via',
  'warning',
]);

/** Headers that may appear at most once in a request (RFC 3261 7.3.1 and 20: not a list). */
export const SINGLETON_HEADERS: ReadonlySet<string> = new Set([
  'call-id', 'content-disposition', 'content-length', 'content-type', 'cseq', 'date', 'expires', 'from',
  'max-forwards', 'min-expires', 'mime-version', 'priority', 'reply-to', 'retry-after', 'subject',
  'timestamp', 'to',
]);
