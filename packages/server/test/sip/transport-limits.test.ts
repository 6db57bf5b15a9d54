/**
 * What one peer may take from the stream transports: connections per address and
 * in total are capped, a message trickled in (slowloris) is cut off, and an
 * oversized message is answered 513 Message Too Large before the connection closes
 * (on UDP the datagram is answered and dropped). Raw sockets, so nothing is polite.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { SipEndpoint } from '../../src/sip/ua/endpoint.js';
import { delay, startEndpoint } from './sip-endpoints.js';

const MAX = 8192;

function options(branch: string, opts: { transport?: string; body?: string; extraHeaders?: string[] } = {}): string {
  const body = opts.body ?? '';
  return [
    'OPTIONS sip:ping@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/${opts.transport ?? 'TCP'} 127.0.0.1:5999;branch=z9hG4bK${branch};rport`,
    'Max-Forwards: 70',
    'From: <sip:probe@127.0.0.1>;tag=p1',
    'To: <sip:ping@127.0.0.1>',
    `Call-ID: ${branch}@probe`,
    'CSeq: 1 OPTIONS',
    ...(opts.extraHeaders ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

async function connect(port: number): Promise<net.Socket> {
  const sock = net.connect(port, '127.0.0.1');
  sock.on('error', () => undefined);
  await new Promise((r) => sock.once('connect', r));
  return sock;
}

/** Everything the server sent until it closed the connection. */
function readUntilClose(sock: net.Socket): Promise<string> {
  let got = '';
  sock.on('data', (d) => (got += d.toString()));
  return new Promise((r) => sock.once('close', () => r(got)));
}

function firstReply(sock: net.Socket): Promise<string> {
  return new Promise((r) => sock.once('data', (d) => r(d.toString())));
}

/** Whether the server closes a fresh connection at once (refused) or keeps it (accepted and answering). */
async function accepted(port: number): Promise<{ ok: boolean; sock: net.Socket }> {
  const sock = await connect(port);
  const closed = new Promise<boolean>((r) => sock.once('close', () => r(true)));
  const reply = firstReply(sock).then(() => false);
  sock.write(options(`probe${Math.random().toString(36).slice(2)}`));
  return { ok: !(await Promise.race([closed, reply])), sock };
}

describe('SIP transport limits', () => {
  let ep: SipEndpoint;
  before(async () => {
    ep = await startEndpoint({ maxMessageSize: MAX, messageTimeoutMs: 400, maxConnectionsPerAddress: 3, wsPort: 0 });
  });
  after(() => ep.close());

  it('cuts off a header section trickled in byte by byte (slowloris), and keeps serving others', async () => {
    const before = ep.stats.slowMessages;
    const slow = await connect(ep.ports.tcp);
    const closed = readUntilClose(slow);
    const text = options('slow');
    let i = 0;
    const trickle = setInterval(() => slow.write(text[i++ % 40]), 30);
    const got = await closed;
    clearInterval(trickle);
    assert.equal(got, '', 'nothing answered to a message that never completed');
    assert.equal(ep.stats.slowMessages - before, 1);
    const good = await connect(ep.ports.tcp);
    const reply = firstReply(good);
    good.write(options('fast'));
    assert.match(await reply, /^SIP\/2\.0 200 /);
    good.destroy();
  });

  it('keeps a connection whose messages each arrive whole in time, however long it lives', async () => {
    const sock = await connect(ep.ports.tcp);
    for (let n = 0; n < 3; n++) {
      const reply = firstReply(sock);
      const text = options(`steady${n}`);
      sock.write(text.slice(0, 50));
      await delay(150);
      sock.write(text.slice(50));
      assert.match(await reply, /^SIP\/2\.0 200 /);
      await delay(300); // idle between messages is not a slow message
    }
    assert.equal(sock.destroyed, false);
    sock.destroy();
  });

  it('answers 513 to a TCP message whose Content-Length exceeds the limit, then closes', async () => {
    const sock = await connect(ep.ports.tcp);
    const got = readUntilClose(sock);
    sock.write(options('bigbody', { body: 'x'.repeat(MAX + 100) }));
    const reply = await got;
    assert.match(reply, /^SIP\/2\.0 513 Message Too Large\r\n/);
    assert.match(reply, /\r\nCall-ID: bigbody@probe\r\n/);
    assert.match(reply, /\r\nCSeq: 1 OPTIONS\r\n/);
  });

  it('answers 513 to a TCP header section that exceeds the limit, then closes', async () => {
    const sock = await connect(ep.ports.tcp);
    const got = readUntilClose(sock);
    const junk = Array.from({ length: 20 }, (_, i) => `X-Junk-${i}: ${'y'.repeat(1000)}`);
    sock.write(options('bighead', { extraHeaders: junk }));
    assert.match(await got, /^SIP\/2\.0 513 Message Too Large\r\n[\s\S]*Call-ID: bighead@probe/);
  });

  it('answers 513 to an oversized UDP datagram', async () => {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    const reply = new Promise<string>((r) => sock.once('message', (m) => r(m.toString())));
    const port = sock.address().port;
    sock.send(Buffer.from(options('bigudp', { transport: 'UDP', body: 'x'.repeat(MAX + 100) }).replace('127.0.0.1:5999', `127.0.0.1:${port}`)), ep.ports.udp, '127.0.0.1');
    assert.match(await reply, /^SIP\/2\.0 513 Message Too Large\r\n[\s\S]*Call-ID: bigudp@probe/);
    sock.close();
  });

  it('answers 513 to an oversized WebSocket message, then closes', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${ep.ports.ws}`, 'sip');
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const messages: string[] = [];
    ws.on('message', (m) => messages.push(m.toString()));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(options('bigws', { transport: 'WS', body: 'x'.repeat(MAX + 100) }));
    assert.equal(await closed, 1009);
    assert.equal(messages.length, 1);
    assert.match(messages[0], /^SIP\/2\.0 513 Message Too Large\r\n[\s\S]*Call-ID: bigws@probe/);
  });

  it('refuses a fourth TCP or WebSocket connection from one address, and takes one again when a slot frees', async () => {
    const refusedBefore = ep.stats.connectionsRefused;
    const held = [await connect(ep.ports.tcp), await connect(ep.ports.tcp)];
    const ws = new WebSocket(`ws://127.0.0.1:${ep.ports.ws}`, 'sip');
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    await delay(50);
    const fourth = await accepted(ep.ports.tcp);
    assert.equal(fourth.ok, false, 'the fourth connection is closed at once');
    const ws2 = new WebSocket(`ws://127.0.0.1:${ep.ports.ws}`, 'sip');
    assert.equal(await new Promise((r) => ws2.once('close', (code) => r(code))), 1013);
    assert.equal(ep.stats.connectionsRefused - refusedBefore, 2);
    held[0].destroy();
    await delay(100);
    const again = await accepted(ep.ports.tcp);
    assert.equal(again.ok, true, 'a freed slot is usable again');
    again.sock.destroy();
    held[1].destroy();
    ws.close();
  });

  it('refuses connections beyond the total cap', async () => {
    const small = await startEndpoint({ maxConnections: 2 });
    try {
      const a = await connect(small.ports.tcp);
      const b = await connect(small.ports.tcp);
      await delay(50);
      assert.equal((await accepted(small.ports.tcp)).ok, false);
      assert.equal(small.stats.connectionsRefused, 1);
      a.destroy();
      b.destroy();
    } finally {
      await small.close();
    }
  });
});
