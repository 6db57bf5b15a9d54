import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { RtpPacket, SrtcpSession, SrtpSession } from 'werift';
import { deriveSessionKey } from '../../src/media/aes-cm.js';
import { SrtpReceiver, SrtpSender, type SrtpMasterKey } from '../../src/media/srtp.js';

const hex = (s: string) => Buffer.from(s, 'hex');

function rtp(ssrc: number, seq: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = 0;
  h.writeUInt16BE(seq, 2);
  h.writeUInt32BE(seq * 160, 4);
  h.writeUInt32BE(ssrc, 8);
  return Buffer.concat([h, payload]);
}

const master = (suite: SrtpMasterKey['suite'] = 'AES_CM_128_HMAC_SHA1_80'): SrtpMasterKey => ({ suite, key: randomBytes(16), salt: randomBytes(14) });

/** A werift session whose local (sending) keys are `ours` and remote keys `theirs`. */
function werift(ours: SrtpMasterKey, theirs: SrtpMasterKey) {
  const keys = { localMasterKey: ours.key, localMasterSalt: ours.salt, remoteMasterKey: theirs.key, remoteMasterSalt: theirs.salt };
  return { srtp: new SrtpSession({ profile: 1, keys }), srtcp: new SrtcpSession({ profile: 1, keys }) };
}

describe('SDES-SRTP (RFC 3711)', () => {
  test('key derivation matches RFC 3711 B.3', () => {
    const key = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
    const salt = hex('0EC675AD498AFEEBB6960B3AABE6');
    assert.equal(deriveSessionKey(key, salt, 0, 16).toString('hex').toUpperCase(), 'C61E7A93744F39EE10734AFE3FF7A087');
    assert.equal(deriveSessionKey(key, salt, 2, 14).toString('hex').toUpperCase(), '30CBBC08863D8C85D49DB34A9AE1');
    assert.equal(deriveSessionKey(key, salt, 1, 20).toString('hex').toUpperCase(), 'CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4');
  });

  test('AES_CM_128_HMAC_SHA1_80 interoperates with werift both ways, RTP across a sequence wrap and SRTCP', () => {
    const a = master();
    const b = master();
    const peer = werift(b, a);
    const sender = new SrtpSender(a);
    const receiver = new SrtpReceiver(b);
    for (let i = 0; i < 30; i++) {
      const seq = (65_530 + i) & 0xffff;
      const payload = randomBytes(1 + ((i * 37) % 200));
      const clear = RtpPacket.deSerialize(peer.srtp.decrypt(sender.protectRtp(rtp(0xabcdef01, seq, payload))));
      assert.deepEqual(clear.payload, payload, `ours → werift, seq ${seq}`);
      const theirs = peer.srtp.encrypt(payload, RtpPacket.deSerialize(rtp(0x5eed, seq, payload)).header);
      assert.deepEqual(receiver.unprotectRtp(theirs), rtp(0x5eed, seq, payload), `werift → ours, seq ${seq}`);
    }
    // An RR with one report block: werift decrypts ours, we decrypt werift's.
    const rr = Buffer.alloc(32);
    rr.writeUInt32BE(0x81c90007, 0);
    rr.writeUInt32BE(0xabcdef01, 4);
    randomBytes(24).copy(rr, 8);
    assert.deepEqual(peer.srtcp.decrypt(sender.protectRtcp(rr)), rr);
    assert.deepEqual(receiver.unprotectRtcp(peer.srtcp.encrypt(Buffer.from(rr))), rr);
  });

  test('AES_CM_128_HMAC_SHA1_32: a 4-byte RTP tag, 10-byte SRTCP tag; round trip', () => {
    const k = master('AES_CM_128_HMAC_SHA1_32');
    const sender = new SrtpSender(k);
    const receiver = new SrtpReceiver({ ...k });
    const packet = rtp(7, 100, randomBytes(160));
    const out = sender.protectRtp(packet);
    assert.equal(out.length, packet.length + 4);
    assert.notDeepEqual(out.subarray(12, packet.length), packet.subarray(12));
    assert.deepEqual(receiver.unprotectRtp(out), packet);
    const sr = Buffer.alloc(28);
    sr.writeUInt32BE(0x80c80006, 0);
    sr.writeUInt32BE(7, 4);
    const srtcp = sender.protectRtcp(sr);
    assert.equal(srtcp.length, sr.length + 4 + 10);
    assert.deepEqual(receiver.unprotectRtcp(srtcp), sr);
  });

  test('a flipped bit, a wrong key, a replay and a short datagram are refused', () => {
    const k = master();
    const sender = new SrtpSender(k);
    const receiver = new SrtpReceiver(k);
    const first = sender.protectRtp(rtp(9, 1, randomBytes(160)));
    const copy = Buffer.from(first);
    assert.ok(receiver.unprotectRtp(first));
    assert.equal(receiver.unprotectRtp(copy), null, 'replayed');
    const tampered = sender.protectRtp(rtp(9, 2, randomBytes(160)));
    tampered[20] ^= 1;
    assert.equal(receiver.unprotectRtp(tampered), null, 'tampered');
    assert.equal(new SrtpReceiver(master()).unprotectRtp(sender.protectRtp(rtp(9, 3, randomBytes(160)))), null, 'wrong key');
    assert.equal(receiver.unprotectRtp(Buffer.alloc(15)), null, 'short');
    assert.equal(receiver.unprotectRtcp(Buffer.alloc(15)), null, 'short RTCP');
    // Late but within the window, and not seen: accepted.
    const late = sender.protectRtp(rtp(9, 4, randomBytes(160)));
    assert.ok(receiver.unprotectRtp(sender.protectRtp(rtp(9, 5, randomBytes(160)))));
    assert.ok(receiver.unprotectRtp(late));
  });

  test('keys never reach a logger', () => {
    const k = master();
    assert.doesNotMatch(JSON.stringify({ s: new SrtpSender(k), r: new SrtpReceiver(k) }), new RegExp(k.key.toString('hex').slice(0, 8)));
  });
});
