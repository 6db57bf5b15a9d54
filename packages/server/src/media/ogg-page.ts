/**
 * Ogg pages (RFC 3533): packets laced into 255-byte segments behind a 27-byte header
 * carrying the granule position, the stream serial, a page counter and a CRC-32 (poly
 * 0x04C11DB7, unreflected, no final xor — not the zlib CRC).
 */

export const OGG_CONTINUED = 0x01;
export const OGG_BOS = 0x02;
export const OGG_EOS = 0x04;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

export function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ bytes[i]) & 0xff]) >>> 0;
  return crc;
}

/** Lacing values for packets of these lengths: 255s, then the remainder (0 if it divides). */
export function lacing(lengths: readonly number[]): number[] {
  const out: number[] = [];
  for (const len of lengths) {
    for (let left = len; ; left -= 255) {
      if (left < 255) {
        out.push(left);
        break;
      }
      out.push(255);
    }
  }
  return out;
}

export interface OggPageFields {
  flags: number;
  /** Granule position after the last packet completed on this page (-1: none completes). */
  granule: bigint;
  serial: number;
  sequence: number;
  packets: readonly Uint8Array[];
}

/** One page holding whole packets (at most 255 lacing values: the caller splits pages). */
export function buildOggPage(p: OggPageFields): Buffer {
  const segments = lacing(p.packets.map((x) => x.length));
  if (segments.length > 255) throw new RangeError(`an Ogg page holds 255 segments, not ${segments.length}`);
  const bodyLength = p.packets.reduce((n, x) => n + x.length, 0);
  const page = Buffer.alloc(27 + segments.length + bodyLength);
  page.write('OggS', 0, 'latin1');
  page[4] = 0; // stream structure version
  page[5] = p.flags;
  page.writeBigInt64LE(p.granule, 6);
  page.writeUInt32LE(p.serial >>> 0, 14);
  page.writeUInt32LE(p.sequence >>> 0, 18);
  page[26] = segments.length;
  page.set(segments, 27);
  let at = 27 + segments.length;
  for (const x of p.packets) {
    page.set(x, at);
    at += x.length;
  }
  page.writeUInt32LE(oggCrc(page), 22); // computed with the CRC field still zero
  return page;
}
