import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipParseError } from '../../src/sip/errors.js';
import { parseUri, serializeUri, uriEquals } from '../../src/sip/uri.js';

const eq = (a: string, b: string) => uriEquals(parseUri(a), parseUri(b));

test('RFC 3261 19.1.4: equivalent URIs', () => {
  const pairs: Array<[string, string]> = [
    ['sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;security=on'],
    ['sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on'],
    ['sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com', 'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com'],
    ['sip:alice@atlanta.com?subject=project%20x&priority=urgent', 'sip:alice@atlanta.com?priority=urgent&subject=project%20x'],
  ];
  for (const [a, b] of pairs) {
    assert.ok(eq(a, b), `${a} == ${b}`);
    assert.ok(eq(b, a), `${b} == ${a}`);
  }
});

test('RFC 3261 19.1.4: non-equivalent URIs', () => {
  const pairs: Array<[string, string]> = [
    ['SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting'],
    ['sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4'],
    ['sip:alice@atlanta.com', 'sips:alice@atlanta.com'],
  ];
  for (const [a, b] of pairs) {
    assert.ok(!eq(a, b), `${a} != ${b}`);
    assert.ok(!eq(b, a), `${b} != ${a}`);
  }
  // Equality is not transitive (RFC 3261 19.1.4).
  assert.ok(!eq('sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off'));
});

test('SIP URI components: user escapes, password, IPv6 host, port, params, headers', () => {
  const u = parseUri('sips:J%20Doe:se%3Acret@[2001:db8::1]:5061;transport=tls;lr;maddr=239.255.255.1?subject=hi%20there&x=');
  assert.ok(u.kind === 'sip');
  assert.equal(u.scheme, 'sips');
  assert.equal(u.user, 'J Doe');
  assert.equal(u.password, 'se:cret');
  assert.equal(u.host, '[2001:db8::1]');
  assert.equal(u.port, 5061);
  assert.deepEqual([...u.params], [['transport', 'tls'], ['lr', null], ['maddr', '239.255.255.1']]);
  assert.deepEqual(u.headers, [['subject', 'hi there'], ['x', '']]);
  assert.equal(serializeUri(u), 'sips:J%20Doe:se%3Acret@[2001:db8::1]:5061;transport=tls;lr;maddr=239.255.255.1?subject=hi%20there&x=');
  assert.ok(uriEquals(parseUri(serializeUri(u)), u));
});

test('tel URIs compare ignoring visual separators; other schemes are kept verbatim', () => {
  const t = parseUri('tel:+1-201-555-0123;ext=12');
  assert.deepEqual(t, { kind: 'tel', number: '+1-201-555-0123', params: new Map([['ext', '12']]) });
  assert.ok(eq('tel:+1-201-555-0123', 'tel:+1(201)5550123'));
  assert.ok(!eq('tel:+12015550123', 'tel:+12015550124'));
  const urn = parseUri('urn:service:sos');
  assert.deepEqual(urn, { kind: 'absolute', scheme: 'urn', opaque: 'service:sos' });
  assert.equal(serializeUri(urn), 'urn:service:sos');
});

test('malformed URIs throw SipParseError(sip_bad_uri)', () => {
  for (const bad of ['', 'sip:', 'sip:user@', 'sip:a b@host', 'sip:host:99999', 'sip:host:port', 'sip:%zz@host', '<sip:a@b>', '1sip:x', 'sip:[::1', 'sip:host;;lr', 'sip:host?novalue', 'http:has space']) {
    assert.throws(() => parseUri(bad), (e: unknown) => e instanceof SipParseError && e.code === 'sip_bad_uri', bad);
  }
});
