import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipParseError } from '../../src/sip/errors.js';
import * as h from '../../src/sip/message.js';
import type { SipMessage } from '../../src/sip/message.js';
import { parseMessage } from '../../src/sip/parser.js';
import { parseSdp, SdpParseError } from '../../src/sip/sdp.js';
import { serializeMessage } from '../../src/sip/serializer.js';
import { SipStreamFramer } from '../../src/sip/stream-framer.js';
import { validateRequest, validateResponse } from '../../src/sip/validate.js';
import { INVITE, OPTIONS } from './sample-messages.js';
import { loadTortureMessages } from './torture-messages.js';

const ITERATIONS = 20_000;
const SEED = Number(process.env.SIP_FUZZ_SEED ?? 0x5eed);

/** xorshift32: reproducible from SIP_FUZZ_SEED. */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

const INSERTS = [0x0d, 0x0a, 0x00, 0x22, 0x3c, 0x3e, 0x3b, 0x2c, 0x3a, 0x25, 0x5c, 0x20, 0x40];

function mutate(src: Buffer, rand: (n: number) => number): Buffer {
  let buf = Buffer.from(src);
  const steps = 1 + rand(4);
  for (let s = 0; s < steps; s++) {
    const at = rand(buf.length + 1);
    switch (rand(5)) {
      case 0: // byte flip
        if (buf.length > 0) buf[Math.min(at, buf.length - 1)] ^= 1 << rand(8);
        break;
      case 1: // truncation
        buf = buf.subarray(0, at);
        break;
      case 2: // insert a delimiter byte
        buf = Buffer.concat([buf.subarray(0, at), Buffer.of(INSERTS[rand(INSERTS.length)]), buf.subarray(at)]);
        break;
      case 3: // delete a span
        buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + 1 + rand(8))]);
        break;
      default: // duplicate a span (long values, repeated headers)
        buf = Buffer.concat([buf.subarray(0, at + rand(64)), buf.subarray(at)]);
    }
  }
  return buf;
}

/** Everything downstream code may call on a parsed message; only typed-header parse errors are acceptable. */
function exercise(m: SipMessage): void {
  const accessors = [h.getVias, h.getFrom, h.getTo, h.getCallId, h.getCSeq, h.getMaxForwards, h.getContentLength, h.getContentType, h.getExpires, h.getContacts, h.getRoutes, h.getRecordRoutes, h.getRequire, h.getSupported, h.getAccept, h.getAuthorization, h.getDate];
  for (const get of accessors) {
    try {
      get(m);
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
    }
  }
  if (m.kind === 'request') validateRequest(m);
  else validateResponse(m);
  parseMessage(serializeMessage(m));
  if (m.body.length > 0) {
    try {
      parseSdp(m.body);
    } catch (e) {
      if (!(e instanceof SdpParseError)) throw e;
    }
  }
}

test(`fuzz: ${ITERATIONS} mutated messages only ever throw SipParseError, in bounded time (seed ${SEED})`, () => {
  const corpus = [INVITE, OPTIONS, ...loadTortureMessages().values()];
  const rand = prng(SEED);
  let parsed = 0;
  let slowest = 0;
  const started = performance.now();
  for (let i = 0; i < ITERATIONS; i++) {
    const input = mutate(corpus[rand(corpus.length)], rand);
    const t0 = performance.now();
    let message: SipMessage | undefined;
    try {
      message = parseMessage(input);
    } catch (e) {
      if (!(e instanceof SipParseError)) {
        assert.fail(`iteration ${i} threw ${String(e)} on ${JSON.stringify(input.toString('latin1'))}`);
      }
    }
    if (message) {
      // Whatever parsed must survive every accessor and re-parse after serialization.
      exercise(message);
      parsed++;
    }
    // The framer must also survive the same input.
    try {
      new SipStreamFramer({ onMessage: () => {} }).push(input);
    } catch (e) {
      if (!(e instanceof SipParseError)) assert.fail(`framer threw ${String(e)}`);
    }
    slowest = Math.max(slowest, performance.now() - t0);
  }
  const total = performance.now() - started;
  assert.ok(parsed > ITERATIONS / 10, `only ${parsed} mutants parsed: the mutations are too destructive to be useful`);
  assert.ok(slowest < 250, `slowest input took ${slowest.toFixed(1)} ms`);
  assert.ok(total < 30_000, `fuzzing took ${total.toFixed(0)} ms`);
});
