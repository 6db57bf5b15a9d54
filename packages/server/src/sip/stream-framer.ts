/**
 * Cuts a TCP/TLS byte stream into SIP messages (RFC 3261 18.3): the header
 * section ends at the first empty line and Content-Length gives the body size.
 * Frames are handed over as Buffers for parseMessage(); a stream that cannot
 * be framed (bad Content-Length, oversize) throws, and the connection must be
 * closed since the next message boundary is unknown.
 */
import { SipParseError } from './errors.js';
import { MAX_UINT32, parseUnsigned } from './grammar.js';
import { findHeaderEnd } from './parser.js';

export interface SipStreamFramerOptions {
  /** Largest message accepted, headers and body together (default 65535). */
  maxMessageSize?: number;
  onMessage: (frame: Buffer) => void;
  /** RFC 5626 3.5.1 CRLF keep-alive: a double CRLF between messages is a ping to be answered with a single CRLF. */
  onKeepAlive?: () => void;
}

const CONTENT_LENGTH_LINE = /^(?:content-length|l)[ \t]*:[ \t]*(.*?)[ \t]*\r?$/gim;

/** Content-Length of a header section; absent means no body (RFC 3261 18.3 makes it mandatory on streams). */
function frameContentLength(head: string): number {
  let length: number | undefined;
  for (const m of head.matchAll(CONTENT_LENGTH_LINE)) {
    let n: number;
    try {
      n = parseUnsigned(m[1], MAX_UINT32, 'Content-Length');
    } catch (e) {
      throw new SipParseError('sip_bad_content_length', (e as Error).message);
    }
    if (length !== undefined && length !== n) throw new SipParseError('sip_bad_content_length', 'conflicting Content-Length values');
    length = n;
  }
  return length ?? 0;
}

export class SipStreamFramer {
  private readonly max: number;
  private data = Buffer.allocUnsafe(4096);
  private start = 0;
  private end = 0;
  /** Where to resume looking for the end of headers, so byte-by-byte input stays linear. */
  private scanFrom = 0;
  /** Total frame length once the header section of the current message is known. */
  private frameLength: number | undefined;
  /** Consecutive CR/LF octets seen between messages. */
  private crlfRun = 0;

  constructor(private readonly opts: SipStreamFramerOptions) {
    this.max = opts.maxMessageSize ?? 65535;
  }

  /** The bytes of the message being received (at most `max`): what a 513 is built from. */
  pendingHead(): Buffer {
    return Buffer.from(this.data.subarray(this.start, Math.min(this.end, this.start + this.max)));
  }

  /** Bytes received and not yet emitted. */
  get buffered(): number {
    return this.end - this.start;
  }

  push(chunk: Buffer): void {
    this.append(chunk);
    for (;;) {
      if (this.frameLength === undefined && !this.readHead()) return;
      const length = this.frameLength as number;
      if (this.buffered < length) return;
      const frame = Buffer.from(this.data.subarray(this.start, this.start + length));
      this.start += length;
      this.scanFrom = this.start;
      this.frameLength = undefined;
      this.opts.onMessage(frame);
    }
  }

  private append(chunk: Buffer): void {
    if (this.start === this.end) this.start = this.end = this.scanFrom = 0;
    if (this.end + chunk.length > this.data.length) {
      // Compact to the front; grow (doubling) only when the live bytes need it, keeping appends amortised O(1).
      const live = this.end - this.start;
      const needed = live + chunk.length;
      const target = needed > this.data.length / 2 ? Buffer.allocUnsafe(needed * 2) : this.data;
      this.data.copy(target, 0, this.start, this.end);
      this.scanFrom -= this.start;
      this.start = 0;
      this.end = live;
      this.data = target;
    }
    chunk.copy(this.data, this.end);
    this.end += chunk.length;
  }

  /** Skips keep-alives, finds the header section and sets frameLength; false when more bytes are needed. */
  private readHead(): boolean {
    while (this.start < this.end && (this.data[this.start] === 0x0d || this.data[this.start] === 0x0a)) {
      this.start++;
      if (++this.crlfRun === 4) {
        this.crlfRun = 0;
        this.opts.onKeepAlive?.();
      }
    }
    if (this.start === this.end) return false;
    this.crlfRun = 0;
    if (this.scanFrom < this.start) this.scanFrom = this.start;
    const view = this.data.subarray(0, this.end);
    const bounds = findHeaderEnd(view, Math.max(this.start, this.scanFrom - 3));
    if (!bounds) {
      this.scanFrom = this.end;
      if (this.buffered > this.max) throw new SipParseError('sip_too_large', `header section exceeds ${this.max} bytes`);
      return false;
    }
    const length = bounds.bodyStart - this.start + frameContentLength(this.data.toString('latin1', this.start, bounds.end));
    if (length > this.max) throw new SipParseError('sip_too_large', `message of ${length} bytes exceeds ${this.max}`);
    this.frameLength = length;
    return true;
  }
}
