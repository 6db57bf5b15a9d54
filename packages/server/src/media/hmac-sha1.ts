import { createHash } from 'node:crypto';

/**
 * HMAC-SHA1 (RFC 2104) for SRTP authentication tags, with the key's inner and outer pad
 * states hashed once per key. Node's `createHmac` fetches and initialises the algorithm
 * in OpenSSL 3 on every call, about 20 µs — more than all the rest of forwarding a packet
 * to a subscriber; this takes about 1 µs for an audio packet (three SHA-1 blocks).
 */
export class HmacSha1 {
  private readonly inner = new Int32Array(5);
  private readonly outer = new Int32Array(5);
  private readonly state = new Int32Array(5);
  private readonly w = new Int32Array(80);
  private readonly tail = Buffer.alloc(128);

  constructor(key: Buffer) {
    const k = key.length > 64 ? createHash('sha1').update(key).digest() : key;
    const pad = Buffer.alloc(64);
    for (const [state, byte] of [
      [this.inner, 0x36],
      [this.outer, 0x5c],
    ] as const) {
      for (let i = 0; i < 64; i++) pad[i] = (k[i] ?? 0) ^ byte;
      state.set(SHA1_IV);
      this.block(state, pad, 0);
    }
  }

  /**
   * Writes the first `tagLength` bytes of HMAC(key, data[0, length) ‖ suffix) to
   * `out[offset…]`; `suffix` is a 32-bit big-endian word (SRTP's rollover counter).
   */
  sign(data: Buffer, length: number, suffix: number, out: Buffer, offset: number, tagLength: number): void {
    const s = this.state;
    s.set(this.inner);
    let pos = 0;
    for (; pos + 64 <= length; pos += 64) this.block(s, data, pos);
    // Last partial block, the suffix, the 0x80 terminator and the bit length (after the 64-byte pad block).
    const t = this.tail;
    t.fill(0);
    const rest = length - pos;
    data.copy(t, 0, pos, length);
    t.writeUInt32BE(suffix >>> 0, rest);
    t[rest + 4] = 0x80;
    const blocks = rest + 4 + 9 <= 64 ? 1 : 2;
    t.writeUInt32BE((64 + length + 4) * 8, blocks * 64 - 4);
    this.block(s, t, 0);
    if (blocks === 2) this.block(s, t, 64);
    // Outer hash: the 20-byte inner digest, one block.
    t.fill(0, 0, 64);
    for (let i = 0; i < 5; i++) t.writeInt32BE(s[i], i * 4);
    t[20] = 0x80;
    t.writeUInt32BE((64 + 20) * 8, 60);
    s.set(this.outer);
    this.block(s, t, 0);
    for (let i = 0; i < tagLength; i++) out[offset + i] = s[i >> 2] >>> (24 - 8 * (i & 3));
  }

  /** The SHA-1 compression function (FIPS 180-4 §6.1.2) over buf[off, off + 64). */
  private block(s: Int32Array, buf: Buffer, off: number): void {
    const w = this.w;
    for (let i = 0; i < 16; i++, off += 4) w[i] = (buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3];
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = s[0];
    let b = s[1];
    let c = s[2];
    let d = s[3];
    let e = s[4];
    // Four rounds of 20 steps, each with its own function and constant.
    let i = 0;
    for (; i < 20; i++) {
      const t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (; i < 40; i++) {
      const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (; i < 60; i++) {
      const t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e - 0x70e44324 + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (; i < 80; i++) {
      const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    s[0] = (s[0] + a) | 0;
    s[1] = (s[1] + b) | 0;
    s[2] = (s[2] + c) | 0;
    s[3] = (s[3] + d) | 0;
    s[4] = (s[4] + e) | 0;
  }
}

const SHA1_IV = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0);
