import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCodecs, getConnection, getDirection, getPtime, hasRtcpMux, parseSdp, SdpParseError, serializeSdp } from '../../src/sip/sdp.js';
import { createOffer, negotiateAnswer, SdpNegotiationError, type LocalAudioCapabilities } from '../../src/sip/sdp-offer-answer.js';

const OFFER = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 198.51.100.1',
  's=-',
  'c=IN IP4 198.51.100.1',
  't=0 0',
  'a=ice-ufrag:F7gI',
  'm=audio 49170 RTP/AVP 111 8 0 101',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=rtcp-mux',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR',
  'a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB',
  'a=sendrecv',
  'm=video 51372 RTP/AVP 31',
  'a=rtpmap:31 H261/90000',
  '',
].join('\r\n');

const LOCAL: LocalAudioCapabilities = {
  address: '203.0.113.7',
  port: 40000,
  codecs: [
    { name: 'PCMU', clockRate: 8000 },
    { name: 'PCMA', clockRate: 8000 },
    { name: 'telephone-event', clockRate: 8000, fmtp: '0-16' },
  ],
  ptime: 20,
  rtcpMux: true,
  sessionId: '42',
};

test('parses codecs (static, dynamic, Opus), ptime, rtcp-mux, direction, connection, and keeps raw attributes', () => {
  const sdp = parseSdp(OFFER);
  const audio = sdp.media[0];
  assert.deepEqual(getCodecs(audio), [
    { pt: 111, name: 'opus', clockRate: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' },
    { pt: 8, name: 'PCMA', clockRate: 8000 },
    { pt: 0, name: 'PCMU', clockRate: 8000 },
    { pt: 101, name: 'telephone-event', clockRate: 8000, fmtp: '0-16' },
  ]);
  assert.equal(getPtime(audio), 20);
  assert.equal(hasRtcpMux(audio), true);
  assert.equal(getDirection(audio, sdp), 'sendrecv');
  assert.equal(getConnection(audio, sdp)?.address, '198.51.100.1');
  assert.ok(audio.attributes.some((a) => a.name === 'crypto' && a.value?.startsWith('1 AES_CM_128_HMAC_SHA1_80')));
  assert.ok(audio.attributes.some((a) => a.name === 'fingerprint'));
  assert.deepEqual(sdp.attributes, [{ name: 'ice-ufrag', value: 'F7gI' }]);
  assert.equal(serializeSdp(sdp), OFFER);
});

test('session-level direction applies unless the media overrides it', () => {
  const sdp = parseSdp('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\na=sendonly\r\nm=audio 4000 RTP/AVP 0\r\nm=audio 4002 RTP/AVP 0\r\na=inactive\r\n');
  assert.equal(getDirection(sdp.media[0], sdp), 'sendonly');
  assert.equal(getDirection(sdp.media[1], sdp), 'inactive');
});

test('answer keeps the offer order and payload types, rejects video, mirrors rtcp-mux', () => {
  const answer = negotiateAnswer(parseSdp(OFFER), LOCAL);
  assert.equal(answer.media.length, 2);
  const [audio, video] = answer.media;
  assert.equal(audio.port, 40000);
  assert.deepEqual(audio.formats, ['8', '0', '101']);
  assert.deepEqual(getCodecs(audio).map((c) => c.name), ['PCMA', 'PCMU', 'telephone-event']);
  assert.equal(getDirection(audio, answer), 'sendrecv');
  assert.equal(hasRtcpMux(audio), true);
  assert.equal(getPtime(audio), 20);
  assert.equal(answer.connection?.address, '203.0.113.7');
  // The offerer's keys are never echoed.
  assert.ok(!audio.attributes.some((a) => a.name === 'crypto' || a.name === 'fingerprint'));
  assert.equal(video.port, 0);
  assert.equal(video.type, 'video');
  // The answer is itself valid SDP.
  assert.deepEqual(parseSdp(serializeSdp(answer)), answer);
});

test('hold: sendonly is answered recvonly, inactive inactive, recvonly sendonly, c=0.0.0.0 as sendonly', () => {
  const withDirection = (dir: string, addr = '198.51.100.1') =>
    parseSdp(`v=0\r\no=- 1 2 IN IP4 ${addr}\r\ns=-\r\nc=IN IP4 ${addr}\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=${dir}\r\n`);
  const answerDir = (dir: string, addr?: string, local: Partial<LocalAudioCapabilities> = {}) => {
    const a = negotiateAnswer(withDirection(dir, addr), { ...LOCAL, ...local });
    return getDirection(a.media[0], a);
  };
  assert.equal(answerDir('sendonly'), 'recvonly');
  assert.equal(answerDir('inactive'), 'inactive');
  assert.equal(answerDir('recvonly'), 'sendonly');
  assert.equal(answerDir('sendrecv'), 'sendrecv');
  assert.equal(answerDir('sendrecv', '0.0.0.0'), 'recvonly');
  // We put them on hold while they offer sendrecv.
  assert.equal(answerDir('sendrecv', undefined, { direction: 'sendonly' }), 'sendonly');
  assert.equal(answerDir('sendonly', undefined, { direction: 'sendonly' }), 'inactive');
});

test('no common codec (or only telephone-event, or SRTP only) is a 488', () => {
  const only = (m: string, extra = '') =>
    parseSdp(`v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 5000 ${m}\r\n${extra}`);
  for (const offer of [
    only('RTP/AVP 18'),
    only('RTP/AVP 101', 'a=rtpmap:101 telephone-event/8000\r\n'),
    only('RTP/SAVP 0'),
    only('RTP/AVP 96', 'a=rtpmap:96 PCMU/16000\r\n'),
  ]) {
    assert.throws(() => negotiateAnswer(offer, LOCAL), (e: unknown) => e instanceof SdpNegotiationError && e.status === 488 && e.code === 'sdp_not_acceptable');
  }
});

test('createOffer uses static payload types and dynamic ones from 96; it negotiates with itself', () => {
  const offer = createOffer({ ...LOCAL, codecs: [{ name: 'opus', clockRate: 48000 }, ...LOCAL.codecs] });
  assert.deepEqual(offer.media[0].formats, ['96', '0', '8', '97']);
  assert.deepEqual(getCodecs(offer.media[0])[0], { pt: 96, name: 'opus', clockRate: 48000, channels: 2 });
  const answer = negotiateAnswer(parseSdp(serializeSdp(offer)), { ...LOCAL, port: 50000 });
  assert.deepEqual(answer.media[0].formats, ['0', '8', '97']);
});

test('malformed SDP throws SdpParseError', () => {
  for (const bad of ['', 'v=1\r\n', 'v=0\r\ns=-\r\n', 'v=0\r\no=- 1 1 IN IP4 x\r\n', 'v=0\r\no=- 1 1 IN IP4 x\r\ns=-\r\nm=audio x RTP/AVP 0\r\n', 'v=0\r\no=- 1 1 IN IP4 x\r\ns=-\r\nq=what\r\n']) {
    assert.throws(() => parseSdp(bad), SdpParseError, JSON.stringify(bad));
  }
});
