import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { RtpPacket, SrtpSession } from 'werift';
import { HmacSha1 } from '../../src/media/hmac-sha1.js';
import { rtpProtector, SRTP_AEAD_AES_128_GCM, SRTP_AES128_CM_HMAC_SHA1_80 } from '../../src/webrtc/srtp-protect.js';

/** A sender/receiver pair of werift SRTP sessions sharing random master keys. */
function sessions(profile: number) {
  const key = randomBytes(16);
  const salt = randomBytes(profile === SRTP_AEAD_AES_128_GCM ? 12 : 14);
  const other = { key: randomBytes(16), salt: randomBytes(salt.length) };
  const sender = new SrtpSession({ profile: profile as 1, keys: { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: other.key, remoteMasterSalt: other.salt } });
  const receiver = new SrtpSession({ profile: profile as 1, keys: { localMasterKey: other.key, localMasterSalt: other.salt, remoteMasterKey: key, remoteMasterSalt: salt } });
  const ctx = sender.localContext;
  return { sender, receiver, keys: { profile, key: ctx.srtpSessionKey, salt: ctx.srtpSessionSalt, authKey: ctx.srtpSessionAuthTag } };
}

/** A 12-byte header plus a one-byte-extension MID, like the forwarder builds. */
function header(ssrc: number, seq: number, ts: number): Buffer {
  const h = Buffer.from([0x90, 111, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0, 1, 0x10, 0x30, 0, 0]);
  h.writeUInt16BE(seq, 2);
  h.writeUInt32BE(ts, 4);
  h.writeUInt32BE(ssrc, 8);
  return h;
}

describe('SRTP protect (the SFU forwarding path) against werift', () => {
  for (const [name, profile] of [
    ['AES_CM_128_HMAC_SHA1_80', SRTP_AES128_CM_HMAC_SHA1_80],
    ['AEAD_AES_128_GCM', SRTP_AEAD_AES_128_GCM],
  ] as const) {
    test(`${name}: werift decrypts every packet, across a sequence wrap, byte-identical to werift's own encryption`, () => {
      const { sender, receiver, keys } = sessions(profile);
      const protector = rtpProtector(keys);
      const ssrc = 0x1234abcd;
      let roc = 0;
      for (let i = 0; i < 40; i++) {
        const seq = (65_520 + i) & 0xffff;
        if (seq === 0) roc++;
        const payload = randomBytes(1 + ((i * 37) % 300)); // odd lengths: partial AES blocks
        const hdr = header(ssrc, seq, i * 960);
        const out = Buffer.alloc(hdr.length + payload.length + protector.overhead);
        hdr.copy(out);
        payload.copy(out, hdr.length);
        const size = protector.protect(out, hdr.length, hdr.length + payload.length, ssrc, seq, roc);
        assert.equal(size, out.length);
        const reference = sender.encrypt(payload, RtpPacket.deSerialize(Buffer.concat([hdr, payload])).header);
        assert.deepEqual(out, reference, `packet ${i} (seq ${seq}, roc ${roc})`);
        const clear = RtpPacket.deSerialize(receiver.decrypt(out));
        assert.deepEqual(clear.payload, payload);
        assert.equal(clear.header.sequenceNumber, seq);
      }
    });
  }

  test('a flipped bit fails werift authentication', () => {
    const { receiver, keys } = sessions(SRTP_AES128_CM_HMAC_SHA1_80);
    const protector = rtpProtector(keys);
    const hdr = header(7, 1, 960);
    const out = Buffer.alloc(hdr.length + 80 + protector.overhead);
    hdr.copy(out);
    protector.protect(out, hdr.length, hdr.length + 80, 7, 1, 0);
    out[30] ^= 1;
    assert.throws(() => receiver.decrypt(out), /authenticate/i);
  });

  test('HMAC-SHA1 with cached pads equals createHmac for every length around block edges and long keys', () => {
    for (const keyLength of [20, 64, 100]) {
      const key = randomBytes(keyLength);
      const hmac = new HmacSha1(key);
      for (let length = 0; length < 200; length++) {
        const data = randomBytes(length);
        const suffix = randomBytes(4);
        const tag = Buffer.alloc(20);
        hmac.sign(data, length, suffix.readUInt32BE(0), tag, 0, 20);
        assert.deepEqual(tag, createHmac('sha1', key).update(data).update(suffix).digest(), `key ${keyLength}, length ${length}`);
      }
    }
  });

  test('an unknown SRTP profile is refused', () => {
    assert.throws(() => rtpProtector({ profile: 0x0002, key: randomBytes(16), salt: randomBytes(14) }), /unsupported SRTP profile/);
  });
});

