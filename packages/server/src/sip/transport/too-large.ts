/**
 * 513 Message Too Large (RFC 3261 21.5.14) for a request we will not read: built from
 * the complete header lines received so far, so the sender learns why rather than
 * seeing its connection drop. Null when those lines cannot be answered (a response,
 * or Via/From/To/Call-ID/CSeq not among them).
 */
import { SipParseError } from '../errors.js';
import { findHeaderEnd, parseMessage } from '../parser.js';
import { canRespond, createResponse, serializeMessage } from '../serializer.js';

const END = Buffer.from('\r\n\r\n');

export function tooLargeResponse(head: Buffer): Buffer | null {
  // The header section may have been cut anywhere: keep whole lines only, and no body.
  const end = findHeaderEnd(head, 0)?.end ?? head.lastIndexOf(0x0a);
  if (end <= 0) return null;
  let headers;
  try {
    const msg = parseMessage(Buffer.concat([head.subarray(0, end), END]));
    if (msg.kind !== 'request') return null;
    headers = msg.headers;
  } catch (e) {
    // Content-Length promises a body we dropped: the parse fails, but the part it read is answerable.
    if (!(e instanceof SipParseError) || !e.partial) return null;
    headers = e.partial.headers;
  }
  if (!canRespond({ headers })) return null;
  try {
    return serializeMessage(createResponse({ headers }, 513, 'Message Too Large'));
  } catch {
    return null;
  }
}
