/**
 * Just enough DER (X.690) for the STIR certificate extensions (TNAuthList, JWT
 * claim constraints): definite lengths, low tag numbers, and the universal types they use. The certificate
 * itself is handled by @peculiar/x509; this only encodes the extension value.
 */
export interface DerNode {
  tag: number;
  /** Content octets (for constructed types: the encoded children). */
  value: Uint8Array;
}

export class DerError extends Error {
  override name = 'DerError';
}

export const TAG = { integer: 0x02, utf8String: 0x0c, ia5String: 0x16, sequence: 0x30 } as const;

/** Context-specific, constructed: `[n]` with EXPLICIT tagging. */
export const contextTag = (n: number) => 0xa0 | n;

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const len = encodeLength(value.length);
  const out = new Uint8Array(1 + len.length + value.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(value, 1 + len.length);
  return out;
}

export const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

export const encodeIa5 = (s: string) => encodeTlv(TAG.ia5String, new TextEncoder().encode(s));
export const encodeUtf8 = (s: string) => encodeTlv(TAG.utf8String, new TextEncoder().encode(s));

/** Non-negative INTEGER, minimal two's complement (a leading 0 when the high bit is set). */
export function encodeUnsigned(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new DerError(`cannot encode ${n} as INTEGER`);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return encodeTlv(TAG.integer, Uint8Array.from(bytes));
}

/** Reads consecutive TLVs; throws on truncation, indefinite or long-form-overflow lengths. */
export function readTlvs(data: Uint8Array): DerNode[] {
  const out: DerNode[] = [];
  let at = 0;
  while (at < data.length) {
    const tag = data[at++]!;
    if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used by STIR extensions');
    if (at >= data.length) throw new DerError('truncated length');
    let len = data[at++]!;
    if (len === 0x80) throw new DerError('indefinite length is not DER');
    if (len & 0x80) {
      const count = len & 0x7f;
      if (count > 3 || at + count > data.length) throw new DerError('bad long-form length');
      len = 0;
      for (let i = 0; i < count; i++) len = len * 256 + data[at++]!;
    }
    if (at + len > data.length) throw new DerError('value runs past the end');
    out.push({ tag, value: data.subarray(at, at + len) });
    at += len;
  }
  return out;
}

export function readOne(data: Uint8Array, tag: number): DerNode {
  const nodes = readTlvs(data);
  if (nodes.length !== 1 || nodes[0]!.tag !== tag) throw new DerError(`expected one element with tag 0x${tag.toString(16)}`);
  return nodes[0]!;
}

export function decodeUnsigned(node: DerNode): number {
  if (node.tag !== TAG.integer || node.value.length === 0 || node.value.length > 7) throw new DerError('bad INTEGER');
  if (node.value[0]! & 0x80) throw new DerError('negative INTEGER');
  let n = 0;
  for (const b of node.value) n = n * 256 + b;
  return n;
}

export function decodeIa5(node: DerNode): string {
  if (node.tag !== TAG.ia5String) throw new DerError('expected IA5String');
  for (const b of node.value) if (b > 0x7f) throw new DerError('IA5String holds a non-ASCII byte');
  return new TextDecoder().decode(node.value);
}

export function decodeUtf8(node: DerNode): string {
  if (node.tag !== TAG.utf8String) throw new DerError('expected UTF8String');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(node.value);
  } catch {
    throw new DerError('UTF8String is not UTF-8');
  }
}
