/**
 * Mutation fuzzing of a running callsight server over the network: 100,000
 * mutated valid SIP messages over UDP and 12,000 over TCP (split writes, junk
 * between messages, lying Content-Lengths). The server must keep answering,
 * count what it drops, and not keep what it was sent.
 *
 * The messages are valid requests and responses that reach no call (OPTIONS,
 * an INVITE to an unknown number, REGISTER of an unknown account, BYE and
 * MESSAGE outside a dialog, a stray 200) so the survivors are cheap; each has its own
 * branch and Call-ID, as an attacker's would. The seed makes every run send the same bytes.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import type { TransportStats } from '../../src/sip/transport/stats.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';
import { delay } from './sip-endpoints.js';

const SEED = 0x5eed_c0de;
const UDP_MESSAGES = 100_000;
const TCP_MESSAGES = 12_000;
const TCP_CONNECTIONS = 4;
const MAX_HEAP_GROWTH = 100 * 1024 * 1024;

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}
type Rng = ReturnType<typeof prng>;

/** A full collection; `--expose-gc` is switched on at run time, so the test needs no node flags. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const SDP = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', ''].join('\r\n');

/** One valid message of a rotating kind; `n` makes its branch, tag and Call-ID unique. */
function validMessage(n: number, transport: 'UDP' | 'TCP', host: string, port: number): string {
  const via = `Via: SIP/2.0/${transport} 127.0.0.1:${port};branch=z9hG4bKfz${n};rport`;
  const common = (method: string, user: string, cseq = 1) => [
    via,
    'Max-Forwards: 70',
    `From: "Fuzz \\"${n}\\"" <sip:fuzz@127.0.0.1>;tag=f${n}`,
    `To: <sip:${user}@${host}>`,
    `Call-ID: fz${n}@127.0.0.1`,
    `CSeq: ${cseq} ${method}`,
  ];
  const msg = (start: string, headers: string[], body = '') => [start, ...headers, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
  switch (n % 6) {
    case 0:
      return msg(`OPTIONS sip:ping@${host} SIP/2.0`, [...common('OPTIONS', 'ping'), 'Accept: application/sdp']);
    case 1:
      return msg(`INVITE sip:nobody-${n % 97}@${host} SIP/2.0`, [...common('INVITE', 'nobody'), `Contact: <sip:fuzz@127.0.0.1:${port}>`, 'Content-Type: application/sdp'], SDP);
    case 2:
      return msg(`REGISTER sip:${host} SIP/2.0`, [...common('REGISTER', 'ghost'), `Contact: <sip:ghost@127.0.0.1:${port}>;expires=60`, 'Expires: 60']);
    case 3:
      return msg(`BYE sip:nobody@${host} SIP/2.0`, common('BYE', 'nobody', 2));
    case 4:
      return msg(`MESSAGE sip:nobody@${host} SIP/2.0`, [...common('MESSAGE', 'nobody'), 'Content-Type: text/plain'], `hello ${n}`);
    default:
      return msg('SIP/2.0 200 OK', [`Via: SIP/2.0/${transport} ${host};branch=z9hG4bKstray${n}`, `From: <sip:a@${host}>;tag=a${n}`, `To: <sip:b@${host}>;tag=b${n}`, `Call-ID: stray${n}`, 'CSeq: 1 INVITE']);
  }
}

const INSERTS = ['\r', '\n', '\0', '"', '\r\n', '\r\n\r\n', '<', ':', ';', ' '];

/** One to three mutations: byte flips, truncations, inserted CR/LF/NUL/quotes, duplicated or deleted headers. */
function mutate(text: string, rng: Rng): Buffer {
  let buf = Buffer.from(text, 'latin1');
  const rounds = 1 + rng.int(3);
  for (let r = 0; r < rounds; r++) {
    switch (rng.int(6)) {
      case 0: {
        const at = rng.int(buf.length);
        buf[at] ^= 1 << rng.int(8);
        break;
      }
      case 1:
        buf = buf.subarray(0, rng.int(buf.length));
        break;
      case 2: {
        const at = rng.int(buf.length + 1);
        buf = Buffer.concat([buf.subarray(0, at), Buffer.from(rng.pick(INSERTS), 'latin1'), buf.subarray(at)]);
        break;
      }
      case 3:
      case 4: {
        const lines = buf.toString('latin1').split('\r\n');
        const end = lines.indexOf('');
        if (end < 2) break;
        const i = 1 + rng.int(end - 1);
        if (r % 2 === 0) lines.splice(i, 0, lines[i]);
        else lines.splice(i, 1);
        buf = Buffer.from(lines.join('\r\n'), 'latin1');
        break;
      }
      default: {
        // A random run of random bytes overwritten in place.
        const at = rng.int(buf.length);
        for (let k = at; k < Math.min(buf.length, at + 1 + rng.int(16)); k++) buf[k] = rng.int(256);
      }
    }
  }
  return buf;
}

const optionsProbe = (transport: 'UDP' | 'TCP', host: string, port: number, id: string) =>
  [
    `OPTIONS sip:ping@${host} SIP/2.0`,
    `Via: SIP/2.0/${transport} 127.0.0.1:${port};branch=z9hG4bKprobe${id};rport`,
    'Max-Forwards: 70',
    'From: <sip:probe@127.0.0.1>;tag=probe',
    `To: <sip:ping@${host}>`,
    `Call-ID: probe-${id}`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

describe('SIP fuzzing over the network', () => {
  let s: TestServer;
  let host: string;
  let ports: { udp: number; tcp: number };
  let stats: () => TransportStats;
  let heapBefore = 0;

  before(async () => {
    s = await startTestServer();
    const { endpoint } = s.ctx.services.get('telephony');
    ports = endpoint.ports;
    host = `127.0.0.1:${ports.udp}`;
    stats = () => endpoint.stats;
    collectGarbage();
    heapBefore = process.memoryUsage().heapUsed;
  });
  after(async () => {
    await s?.destroy();
  });

  async function udpOptions(id: string): Promise<string> {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    const reply = new Promise<string>((resolve) => sock.on('message', (m) => resolve(m.toString('latin1'))));
    const probe = Buffer.from(optionsProbe('UDP', host, sock.address().port, id));
    // UDP: retransmit like a client would (Timer E) until answered.
    const timer = setInterval(() => sock.send(probe, ports.udp, '127.0.0.1'), 500);
    sock.send(probe, ports.udp, '127.0.0.1');
    const text = await Promise.race([reply, delay(5000).then(() => 'no answer')]);
    clearInterval(timer);
    sock.close();
    return text;
  }

  async function tcpOptions(id: string): Promise<string> {
    const sock = net.connect(ports.tcp, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const reply = new Promise<string>((resolve) => sock.once('data', (d) => resolve(d.toString('latin1'))));
    sock.write(optionsProbe('TCP', host, sock.localPort!, id));
    const text = await Promise.race([reply, delay(5000).then(() => 'no answer')]);
    sock.destroy();
    return text;
  }

  it(`survives ${UDP_MESSAGES.toLocaleString('en')} mutated datagrams and counts the drops`, async () => {
    const rng = prng(SEED);
    const before = { ...stats() };
    const sock = dgram.createSocket('udp4');
    let answers = 0;
    sock.on('message', () => answers++);
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    const local = sock.address().port;
    const BATCH = 200;
    for (let n = 0; n < UDP_MESSAGES; n += BATCH) {
      let sent = 0;
      await new Promise<void>((resolve) => {
        for (let k = 0; k < BATCH; k++) {
          sock.send(mutate(validMessage(n + k, 'UDP', host, local), rng), ports.udp, '127.0.0.1', () => ++sent === BATCH && resolve());
        }
      });
      // The server shares this process: let it read all but one batch before sending more, so the kernel's
      // socket buffer never overflows (it is not under test). A datagram it never reads fails the count below.
      const deadline = Date.now() + 200;
      while (stats().received - before.received < n && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    }
    await delay(300);
    sock.close();

    const after = stats();
    const received = after.received - before.received;
    const dropped = after.dropped - before.dropped;
    const badRequests = after.badRequests - before.badRequests;
    assert.ok(received >= UDP_MESSAGES * 0.99, `server received ${received} of ${UDP_MESSAGES}`);
    // Roughly a third of the mutations break the message beyond use: those are counted as drops or answered 400.
    assert.ok(dropped > UDP_MESSAGES * 0.1, `drops counted: ${dropped}`);
    assert.ok(badRequests > 0, `400 Bad Request answers counted: ${badRequests}`);
    assert.ok(answers > 0, 'the surviving requests were answered');
    assert.match(await udpOptions('udp-after'), /^SIP\/2\.0 200 /);
  });

  it(`survives ${TCP_MESSAGES.toLocaleString('en')} mutated messages on ${TCP_CONNECTIONS} TCP connections, split writes and junk framing`, async () => {
    const rng = prng(SEED ^ 0x7c9);
    const before = { ...stats() };

    /** One client: writes its share in random pieces, reconnecting whenever the server gives up on the framing. */
    async function client(id: number, count: number): Promise<void> {
      let sock: net.Socket | null = null;
      const open = async () => {
        const next = net.connect(ports.tcp, '127.0.0.1');
        next.on('error', () => undefined);
        next.on('data', () => undefined);
        next.on('close', () => {
          if (sock === next) sock = null;
        });
        await new Promise((r) => next.once('connect', r));
        sock = next;
        return next;
      };
      for (let i = 0; i < count; i++) {
        const conn = sock ?? (await open());
        const n = 1_000_000 + id * count + i;
        let bytes = mutate(validMessage(n, 'TCP', host, conn.localPort!), rng);
        // Junk between messages: the framer has to resynchronise or close.
        if (rng.int(20) === 0) bytes = Buffer.concat([Buffer.from(rng.pick(['\r\n', '\r\n\r\n', 'garbage\r\n\r\n', '\0\0\0', 'SIP/2.0\r\n']), 'latin1'), bytes]);
        const pieces = rng.int(4) === 0 ? 2 + rng.int(6) : 1;
        let at = 0;
        for (let p = 0; p < pieces && conn.writable; p++) {
          const end = p === pieces - 1 ? bytes.length : Math.min(bytes.length, at + 1 + rng.int(Math.max(1, bytes.length / pieces)));
          const chunk = bytes.subarray(at, end);
          at = end;
          if (!conn.write(chunk)) await new Promise((r) => conn.once('drain', r).once('close', r));
          if (pieces > 1) await new Promise((r) => setImmediate(r));
        }
        if (i % 100 === 99) await new Promise((r) => setImmediate(r));
      }
      (sock as net.Socket | null)?.destroy();
    }

    await Promise.all(Array.from({ length: TCP_CONNECTIONS }, (_, id) => client(id, TCP_MESSAGES / TCP_CONNECTIONS)));
    await delay(300);

    const after = stats();
    const dropped = after.dropped - before.dropped;
    // Fewer messages than were written: a truncation or a lying Content-Length makes the framer take the next
    // message as part of this one (a stream has no other boundary), or close the connection.
    assert.ok(after.received - before.received > TCP_MESSAGES * 0.3, `server framed ${after.received - before.received} messages`);
    assert.ok(dropped > 0, `drops counted: ${dropped}`);
    assert.ok(after.connectionsOpened - before.connectionsOpened >= TCP_CONNECTIONS, 'the clients connected');
    assert.match(await tcpOptions('tcp-after'), /^SIP\/2\.0 200 /);
    assert.match(await udpOptions('udp-after-tcp'), /^SIP\/2\.0 200 /);
  });

  it('lets go of everything once the transactions it was sent have timed out', async () => {
    // Each surviving request holds a server transaction for 64*T1 (Timer H/J, 32 s over UDP, RFC 3261 17.2):
    // memory is judged after they end, when nothing of the fuzz may remain.
    await waitFor(() => {
      const { transactions, dialogs } = s.ctx.services.get('telephony').endpoint.stats;
      return transactions.server + transactions.client + dialogs === 0;
    }, 45_000, 'the fuzz transactions to time out');
    collectGarbage();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(growth < MAX_HEAP_GROWTH, `heap grew by ${(growth / 1048576).toFixed(1)} MB`);
  });
});
