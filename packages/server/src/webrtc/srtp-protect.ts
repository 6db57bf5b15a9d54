import { createCipheriv } from 'node:crypto';
import { AesCm } from '../media/aes-cm.js';
import { HmacSha1 } from '../media/hmac-sha1.js';

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

/** AES_CM_128_HMAC_SHA1_80 (RFC 3711); HMAC uses precomputed pad states. */
class AesCmHmacSha1Protector implements RtpProtector {
  readonly overhead = 10;
  private readonly cm: AesCm;
  private readonly hmac: HmacSha1;

  constructor(key: Buffer, salt: Buffer, authKey: Buffer) {
    this.cm = new AesCm(key, salt);
    this.hmac = new HmacSha1(authKey);
  }

  protect(packet: Buffer, headerLength: number, length: number, ssrc: number, seq: number, roc: number): number {
    this.cm.xor(packet, headerLength, length, ssrc, roc, seq);
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
