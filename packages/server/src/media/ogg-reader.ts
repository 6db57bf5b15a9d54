/**
 * Reads an Ogg file back into pages and packets (RFC 3533), checking every page's
 * capture pattern and CRC: to verify recordings and to feed Opus files made by other
 * tools (opusenc) to the decoder. Packets that continue across pages are joined.
 */
import { oggCrc } from './ogg-page.js';

export interface OggPage {
  flags: number;
  granule: bigint;
  serial: number;
  sequence: number;
  /** Packets completed on this page (a packet continued from earlier pages included whole). */
  packets: Buffer[];
}

export class OggFormatError extends Error {}

export function parseOggPages(file: Uint8Array): OggPage[] {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const pages: OggPage[] = [];
  let partial: Buffer[] = [];
  for (let at = 0; at < buf.length; ) {
    if (buf.length - at < 27 || buf.toString('latin1', at, at + 4) !== 'OggS') throw new OggFormatError(`no Ogg page at byte ${at}`);
    const segments = buf[at + 26];
    const table = buf.subarray(at + 27, at + 27 + segments);
    const size = 27 + segments + table.reduce((n, x) => n + x, 0);
    if (at + size > buf.length) throw new OggFormatError(`truncated page at byte ${at}`);
    const page = Buffer.from(buf.subarray(at, at + size));
    const crc = page.readUInt32LE(22);
    page.writeUInt32LE(0, 22);
    if (oggCrc(page) !== crc) throw new OggFormatError(`bad CRC in the page at byte ${at}`);
    const packets: Buffer[] = [];
    let body = at + 27 + segments;
    for (const lace of table) {
      partial.push(buf.subarray(body, body + lace));
      body += lace;
      if (lace < 255) {
        packets.push(Buffer.concat(partial));
        partial = [];
      }
    }
    pages.push({ flags: buf[at + 5], granule: buf.readBigInt64LE(at + 6), serial: buf.readUInt32LE(at + 14), sequence: buf.readUInt32LE(at + 18), packets });
    at += size;
  }
  return pages;
}

/** The audio packets of an Ogg/Opus file (after OpusHead and OpusTags), and its pre-skip. */
export function readOggOpus(file: Uint8Array): { preSkip: number; channels: number; packets: Buffer[] } {
  const packets = parseOggPages(file).flatMap((p) => p.packets);
  const head = packets[0];
  if (!head || head.toString('latin1', 0, 8) !== 'OpusHead') throw new OggFormatError('not an Ogg/Opus file (no OpusHead)');
  return { preSkip: head.readUInt16LE(10), channels: head[9], packets: packets.slice(2) };
}
