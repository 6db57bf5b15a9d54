import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallsightError } from '../../src/core/errors.js';
import { SipParseError } from '../../src/sip/errors.js';
import { newBranch, newCallId, newTag } from '../../src/sip/ids.js';
import * as h from '../../src/sip/message.js';
import type { SipRequest } from '../../src/sip/message.js';
import { parseMessage } from '../../src/sip/parser.js';
import { canRespond, createResponse, serializeMessage } from '../../src/sip/serializer.js';
import { validateRequest } from '../../src/sip/validate.js';
import { INVITE, OPTIONS } from './sample-messages.js';

const parseRequest = (buf: Buffer | string) => {
  const m = parseMessage(typeof buf === 'string' ? Buffer.from(buf) : buf);
  assert.equal(m.kind, 'request');
  return m as SipRequest;
};

test('headers: case-insensitive names, compact forms, order, set/append/prepend/remove', () => {
  const m = parseRequest(INVITE);
  assert.equal(h.getHeader(m, 'call-id'), h.getHeader(m, 'i'));
  assert.equal(h.getHeader(m, 'CALL-ID'), 'a84b4c76e66710@pc33.atlanta.example.com');
  assert.deepEqual(h.getHeaders(m, 'allow'), ['INVITE', 'ACK', 'CANCEL', 'OPTIONS', 'BYE', 'REFER', 'NOTIFY']);
  assert.deepEqual(h.getSupported(m), ['replaces', 'timer']);
  m.headers.prepend('v', 'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKproxy1');
  assert.deepEqual(h.getVias(m).map((v) => v.host), ['proxy.example.com', 'pc33.atlanta.example.com']);
  h.setHeader(m, 'Max-Forwards', '69');
  assert.equal(h.getMaxForwards(m), 69);
  m.headers.remove('allow');
  assert.equal(m.headers.count('Allow'), 0);
  const names = [...m.headers].map((f) => f.name);
  assert.deepEqual(names.slice(0, 3), ['Via', 'Via', 'Max-Forwards']);
  assert.throws(() => h.setHeader(m, 'Subject', 'x\r\nInjected: 1'), (e: unknown) => e instanceof CallsightError && e.code === 'sip_header_injection');
});

test('typed accessors: Via params, name-addr, CSeq, Contact *, auth params', () => {
  const m = parseRequest(
    'REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bKx;received=192.0.2.1;rport=4000;maddr=239.1.1.1;ttl=16\r\n' +
      'From: "A \\"q\\" B" <sip:a@example.com>;tag=x\r\nTo: <sip:a@example.com>\r\nCall-ID: c\r\nCSeq: 2 REGISTER\r\nContact: *\r\nExpires: 0\r\n' +
      'Authorization: Digest username="a", realm="r", nonce="n", uri="sip:example.com", response="0123", algorithm=MD5\r\nContent-Length: 0\r\n\r\n',
  );
  const [via] = h.getVias(m);
  assert.deepEqual([via.host, via.port, via.branch, via.received, via.rport, via.maddr, via.ttl], ['[2001:db8::9]', 5070, 'z9hG4bKx', '192.0.2.1', 4000, '239.1.1.1', 16]);
  assert.equal(h.getFrom(m)?.displayName, 'A "q" B');
  assert.equal(String(h.getFrom(m)), '"A \\"q\\" B" <sip:a@example.com>;tag=x');
  assert.equal(h.getContacts(m), '*');
  assert.equal(h.getExpires(m), 0);
  assert.equal(h.getAuthorization(m)[0].params.get('uri'), 'sip:example.com');
  assert.deepEqual(h.getCSeq(m), { seq: 2, method: 'REGISTER' });
});

