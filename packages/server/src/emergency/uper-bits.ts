/**
 * The bit-level core of ASN.1 unaligned PER (ITU-T X.691): fields are written
 * most significant bit first with no padding between them; only the whole message
 * is padded with zeros to an octet. Just what the eCall MSD needs.
 */
export class BitWriter {
  private readonly bits: number[] = [];

  /** `value` (0 ≤ value < 2^width, width ≤ 32) in `width` bits. */
  uint(value: number, width: number): void {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** width) throw new RangeError(`${value} does not fit in ${width} bits`);
    for (let i = width - 1; i >= 0; i--) this.bits.push(Math.floor(value / 2 ** i) % 2);
  }

  bool(b: boolean): void {
    this.bits.push(b ? 1 : 0);
  }

  /** A constrained whole number (X.691 11.5.6): its offset from `lb` in just enough bits for the range. */
  constrained(value: number, lb: number, ub: number): void {
    if (!Number.isInteger(value) || value < lb || value > ub) throw new RangeError(`${value} is outside ${lb}..${ub}`);
    this.uint(value - lb, rangeBits(lb, ub));
  }

  /** A length determinant below 16384 (X.691 11.9.3.6–7): one octet below 128, two octets (10…) above. */
  length(n: number): void {
    if (n < 128) this.uint(n, 8);
    else if (n < 16384) this.uint(0x8000 | n, 16);
    else throw new RangeError('fragmented lengths are not supported');
  }

  octets(b: Uint8Array): void {
    for (const x of b) this.uint(x, 8);
  }

  get bitLength(): number {
    return this.bits.length;
  }

  toBuffer(): Buffer {
    const out = Buffer.alloc(Math.ceil(this.bits.length / 8));
    this.bits.forEach((bit, i) => {
      if (bit) out[i >> 3] |= 0x80 >> (i & 7);
    });
    return out;
  }
}

export class BitReader {
  private at = 0;

  constructor(private readonly buf: Uint8Array) {}

  uint(width: number): number {
    if (this.at + width > this.buf.length * 8) throw new RangeError('the data ends early');
    let v = 0;
    for (let i = 0; i < width; i++, this.at++) v = v * 2 + ((this.buf[this.at >> 3] >> (7 - (this.at & 7))) & 1);
    return v;
  }

  bool(): boolean {
    return this.uint(1) === 1;
  }

  constrained(lb: number, ub: number): number {
    const v = lb + this.uint(rangeBits(lb, ub));
    if (v > ub) throw new RangeError(`${v} is outside ${lb}..${ub}`);
    return v;
  }

  length(): number {
    const first = this.uint(8);
    if (first < 0x80) return first;
    if (first < 0xc0) return ((first & 0x3f) << 8) | this.uint(8);
    throw new RangeError('fragmented lengths are not supported');
  }

  octets(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.uint(8);
    return out;
  }

  get bitPosition(): number {
    return this.at;
  }
}

/** Bits for a range lb..ub: ⌈log2(ub − lb + 1)⌉ (0 for a single value). */
export function rangeBits(lb: number, ub: number): number {
  const range = ub - lb + 1;
  let bits = 0;
  while (2 ** bits < range) bits++;
  return bits;
}
