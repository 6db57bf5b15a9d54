/**
 * SDP Security Descriptions (RFC 4568): `a=crypto:<tag> <suite> inline:<key||salt>[|lifetime][|MKI:len]`.
 * Only the AES_CM_128_HMAC_SHA1 suites, without MKI and without session parameters, are
 * taken; keys are only ever in the SDP itself, never in errors or logs.
 */
import { randomBytes } from 'node:crypto';
import { SRTP_SUITES, type SrtpMasterKey, type SrtpSuite } from '../media/srtp.js';
import type { SdpMedia } from './sdp.js';

export interface CryptoAttribute {
  tag: number;
  master: SrtpMasterKey;
}

/** What the a=crypto lines of a stream say: usable ones in the offer's order, and whether any was malformed. */
export interface OfferedCrypto {
  usable: CryptoAttribute[];
  /** Lines present but for another suite, with MKI, several keys or session parameters. */
  unsupported: number;
  malformed: number;
}

const LINE = /^(\d{1,9})\s+([A-Za-z0-9_]+)\s+(\S+)(?:\s+(.+))?$/;
const INLINE = /^inline:([A-Za-z0-9+/]+={0,2})(\|[^|]+)?(\|[^|]+)?$/;
const LIFETIME = /^(2\^\d{1,2}|\d{1,20})$/;
const MKI = /^\d{1,3}:\d{1,3}$/;

/** Reads every a=crypto line of a media section. */
export function offeredCrypto(media: SdpMedia): OfferedCrypto {
  const result: OfferedCrypto = { usable: [], unsupported: 0, malformed: 0 };
  for (const a of media.attributes) {
    if (a.name !== 'crypto') continue;
    const m = LINE.exec((a.value ?? '').trim());
    if (!m) {
      result.malformed++;
      continue;
    }
    const [, tag, suite, keyParams, sessionParams] = m;
    // Several keys (';'-separated key-params) or an MKI need key selection we do not do.
    if (keyParams.includes(';') || sessionParams) {
      result.unsupported++;
      continue;
    }
    const inline = INLINE.exec(keyParams);
    if (!inline) {
      result.malformed++;
      continue;
    }
    const [, b64, p1, p2] = inline;
    const extras = [p1, p2].filter((p): p is string => p !== undefined).map((p) => p.slice(1));
    const mki = extras.find((p) => p.includes(':'));
    const lifetime = extras.find((p) => !p.includes(':'));
    if ((lifetime !== undefined && !LIFETIME.test(lifetime)) || (mki !== undefined && !MKI.test(mki))) {
      result.malformed++;
      continue;
    }
    const bytes = Buffer.from(b64, 'base64');
    if (!SRTP_SUITES.includes(suite as SrtpSuite)) {
      result.unsupported++;
      continue;
    }
    if (bytes.length !== 30) {
      result.malformed++;
      continue;
    }
    if (mki !== undefined) {
      result.unsupported++;
      continue;
    }
    result.usable.push({ tag: Number(tag), master: { suite: suite as SrtpSuite, key: bytes.subarray(0, 16), salt: bytes.subarray(16, 30) } });
  }
  return result;
}

/** A fresh master key and salt for `suite`. */
export function newMasterKey(suite: SrtpSuite): SrtpMasterKey {
  const bytes = randomBytes(30);
  return { suite, key: bytes.subarray(0, 16), salt: bytes.subarray(16) };
}

/** The a=crypto attribute value for a key. */
export function cryptoValue(tag: number, master: SrtpMasterKey): string {
  return `${tag} ${master.suite} inline:${Buffer.concat([master.key, master.salt]).toString('base64')}`;
}
