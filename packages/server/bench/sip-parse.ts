/**
 * SIP message layer throughput on one core: parsing a typical INVITE (with
 * the typed headers a transaction layer always reads), and serializing it.
 * Prints one JSON line.
 */
import { getCallId, getCSeq, getFrom, getTo, getVias } from '../src/sip/message.js';
import { parseMessage } from '../src/sip/parser.js';
import { serializeMessage } from '../src/sip/serializer.js';
import { INVITE } from '../test/sip/sample-messages.js';

function rate(durationMs: number, fn: () => void): number {
  for (let i = 0; i < 20_000; i++) fn(); // warm up the JIT
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (let i = 0; i < 1000; i++) fn();
    n += 1000;
    elapsed = performance.now() - start;
  }
  return Math.round((n / elapsed) * 1000);
}

let sink = 0;
const parsePerSec = rate(1500, () => {
  sink += parseMessage(INVITE).body.length;
});
const parseTypedPerSec = rate(1500, () => {
  const m = parseMessage(INVITE);
  sink += getVias(m).length + (getCSeq(m)?.seq ?? 0) + (getFrom(m)?.tag?.length ?? 0) + (getTo(m) ? 1 : 0) + (getCallId(m)?.length ?? 0);
});
const message = parseMessage(INVITE);
const serializePerSec = rate(1500, () => {
  sink += serializeMessage(message).length;
});
const roundTripPerSec = rate(1500, () => {
  sink += serializeMessage(parseMessage(INVITE)).length;
});

console.log(
  JSON.stringify({
    bench: 'sip-parse',
    messageBytes: INVITE.length,
    parsePerSec,
    parseTypedPerSec,
    serializePerSec,
    roundTripPerSec,
    node: process.version,
  }),
);
// Consuming the results keeps the measured work observable to the optimiser.
if (sink === 0) throw new Error('benchmark produced nothing');
