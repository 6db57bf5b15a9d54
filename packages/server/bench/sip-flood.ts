/**
 * Memory under a SIP flood: 20,000 new requests (distinct branches) from one UDP
 * socket, which the server answers at once; each answer leaves a server transaction
 * open for 32 s (RFC 3261 timers H/J). Reports heap bytes per open transaction for
 * OPTIONS (answered 200) and INVITE (answered 404), then the same INVITE flood with
 * a cap of 5,000 (CALLSIGHT_SIP_MAX_TRANSACTIONS): the rest get 503 and the heap stays
 * bounded. Prints one JSON line.
 */
import { createSocket } from 'node:dgram';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createLogger } from '../src/core/logger.js';
import { SipEndpoint } from '../src/sip/ua/endpoint.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const N = 20_000;

async function flood(method: 'OPTIONS' | 'INVITE', cap?: number) {
  const ep = await SipEndpoint.start({ bindHost: '127.0.0.1', port: 0, publicHost: '127.0.0.1', log: createLogger('silent'), maxServerTransactions: cap });
  ep.on('invite', (inv) => inv.reject(404));
  const port = ep.ports.udp;
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const local = sock.address().port;
  const statuses = new Map<number, number>();
  sock.on('message', (m) => {
    const st = Number(m.toString('latin1', 8, 11));
    statuses.set(st, (statuses.get(st) ?? 0) + 1);
  });
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < N; i++) {
    const m = [
      `${method} sip:100@127.0.0.1:${port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-flood-${i}`,
      'Max-Forwards: 70',
      `From: <sip:flood@127.0.0.1>;tag=f${i}`,
      'To: <sip:100@127.0.0.1>',
      `Call-ID: flood-${i}@127.0.0.1`,
      `CSeq: 1 ${method}`,
      `Contact: <sip:flood@127.0.0.1:${local}>`,
      'User-Agent: flood',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    sock.send(m, port, '127.0.0.1');
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 1));
  }
  await new Promise((r) => setTimeout(r, 1000));
  gc();
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  const open = ep.stats.transactions.server;
  sock.close();
  ep.close();
  return { method, cap: cap ?? null, open, answers: Object.fromEntries(statuses), heapGrowthMB: +(grown / 1e6).toFixed(1), bytesPerOpenTx: Math.round(grown / Math.max(1, open)) };
}

const results = [await flood('OPTIONS'), await flood('INVITE'), await flood('INVITE', 5000)];
console.log(JSON.stringify({ bench: 'sip-flood', requests: N, results }));
process.exit(0);
