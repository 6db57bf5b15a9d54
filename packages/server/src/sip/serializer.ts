/** Turning messages into octets, and building a response to a request (RFC 3261 7, 8.2.6). */
import { newTag } from './ids.js';
import { getTo, getVias, SIP_VERSION, SipHeaders, type SipMessage, type SipResponse } from './message.js';
import { reasonPhrase } from './reason-phrases.js';
import { serializeUri } from './uri.js';

/**
 * Serializes a message. Content-Length is always written from the body
 * actually carried (RFC 3261 20.14: mandatory on stream transports), replacing
 * any stale value.
 */
export function serializeMessage(msg: SipMessage): Buffer {
  let head =
    msg.kind === 'request'
      ? `${msg.method} ${serializeUri(msg.uri)} ${msg.version}\r\n`
      : `${msg.version} ${msg.status} ${msg.reason}\r\n`;
  for (const f of msg.headers) {
    if (f.key !== 'content-length') head += `${f.name}: ${f.value}\r\n`;
  }
  head += `Content-Length: ${msg.body.length}\r\n\r\n`;
  const headLength = Buffer.byteLength(head);
  const out = Buffer.allocUnsafe(headLength + msg.body.length);
  out.write(head, 0, headLength, 'utf8');
  msg.body.copy(out, headLength);
  return out;
}

/** What a response must echo from its request (RFC 3261 8.2.6.2). */
const COPIED = ['via', 'from', 'to', 'call-id', 'cseq'];

/**
 * Whether a response can be built for this request: a response travels back
 * along the top Via, and must echo From, To, Call-ID and CSeq (RFC 3261 8.2.6.2,
 * 18.2.2). When false the request can only be dropped.
 */
export function canRespond(request: { headers: SipHeaders }): boolean {
  if (!COPIED.every((name) => request.headers.has(name))) return false;
  try {
    getVias(request as SipMessage);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds a response to `request` per RFC 3261 8.2.6: Via (all, in order),
 * From, To, Call-ID and CSeq copied; a To tag added to anything but 100 when
 * the request had none (8.2.6.2); Timestamp echoed in 100 Trying (8.2.6.1).
 * Accepts a partially parsed request (SipParseError.partial) for 400s.
 */
export function createResponse(
  request: { headers: SipHeaders },
  status: number,
  reason: string = reasonPhrase(status),
  toTag?: string,
): SipResponse {
  const headers = new SipHeaders();
  for (const f of request.headers) {
    if (COPIED.includes(f.key) || (status === 100 && f.key === 'timestamp')) headers.append(f.name, f.value);
  }
  const response: SipResponse = { kind: 'response', version: SIP_VERSION, status, reason, headers, body: Buffer.alloc(0) };
  if (status > 100) {
    let to;
    try {
      to = getTo(response);
    } catch {
      // A malformed To (quotbal.dat) is echoed as is: tagging it would mean rewriting it.
    }
    if (to && to.tag === undefined) {
      to.tag = toTag ?? newTag();
      headers.set('to', to.toString());
    }
  }
  return response;
}
