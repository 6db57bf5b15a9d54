/**
 * Hostile input: 1,000 garbage datagrams, answerable malformed requests (400),
 * truncated and oversize TCP streams. The endpoint must keep serving: a valid
 * OPTIONS afterwards still gets 200, on UDP and on TCP.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { SipEndpoint } from '../../src/sip/ua/endpoint.js';
import { delay, startEndpoint } from './sip-endpoints.js';

let ep: SipEndpoint;
before(async () => {
  ep = await startEndpoint({ maxMessageSize: 8192 });
});
after(() => ep.close());

const options = (port: number, transport: string, branch: string) =>
  [
    `OPTIONS sip:ping@127.0.0.1:${ep.ports.udp} SIP/2.0`,
    `Via: SIP/2.0/${transport} 127.0.0.1:${port};branch=z9hG4bK${branch};rport`,
    'Max-Forwards: 70',
    'From: <sip:probe@127.0.0.1>;tag=p1',
    'To: <sip:ping@127.0.0.1>',
    `Call-ID: ${branch}@probe`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

function udpExchange(payloads: Buffer[], waitMs = 300): Promise<string[]> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const got: string[] = [];
    sock.on('message', (m) => got.push(m.toString()));
    sock.bind(0, '127.0.0.1', async () => {
      for (const p of payloads) sock.send(p, ep.ports.udp, '127.0.0.1');
      await delay(waitMs);
      sock.close();
      resolve(got);
    });
  });
}

describe('robustness', () => {
  it('survives 1,000 garbage datagrams and still answers OPTIONS with 200', async () => {
    const before = ep.stats.dropped;
    const garbage: Buffer[] = [];
    for (let i = 0; i < 1000; i++) {
      const kind = i % 4;
      if (kind === 0) garbage.push(randomBytes(1 + (i % 1400)));
      else if (kind === 1) garbage.push(Buffer.from(`INVITE sip:x SIP/2.0\r\nVia: ${'x'.repeat(i % 50)}\r\n\r\n`));
      else if (kind === 2) garbage.push(Buffer.from('SIP/2.0 200 OK\r\nVia: garbage\r\n\r\n'));
      else garbage.push(Buffer.from(`\u0000\u00ff${'\r\n'.repeat(i % 7)}NOTSIP`));
    }
    await udpExchange(garbage, 200);
    assert.ok(ep.stats.dropped - before >= 990, `drops counted: ${ep.stats.dropped - before}`);
    const replies = await udpExchange([Buffer.from(options(1, 'UDP', 'ok1'))]);
    assert.equal(replies.length, 1);
    assert.match(replies[0], /^SIP\/2\.0 200 /);
    assert.match(replies[0], /Allow: .*INVITE/);
  });

  it('answers an answerable malformed request with 400', async () => {
    const bad = options(1, 'UDP', 'bad1').replace(/^OPTIONS sip:\S+ SIP\/2\.0/, 'OPTIONS  SIP/2.0');
    const replies = await udpExchange([Buffer.from(bad)]);
    assert.equal(replies.length, 1);
    assert.match(replies[0], /^SIP\/2\.0 400 /);
    assert.ok(ep.stats.badRequests >= 1);
  });

  it('closes truncated / oversize TCP streams and keeps serving TCP', async () => {
    // A message cut in the middle, then the connection closed.
    const half = net.connect(ep.ports.tcp, '127.0.0.1');
    await new Promise((r) => half.once('connect', r));
    half.write(options(1, 'TCP', 'half').slice(0, 60));
    half.end();
    // A header section that never ends: closed by the framer's size limit.
    const flood = net.connect(ep.ports.tcp, '127.0.0.1');
    await new Promise((r) => flood.once('connect', r));
    const closed = new Promise((r) => flood.once('close', r));
    flood.on('error', () => undefined);
    flood.write('OPTIONS sip:x SIP/2.0\r\n');
    for (let i = 0; i < 20; i++) flood.write(`X-Junk-${i}: ${'y'.repeat(1000)}\r\n`);
    await closed;
    // A well-formed request on a fresh connection, sent in small pieces.
    const good = net.connect(ep.ports.tcp, '127.0.0.1');
    await new Promise((r) => good.once('connect', r));
    const reply = new Promise<string>((r) => good.once('data', (d) => r(d.toString())));
    const msg = options((good.address() as net.AddressInfo).port, 'TCP', 'tcpok');
    for (let i = 0; i < msg.length; i += 7) {
      good.write(msg.slice(i, i + 7));
      await delay(1);
    }
    assert.match(await reply, /^SIP\/2\.0 200 /);
    good.destroy();
  });

  it('closes idle connections', async () => {
    const idle = await startEndpoint({ idleTimeoutMs: 200 });
    const sock = net.connect(idle.ports.tcp, '127.0.0.1');
    const started = Date.now();
    await new Promise((r) => sock.once('close', r));
    const lived = Date.now() - started;
    assert.ok(lived >= 150 && lived < 2000, `closed after ${lived} ms`);
    assert.equal(idle.stats.connectionsClosed, 1);
    await idle.close();
  });
});
