/**
 * MIME multipart bodies (RFC 2046 5.1, RFC 5621 for SIP): an INVITE that carries more
 * than its SDP — a location object, data blocks — sends `multipart/mixed` with the SDP
 * as one part. Parts are opaque here: the SIP layer only frames them.
 */
import { randomBytes } from 'node:crypto';

export interface BodyPart {
  contentType: string;
  /** `<id@host>` (RFC 2392), the angle brackets included. */
  contentId?: string;
  /** e.g. `render;handling=optional` (RFC 5621 3.2). */
  disposition?: string;
  /** Text, or bytes for a binary part (an eCall MSD): SIP bodies are 8-bit clean (RFC 3261 7.4). */
  body: string | Buffer;
}

export interface Multipart {
  contentType: string;
  body: Buffer;
}

/** Frames `parts` as multipart/mixed with a boundary that appears in none of them. */
export function buildMultipart(parts: readonly BodyPart[], subtype = 'mixed'): Multipart {
  let boundary: string;
  do boundary = `cs-${randomBytes(9).toString('base64url')}`;
  while (parts.some((p) => p.body.includes(boundary)));
  const out: Buffer[] = [];
  const line = (s: string) => out.push(Buffer.from(`${s}\r\n`, 'utf8'));
  for (const p of parts) {
    line(`--${boundary}`);
    line(`Content-Type: ${p.contentType}`);
    if (p.contentId) line(`Content-ID: ${p.contentId}`);
    if (p.disposition) line(`Content-Disposition: ${p.disposition}`);
    line('');
    out.push(typeof p.body === 'string' ? Buffer.from(p.body.replace(/\r?\n$/, ''), 'utf8') : p.body, Buffer.from('\r\n'));
  }
  line(`--${boundary}--`);
  return { contentType: `multipart/${subtype};boundary=${boundary}`, body: Buffer.concat(out) };
}

/** Splits a multipart body into its parts (headers lower-cased); undefined when `contentType` is not multipart or has no boundary. */
export function parseMultipart(contentType: string, body: string): { headers: Record<string, string>; body: string }[] | undefined {
  if (!/^multipart\//i.test(contentType.trim())) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return undefined;
  const parts: { headers: Record<string, string>; body: string }[] = [];
  const chunks = body.split(`--${boundary}`);
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break;
    const text = chunk.replace(/^\r?\n/, '');
    const sep = /\r?\n\r?\n/.exec(text);
    if (!sep) continue;
    const headers: Record<string, string> = {};
    for (const line of text.slice(0, sep.index).split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    parts.push({ headers, body: text.slice(sep.index + sep[0].length).replace(/\r?\n$/, '') });
  }
  return parts;
}

/** The SDP of a message body: the body itself, or its application/sdp part when multipart (RFC 5621). */
export function sdpOf(contentType: string | undefined, body: Buffer): Buffer {
  if (!contentType || !/^multipart\//i.test(contentType.trim())) return body;
  const part = parseMultipart(contentType, body.toString('utf8'))?.find((p) => /^application\/sdp\b/i.test(p.headers['content-type'] ?? ''));
  return part ? Buffer.from(part.body, 'utf8') : Buffer.alloc(0);
}
