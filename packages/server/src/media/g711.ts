/**
 * G.711 µ-law (PCMU, RTP PT 0) and A-law (PCMA, RTP PT 8) companding, ITU-T G.711.
 *
 * Both directions go through lookup tables built once at module load: encoding is a
 * single indexed read per sample (65,536-entry tables keyed by the 16-bit two's
 * complement sample), decoding a read from a 256-entry table. With 1,000 legs at
 * 50 frames/s this is the cheapest possible transcoding step and allocates nothing
 * when the caller passes an output buffer.
 */

export type G711Law = 'ulaw' | 'alaw';

/** Static RTP payload types for G.711 (RFC 3551 §6). */
export const PT_PCMU = 0;
export const PT_PCMA = 8;

/** µ-law bias and clip level from the reference implementation (G.711 / Sun g711.c). */
const ULAW_BIAS = 0x84;
const ULAW_CLIP = 32635;

function encodeUlawSample(sample: number): number {
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > ULAW_CLIP) s = ULAW_CLIP;
  s += ULAW_BIAS;
  // Exponent = index of the highest set bit above bit 7 (segment number 0..7).
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  // G.711 transmits µ-law bytes inverted (so silence is 0xFF, good for line density).
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function decodeUlawSample(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  // Adding the bias before shifting reconstructs the middle of the quantisation step.
  const magnitude = (((u & 0x0f) << 3) + ULAW_BIAS) << exponent;
  return u & 0x80 ? ULAW_BIAS - magnitude : magnitude - ULAW_BIAS;
}

/** Upper bounds of the eight A-law segments on the 13-bit magnitude. */
const ALAW_SEGMENT_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function encodeAlawSample(sample: number): number {
  let v = sample >> 3; // A-law works on 13-bit magnitudes
  let mask: number;
  if (v >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    v = -v - 1;
  }
  let segment = 0;
  while (segment < 8 && v > ALAW_SEGMENT_END[segment]) segment++;
  if (segment >= 8) return 0x7f ^ mask;
  const mantissa = segment < 2 ? (v >> 1) & 0x0f : (v >> segment) & 0x0f;
  // Even bits are inverted on the wire (the 0x55 in both masks), per G.711.
  return ((segment << 4) | mantissa) ^ mask;
}

function decodeAlawSample(byte: number): number {
  const a = byte ^ 0x55;
  let t = (a & 0x0f) << 4;
  const segment = (a & 0x70) >> 4;
  if (segment === 0) t += 8;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}

function buildEncodeTable(encode: (s: number) => number): Uint8Array {
  const table = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) table[i] = encode((i << 16) >> 16);
  return table;
}

function buildDecodeTable(decode: (b: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) table[i] = decode(i);
  return table;
}

const ULAW_ENCODE = buildEncodeTable(encodeUlawSample);
const ALAW_ENCODE = buildEncodeTable(encodeAlawSample);
const ULAW_DECODE = buildDecodeTable(decodeUlawSample);
const ALAW_DECODE = buildDecodeTable(decodeAlawSample);

/** Encodes one 16-bit sample to a µ-law byte. */
export const linearToUlaw = (sample: number): number => ULAW_ENCODE[sample & 0xffff];
/** Decodes one µ-law byte to a 16-bit sample. */
export const ulawToLinear = (byte: number): number => ULAW_DECODE[byte & 0xff];
/** Encodes one 16-bit sample to an A-law byte. */
export const linearToAlaw = (sample: number): number => ALAW_ENCODE[sample & 0xffff];
/** Decodes one A-law byte to a 16-bit sample. */
export const alawToLinear = (byte: number): number => ALAW_DECODE[byte & 0xff];

/**
 * Encodes PCM to G.711 bytes. Writes into `out` when given (it must hold
 * `pcm.length` bytes) so the hot path allocates nothing.
 */
export function g711Encode(law: G711Law, pcm: Int16Array, out: Uint8Array = new Uint8Array(pcm.length)): Uint8Array {
  const table = law === 'ulaw' ? ULAW_ENCODE : ALAW_ENCODE;
  const n = pcm.length;
  for (let i = 0; i < n; i++) out[i] = table[pcm[i] & 0xffff];
  return out;
}

/** Decodes G.711 bytes to PCM, into `out` when given (it must hold `bytes.length` samples). */
export function g711Decode(law: G711Law, bytes: Uint8Array, out: Int16Array = new Int16Array(bytes.length)): Int16Array {
  const table = law === 'ulaw' ? ULAW_DECODE : ALAW_DECODE;
  const n = bytes.length;
  for (let i = 0; i < n; i++) out[i] = table[bytes[i]];
  return out;
}

/** The G.711 law carried by a static payload type, or null for any other PT. */
export function lawForPayloadType(pt: number): G711Law | null {
  if (pt === PT_PCMU) return 'ulaw';
  if (pt === PT_PCMA) return 'alaw';
  return null;
}

/** The static payload type of a G.711 law. */
export const payloadTypeForLaw = (law: G711Law): number => (law === 'ulaw' ? PT_PCMU : PT_PCMA);
