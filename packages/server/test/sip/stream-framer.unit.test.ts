import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipParseError } from '../../src/sip/errors.js';
import { parseMessage } from '../../src/sip/parser.js';
import { SipStreamFramer } from '../../src/sip/stream-framer.js';
import { INVITE, OPTIONS } from './sample-messages.js';

function collect(opts: { maxMessageSize?: number } = {}) {
  const frames: Buffer[] = [];
  let pings = 0;
  const framer = new SipStreamFramer({ ...opts, onMessage: (f) => frames.push(f), onKeepAlive: () => pings++ });
  return { framer, frames, pings: () => pings };
}

test('messages split at every possible boundary are reassembled', () => {
  const stream = Buffer.concat([INVITE, OPTIONS]);
  for (let cut = 1; cut < stream.length; cut++) {
    const { framer, frames } = collect();
    framer.push(stream.subarray(0, cut));
    framer.push(stream.subarray(cut));
    assert.equal(frames.length, 2, `cut at ${cut}`);
    assert.deepEqual(frames[0], INVITE);
    assert.deepEqual(frames[1], OPTIONS);
    assert.equal(framer.buffered, 0);
  }
});

test('byte-by-byte and random chunking', () => {
  const stream = Buffer.concat([OPTIONS, INVITE, OPTIONS]);
  const { framer, frames } = collect();
  for (const byte of stream) framer.push(Buffer.of(byte));
  assert.deepEqual(frames, [OPTIONS, INVITE, OPTIONS]);

  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n) + 1;
  for (let round = 0; round < 200; round++) {
    const c = collect();
    for (let i = 0; i < stream.length; ) {
      const n = rand(300);
      c.framer.push(stream.subarray(i, i + n));
      i += n;
    }
    assert.deepEqual(c.frames, [OPTIONS, INVITE, OPTIONS]);
  }
});

test('several messages in one chunk, each parseable', () => {
  const { framer, frames } = collect();
  framer.push(Buffer.concat([INVITE, INVITE, OPTIONS, INVITE]));
  assert.equal(frames.length, 4);
  assert.deepEqual(frames.map((f) => parseMessage(f).kind), ['request', 'request', 'request', 'request']);
});

test('CRLF keep-alives between messages are skipped and double-CRLF pings reported (RFC 5626)', () => {
  const { framer, frames, pings } = collect();
  framer.push(Buffer.from('\r\n\r\n'));
  framer.push(Buffer.from('\r\n'));
  framer.push(Buffer.from('\r\n'));
  framer.push(Buffer.concat([OPTIONS, Buffer.from('\r\n'), INVITE]));
  assert.equal(pings(), 2);
  assert.deepEqual(frames, [OPTIONS, INVITE]);
});

test('oversize header sections and bodies are rejected', () => {
  const small = collect({ maxMessageSize: 200 });
  assert.throws(() => small.framer.push(INVITE), (e: unknown) => e instanceof SipParseError && e.code === 'sip_too_large');
  const endless = collect({ maxMessageSize: 1000 });
  const junk = Buffer.from('OPTIONS sip:x SIP/2.0\r\nX: ' + 'a'.repeat(100) + '\r\n');
  assert.throws(() => {
    for (let i = 0; i < 20; i++) endless.framer.push(junk);
  }, (e: unknown) => e instanceof SipParseError && e.code === 'sip_too_large');
  const huge = collect();
  assert.throws(() => huge.framer.push(Buffer.from('OPTIONS sip:x SIP/2.0\r\nContent-Length: 99999999\r\n\r\n')), (e: unknown) => e instanceof SipParseError && e.code === 'sip_too_large');
});

test('unframeable Content-Length breaks the stream', () => {
  for (const cl of ['Content-Length: -1', 'l: abc', 'Content-Length: 3\r\nContent-Length: 4']) {
    const { framer } = collect();
    assert.throws(() => framer.push(Buffer.from(`OPTIONS sip:x SIP/2.0\r\n${cl}\r\n\r\n`)), (e: unknown) => e instanceof SipParseError && e.code === 'sip_bad_content_length', cl);
  }
});

test('a missing Content-Length means an empty body', () => {
  const { framer, frames } = collect();
  framer.push(Buffer.from('OPTIONS sip:x SIP/2.0\r\nCall-ID: a\r\n\r\nOPTIONS sip:y SIP/2.0\r\n\r\n'));
  assert.equal(frames.length, 2);
});
