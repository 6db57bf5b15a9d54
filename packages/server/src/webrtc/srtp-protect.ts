import { createCipheriv, type Cipher } from 'node:crypto';
import { HmacSha1 } from './hmac-sha1.js';

/** DTLS-SRTP protection profiles (RFC 5764 §4.1.2, RFC 7714 §14.2). */
export const SRTP_AES128_CM_HMAC_SHA1_80 = 0x0001;
export const SRTP_AEAD_AES_128_GCM = 0x0007;

/** One direction's SRTP session keys, as derived from the DTLS master secret (RFC 3711 §4.3). */
export interface SrtpSessionKeys {
  profile: number;
  key: Buffer;
  salt: Buffer;
  /** HMAC key (AES-CM profiles only). */
  authKey?: Buffer;
}

/**
 * Protects outgoing RTP packets of one SRTP session in place: the packet is built in a
 * buffer with `overhead` spare bytes at the end for the tag.
 */
export interface RtpProtector {
  readonly overhead: number;
  /** Encrypts packet[headerLength, length) and appends the tag; returns the protected length. */
  protect(packet: Buffer, headerLength: number, length: number, ssrc: number, seq: number, roc: number): number;
}

export function rtpProtector(keys: SrtpSessionKeys): RtpProtector {
  if (keys.profile === SRTP_AES128_CM_HMAC_SHA1_80 && keys.authKey) return new AesCmHmacSha1Protector(keys.key, keys.salt, keys.authKey);
  if (keys.profile === SRTP_AEAD_AES_128_GCM) return new AesGcmProtector(keys.key, keys.salt);
  throw new Error(`unsupported SRTP profile ${keys.profile}`);
}

/**
 * AES_CM_128_HMAC_SHA1_80 (RFC 3711). AES counter mode is AES-ECB over the counter blocks,
 * so one ECB cipher made per session keeps its key schedule and each packet costs one
 * `update` call instead of creating a cipher; HMAC uses precomputed pad states.
 */
class AesCmHmacSha1Protector implements RtpProtector {
  readonly overhead = 10;
  private readonly ecb: Cipher;
  private readonly hmac: HmacSha1;
  private readonly salt = Buffer.alloc(16);
  private counters = Buffer.alloc(16 * 16);

  constructor(key: Buffer, salt: Buffer, authKey: Buffer) {
    this.ecb = createCipheriv('aes-128-ecb', key, null);
    this.ecb.setAutoPadding(false);
    this.hmac = new HmacSha1(authKey);
    salt.copy(this.salt, 0, 0, 14); // k_s · 2^16
  }

  protect(packet: Buffer, headerLength: number, length: number, ssrc: number, seq: number, roc: number): number {
    const n = length - headerLength;
    const blocks = (n + 15) >>> 4;
    if (this.counters.length < blocks * 16) this.counters = Buffer.alloc(blocks * 16);
    // IV = (k_s · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16); block j adds j in the low 16 bits.
    const c = this.counters;
    this.salt.copy(c, 0);
    c.writeUInt32BE((c.readUInt32BE(4) ^ ssrc) >>> 0, 4);
    c.writeUInt32BE((c.readUInt32BE(8) ^ roc) >>> 0, 8);
    c.writeUInt16BE(c.readUInt16BE(12) ^ seq, 12);
    for (let j = 1; j < blocks; j++) {
      c.copy(c, j * 16, 0, 14);
      c[j * 16 + 14] = j >>> 8;
      c[j * 16 + 15] = j & 0xff;
    }
    const keystream = this.ecb.update(c.subarray(0, blocks * 16));
    for (let i = 0; i < n; i++) packet[headerLength + i] ^= keystream[i];
    this.hmac.sign(packet, length, roc, packet, length, 10);
    return length + 10;
  }
}

/**
 * AEAD_AES_128_GCM (RFC 7714 §8), what werift and browsers negotiate by default. Node's
 * GCM takes a new cipher per IV, so each packet costs one (still half of werift's path,
 * which also serialises and concatenates); a cached-key GCM would need GHASH in JS.
 */
class AesGcmProtector implements RtpProtector {
  readonly overhead = 16;
  private readonly iv = Buffer.alloc(12);

  constructor(
    private readonly key: Buffer,
    private readonly salt: Buffer,
  ) {}

  protect(packet: Buffer, headerLength: number, length: number, ssrc: number, seq: number, roc: number): number {
    // IV = (00 00 ‖ SSRC ‖ ROC ‖ SEQ) XOR salt.
    const iv = this.iv;
    iv.writeUInt16BE(0, 0);
    iv.writeUInt32BE(ssrc >>> 0, 2);
    iv.writeUInt32BE(roc >>> 0, 6);
    iv.writeUInt16BE(seq, 10);
    for (let i = 0; i < 12; i++) iv[i] ^= this.salt[i];
    const cipher = createCipheriv('aes-128-gcm', this.key, iv);
    cipher.setAAD(packet.subarray(0, headerLength));
    cipher.update(packet.subarray(headerLength, length)).copy(packet, headerLength);
    cipher.final();
    cipher.getAuthTag().copy(packet, length);
    return length + 16;
  }
}
