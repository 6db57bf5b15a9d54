/** Codecs by the name SDP gives them (rtpmap encoding name), for whoever negotiated one. */
import type { AudioCodec, CodecName, CodecOptions } from './codec.js';
import { G711Codec } from './g711-codec.js';
import { OpusCodec } from './opus-codec.js';

export function createCodec(name: CodecName, opts: CodecOptions = {}): AudioCodec {
  switch (name) {
    case 'pcmu':
      return new G711Codec('ulaw', opts);
    case 'pcma':
      return new G711Codec('alaw', opts);
    case 'opus':
      return new OpusCodec(opts);
  }
}

/** The codec an SDP rtpmap encoding name (case-insensitive, RFC 4566) denotes, or null. */
export function codecNameFromRtpmap(encoding: string): CodecName | null {
  const e = encoding.toLowerCase();
  return e === 'pcmu' || e === 'pcma' || e === 'opus' ? e : null;
}
