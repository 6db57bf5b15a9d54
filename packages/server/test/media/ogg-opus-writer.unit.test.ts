import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OggOpusWriter } from '../../src/media/ogg-opus-writer.js';
import { OGG_BOS, OGG_EOS } from '../../src/media/ogg-page.js';
import { OggFormatError, parseOggPages, readOggOpus } from '../../src/media/ogg-reader.js';
import { OpusCodec } from '../../src/media/opus-codec.js';
import { encodeTone } from '../helpers/pcm.js';

test('Ogg/Opus pages: OpusHead and OpusTags alone, then audio with pre-skip-inclusive granules and EOS', () => {
  const codec = new OpusCodec();
  const chunks: Buffer[] = [];
  const writer = new OggOpusWriter((c) => chunks.push(c), { channels: 1, preSkip: codec.preSkip48k, serial: 0x1234, tags: { TITLE: 'call test' } });
  for (const p of encodeTone(codec, 1000, 2500)) assert.ok(writer.writePacket(p));
  writer.writePacket(codec.encode(new Int16Array(960))!.slice()); // flushes the encoder's look-ahead
  assert.equal(writer.writePacket(Uint8Array.of(0x03)), false, 'an impossible packet is refused');
  assert.equal(writer.rejected, 1);
  writer.close(120000);
  const file = Buffer.concat(chunks);
  const pages = parseOggPages(file);
  assert.equal(pages[0].flags, OGG_BOS);
  assert.equal(pages[0].packets[0].toString('latin1', 0, 8), 'OpusHead');
  assert.equal(pages[0].packets[0].readUInt16LE(10), 312, 'pre-skip');
  assert.equal(pages[1].packets[0].toString('latin1', 0, 8), 'OpusTags');
  assert.ok(pages[1].packets[0].includes('TITLE=call test'));
  assert.deepEqual(pages.map((p) => p.sequence), pages.map((_, i) => i));
  assert.ok(pages.every((p) => p.serial === 0x1234));
  const audio = pages.slice(2);
  assert.equal(audio.length, 3, 'about a second per page');
  assert.deepEqual(audio.map((p) => p.packets.length), [50, 50, 26]);
  // Each page's granule is the total of the packets up to its last one (960 per 20 ms packet).
  let total = 0n;
  for (const [i, p] of audio.entries()) {
    total += BigInt(p.packets.length * 960);
    if (i < audio.length - 1) assert.equal(p.granule, total);
  }
  assert.equal(audio.at(-1)!.flags, OGG_EOS);
  assert.equal(audio.at(-1)!.granule, 312n + 120000n, 'the end trimmed to the audio captured');
  assert.equal(readOggOpus(file).packets.length, 126);
  const corrupt = Buffer.from(file);
  corrupt[corrupt.length - 10] ^= 1;
  assert.throws(() => parseOggPages(corrupt), OggFormatError, 'a flipped bit fails the CRC');
  codec.close();
});