test('malformed typed values throw SipParseError lazily, the message itself parses', () => {
  const m = parseRequest(OPTIONS.toString().replace('CSeq: 63104 OPTIONS', 'CSeq: x OPTIONS').replace('Via: SIP/2.0/TCP', 'Via: SIP/2.0 TCP'));
  assert.throws(() => h.getCSeq(m), SipParseError);
  assert.throws(() => h.getVias(m), SipParseError);
  assert.equal(validateRequest(m)?.status, 400);
  assert.equal(canRespond(m), false);
});

test('createResponse copies Via/From/To/Call-ID/CSeq and adds a To tag (RFC 3261 8.2.6)', () => {
  const req = parseRequest(INVITE);
  const trying = createResponse(req, 100);
  assert.equal(h.getTo(trying)?.tag, undefined);
  const ringing = createResponse(req, 180, undefined, 'fixedtag');
  assert.equal(ringing.reason, 'Ringing');
  assert.equal(h.getTo(ringing)?.tag, 'fixedtag');
  assert.equal(h.getTo(ringing)?.displayName, 'Bob');
  assert.deepEqual(h.getHeaders(ringing, 'via'), h.getHeaders(req, 'via'));
  assert.equal(h.getHeader(ringing, 'call-id'), h.getHeader(req, 'call-id'));
  assert.deepEqual(h.getCSeq(ringing), { seq: 314159, method: 'INVITE' });
  assert.equal(h.getHeader(ringing, 'contact'), undefined);
  const wire = serializeMessage(createResponse(req, 486)).toString();
  assert.match(wire, /^SIP\/2\.0 486 Busy Here\r\n/);
  assert.match(wire, /\r\nContent-Length: 0\r\n\r\n$/);
  // An existing To tag (in-dialog request) is kept.
  const inDialog = parseRequest(OPTIONS.toString().replace('To: <sip:carol@chicago.example.com>', 'To: <sip:carol@chicago.example.com>;tag=abc'));
  assert.equal(h.getTo(createResponse(inDialog, 200))?.tag, 'abc');
});

test('a 400 can be built from the partial message of a parse error', () => {
  try {
    parseMessage(Buffer.from(OPTIONS.toString().replace('OPTIONS sip:', 'OPTIONS  sip:')));
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof SipParseError && e.respondable && e.partial);
    const res = createResponse(e.partial, 400, e.message);
    assert.equal(h.getCallId(res), 'a84b4c76e66710');
  }
});

test('datagram framing: leading CRLF ignored, trailing octets ignored, short body rejected', () => {
  const m = parseRequest(Buffer.concat([Buffer.from('\r\n\r\n'), INVITE, Buffer.from('garbage')]));
  assert.equal(m.body.length, h.getContentLength(m));
  assert.throws(() => parseMessage(INVITE.subarray(0, INVITE.length - 5)), (e: unknown) => e instanceof SipParseError && e.code === 'sip_truncated' && e.respondable);
  // Bare LF line ends are tolerated.
  assert.equal(parseRequest(OPTIONS.toString().replace(/\r\n/g, '\n')).method, 'OPTIONS');
});

test('validate: 420 only for unsupported Require, not for ACK/CANCEL; supported list honoured', () => {
  const withRequire = parseRequest(OPTIONS.toString().replace('Accept:', 'Require: 100rel\r\nAccept:'));
  assert.equal(validateRequest(withRequire)?.status, 420);
  assert.equal(validateRequest(withRequire, { supported: ['100rel'] }), null);
  assert.equal(validateRequest(parseRequest(INVITE)), null);
});

test('ids: branch cookie, uniqueness, token characters', () => {
  const branches = new Set(Array.from({ length: 10_000 }, newBranch));
  assert.equal(branches.size, 10_000);
  for (const b of [...branches].slice(0, 100)) assert.match(b, /^z9hG4bK[A-Za-z0-9_-]{16}$/);
  assert.match(newTag(), /^[A-Za-z0-9_-]{11}$/);
  assert.match(newCallId('example.com'), /^[A-Za-z0-9_-]{22}@example\.com$/);
});
