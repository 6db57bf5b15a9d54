import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyOffer, warningHeader, type OfferRefusal } from '../../src/calls/sdp-media.js';
import type { SrtpPolicy } from '@callsight/protocol';
import { parseSdp } from '../../src/sip/sdp.js';

const FP = 'sha-256 ' + Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');

function offer(media: string[], session: string[] = []): string {
  return ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', ...session, ...media, ''].join('\r\n');
}
const rtp = (pts = '0 101', lines = ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000']) => [`m=audio 40000 RTP/AVP ${pts}`, ...lines];
const webrtc = (extra: string[] = [`a=fingerprint:${FP}`, 'a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx']) => [
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 0',
  'a=rtpmap:111 opus/48000/2',
  'a=rtpmap:0 PCMU/8000',
  'a=setup:actpass',
  'a=rtcp-mux',
  ...extra,
];
const check = (sdp: string, webrtcAllowed = true, srtp: SrtpPolicy = 'optional') => classifyOffer(parseSdp(sdp), { webrtc: webrtcAllowed, srtp });
const KEY = 'inline:' + Buffer.alloc(30, 7).toString('base64');
const savp = (crypto: string[], profile = 'RTP/SAVP') => [`m=audio 40000 ${profile} 0`, 'a=rtpmap:0 PCMU/8000', ...crypto];
const refused = (v: ReturnType<typeof check>): OfferRefusal => {
  assert.ok('status' in v, `expected a refusal, got ${JSON.stringify(v)}`);
  return v;
};

describe('offer check before a call exists (488 / 606 with a Warning)', () => {
  test('plain RTP with PCMU and a WebRTC offer with ICE and a fingerprint are taken', () => {
    assert.deepEqual(check(offer(rtp())), { media: 'rtp' });
    assert.deepEqual(check(offer(webrtc())), { media: 'webrtc' });
    // ICE credentials and the fingerprint may sit at session level (RFC 8839 5.4, RFC 8122 5).
    assert.deepEqual(check(offer(webrtc([]), [`a=fingerprint:${FP}`, 'a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx'])), { media: 'webrtc' });
  });

  test('no common codec is 488 with warn-code 305; a video-only offer is 606 with 304', () => {
    const g729 = refused(check(offer(rtp('18', ['a=rtpmap:18 G729/8000']))));
    assert.equal(g729.status, 488);
    assert.equal(g729.warnCode, 305);
    const video = refused(check(offer(['m=video 40000 RTP/AVP 96', 'a=rtpmap:96 VP8/90000'])));
    assert.equal(video.status, 606);
    assert.equal(video.warnCode, 304);
    // A second, acceptable audio stream wins over a first one that is not.
    assert.deepEqual(check(offer([...rtp('18', ['a=rtpmap:18 G729/8000']), ...rtp()])), { media: 'rtp' });
  });

  test('WebRTC offers: forbidden, no fingerprint, a malformed one, ICE without credentials → 488 saying why', () => {
    assert.match(refused(check(offer(webrtc()), false)).text, /not accepted here/);
    assert.match(refused(check(offer(webrtc(['a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx'])))).text, /without a fingerprint/);
    assert.match(refused(check(offer(webrtc(['a=fingerprint:sha-256 ZZ:01', 'a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx'])))).text, /Malformed DTLS fingerprint/);
    assert.match(refused(check(offer(webrtc([`a=fingerprint:${FP}`])))).text, /ICE without credentials/);
    assert.match(refused(check(offer(webrtc([`a=fingerprint:${FP}`, 'a=ice-ufrag:ab', 'a=ice-pwd:short'])))).text, /Malformed ICE/);
    for (const r of [refused(check(offer(webrtc()), false)), refused(check(offer(webrtc([`a=fingerprint:${FP}`]))))]) assert.equal(r.status, 488);
  });

  test('SDES-SRTP: RTP/SAVP with a supported a=crypto is taken unless SRTP is off; required refuses plain RTP', () => {
    const good = [`a=crypto:1 AES_CM_128_HMAC_SHA1_80 ${KEY}`];
    assert.deepEqual(check(offer(savp(good))), { media: 'rtp' });
    assert.deepEqual(check(offer(savp([`a=crypto:3 AES_CM_128_HMAC_SHA1_32 ${KEY}|2^31`])), true, 'required'), { media: 'rtp' });
    // Best-effort SRTP (RTP/AVP with a=crypto) is encrypted too, so required takes it.
    assert.deepEqual(check(offer(savp(good, 'RTP/AVP')), true, 'required'), { media: 'rtp' });
    const off = refused(check(offer(savp(good)), true, 'off'));
    assert.deepEqual([off.status, off.warnCode], [488, 302]);
    const plain = refused(check(offer(rtp()), true, 'required'));
    assert.deepEqual([plain.status, plain.warnCode], [488, 302]);
    assert.match(plain.text, /SRTP is required/);
    // With SRTP off, a=crypto on RTP/AVP is not looked at.
    assert.deepEqual(check(offer(savp(['a=crypto:garbage'], 'RTP/AVP')), true, 'off'), { media: 'rtp' });
  });

  test('SDES-SRTP: malformed crypto lines, no keys, unknown suites and MKI → 488 saying why', () => {
    const cases: [string[], number, RegExp][] = [
      [['a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ='], 399, /Malformed SDES/],
      [['a=crypto:x AES_CM_128_HMAC_SHA1_80'], 399, /Malformed SDES/],
      [[`a=crypto:1 AES_CM_128_HMAC_SHA1_80 ${KEY}|notalifetime`], 399, /Malformed SDES/],
      [[], 399, /without a=crypto/],
      [[`a=crypto:1 AES_256_CM_HMAC_SHA1_80 ${KEY}`], 302, /No supported SRTP crypto suite/],
      [[`a=crypto:1 AES_CM_128_HMAC_SHA1_80 ${KEY}|1:4`], 302, /no MKI/],
      [[`a=crypto:1 AES_CM_128_HMAC_SHA1_80 ${KEY} UNENCRYPTED_SRTP`], 302, /No supported/],
    ];
    for (const [crypto, warnCode, text] of cases) {
      const r = refused(check(offer(savp(crypto))));
      assert.deepEqual([r.status, r.warnCode], [488, warnCode], crypto.join());
      assert.match(r.text, text);
      assert.doesNotMatch(r.text, /inline/, 'no key material in a Warning');
    }
    // A malformed line beside a good one: the good one is taken.
    assert.deepEqual(check(offer(savp(['a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:bad', `a=crypto:2 AES_CM_128_HMAC_SHA1_80 ${KEY}`]))), { media: 'rtp' });
  });

  test('the Warning header is warn-code, agent and a quoted text without quotes inside', () => {
    assert.equal(warningHeader({ status: 488, warnCode: 305, text: 'No "common" codec' }, 'pbx.example'), '305 pbx.example "No common codec"');
  });
});
