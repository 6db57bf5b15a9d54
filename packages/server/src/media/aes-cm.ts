import { createCipheriv, type Cipher } from 'node:crypto';

/**
 * AES-128 in SRTP's counter mode (RFC 3711 4.1.1). Counter mode is AES-ECB over the
 * counter blocks, so one ECB cipher made per key keeps its key schedule and each packet
 * costs one `update` call instead of creating a cipher.
 */
export class AesCm {
  private readonly ecb: Cipher;
  private readonly salt = Buffer.alloc(16);
  private counters = Buffer.alloc(16 * 16);

  /** `salt`: the 112-bit session salt (k_s). */
  constructor(key: Buffer, salt: Buffer) {
    this.ecb = createCipheriv('aes-128-ecb', key, null);
    this.ecb.setAutoPadding(false);
    salt.copy(this.salt, 0, 0, 14); // k_s · 2^16
  }

  /**
   * XORs the keystream into buf[start, end) for the packet index `high · 2^16 + low`
   * (SRTP: ROC and SEQ; SRTCP: its 31-bit index split the same way) of `ssrc`.
   */
  xor(buf: Buffer, start: number, end: number, ssrc: number, high: number, low: number): void {
    const n = end - start;
    const blocks = (n + 15) >>> 4;
    if (this.counters.length < blocks * 16) this.counters = Buffer.alloc(blocks * 16);
    // IV = (k_s · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16); block j adds j in the low 16 bits.
    const c = this.counters;
    this.salt.copy(c, 0);
    c.writeUInt32BE((c.readUInt32BE(4) ^ ssrc) >>> 0, 4);
    c.writeUInt32BE((c.readUInt32BE(8) ^ high) >>> 0, 8);
    c.writeUInt16BE(c.readUInt16BE(12) ^ (low & 0xffff), 12);
    for (let j = 1; j < blocks; j++) {
      c.copy(c, j * 16, 0, 14);
      c[j * 16 + 14] = j >>> 8;
      c[j * 16 + 15] = j & 0xff;
    }
    const keystream = this.ecb.update(c.subarray(0, blocks * 16));
    for (let i = 0; i < n; i++) buf[start + i] ^= keystream[i];
  }
}

/** The SRTP key derivation function with key_derivation_rate 0 (RFC 3711 4.3.1, 4.3.3): `length` bytes for `label`. */
export function deriveSessionKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const ecb = createCipheriv('aes-128-ecb', masterKey, null);
  ecb.setAutoPadding(false);
  const blocks = Math.ceil(length / 16);
  const input = Buffer.alloc(blocks * 16);
  for (let j = 0; j < blocks; j++) {
    // x = (label · 2^48) XOR master_salt, then AES-CM from x · 2^16.
    masterSalt.copy(input, j * 16, 0, 14);
    input[j * 16 + 7] ^= label;
    input.writeUInt16BE(j, j * 16 + 14);
  }
  return ecb.update(input).subarray(0, length);
}
