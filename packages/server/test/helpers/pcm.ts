/** PCM and packet helpers for tests that assemble or cut frames. */
import type { AudioCodec } from '../../src/media/codec.js';
import { generateTone } from '../../src/media/tone.js';

/** Joins frames into one signal. */
export function concatPcm(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A tone at −12 dBFS encoded frame by frame with `codec` (at its rate), packets copied out. */
export function encodeTone(codec: AudioCodec, hz: number, ms: number): Uint8Array[] {
  const tone = generateTone([hz], ms, { sampleRate: codec.sampleRate, levelDbfs: -12 });
  const size = codec.frameSamples * codec.channels;
  const out: Uint8Array[] = [];
  for (let i = 0; i + size <= tone.length; i += size) {
    const packet = codec.encode(tone.subarray(i, i + size));
    if (packet) out.push(packet.slice());
  }
  return out;
}
