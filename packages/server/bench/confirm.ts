/**
 * confirm: push → customer-receives latency and answers/s over the WebSocket,
 * with N interactions live at once. A server process pinned to one core; N
 * customers each hold a socket, a business system pushes with an API key.
 *
 * latency = from sending POST /api/interactions/:id/cards to the customer's
 * socket receiving `card.presented` (the card is stored, chained and evented by then).
 * answers/s = `card.answer` requests over the customers' sockets, all in flight at once.
 */
import WebSocket from 'ws';
import { percentile, round } from './_stats.js';
import { demoApiKey, startServerProcess } from './_server-process.js';

const N = Number(process.env.BENCH_INTERACTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const ADDRESS = { line1: '1 High Street', city: 'Springfield', postcode: 'AB1 2CD', country: 'GB' };

const server = await startServerProcess({ port: 3991, cpu: 0 });
const sockets: WebSocket[] = [];
try {
  const key = await demoApiKey(server.url);
  const api = async (method: string, path: string, body?: unknown, cookie?: string) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : { authorization: `Bearer ${key}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return { body: (await res.json()) as any, res };
  };

  interface Customer {
    interactionId: string;
    socket: WebSocket;
    /** Resolvers waiting for the next card.presented on this socket. */
    waiting: ((card: { id: string; version: number }) => void)[];
    replies: Map<string, (msg: any) => void>;
  }
  const customers: Customer[] = [];
  for (let i = 0; i < N; i++) {
    const email = `bench${i}@acme.test`;
    const user = (await api('POST', '/api/users', { email, name: `Bench ${i}`, role: 'customer', password: 'bench-password' })).body;
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'bench-password' }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const interactionId = (await api('POST', '/api/interactions', { channel: 'voice', customerId: user.id })).body.id;
    // Only direct pushes: the event copy of each card is filtered out by type.
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/ws?types=none.`, { headers: { cookie } });
    sockets.push(socket);
    const c: Customer = { interactionId, socket, waiting: [], replies: new Map() };
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data));
      if (msg.kind === 'card.presented') c.waiting.shift()?.(msg.card);
      else if (msg.ref) c.replies.get(msg.ref)?.(msg);
    });
    await new Promise((r) => socket.once('message', r)); // hello
    customers.push(c);
  }

  const cards: { customer: Customer; id: string }[] = [];
  const pushOnce = async (c: Customer) => {
    const received = new Promise<{ id: string }>((r) => c.waiting.push(r));
    const t0 = performance.now();
    await api('POST', `/api/interactions/${c.interactionId}/cards`, { kind: 'address', values: ADDRESS, ttlSeconds: 600 });
    const card = await received;
    cards.push({ customer: c, id: card.id });
    return performance.now() - t0;
  };

  // Baseline: one push at a time.
  const idle: number[] = [];
  for (let i = 0; i < 50; i++) idle.push(await pushOnce(customers[i % N]));

  // Under load: every interaction gets a card at the same moment, ROUNDS times.
  const latencies: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    latencies.push(...(await Promise.all(customers.map(pushOnce))));
  }

  // Answers: all cards answered over the sockets, all in flight together.
  let ref = 0;
  const t0 = performance.now();
  const results = await Promise.all(
    cards.map(
      ({ customer, id }) =>
        new Promise<any>((resolve) => {
          const r = `a${ref++}`;
          customer.replies.set(r, resolve);
          customer.socket.send(JSON.stringify({ kind: 'card.answer', ref: r, cardId: id, version: 1, decision: 'confirm', values: { postcode: 'ZX9 8YW' } }));
        }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  const failed = results.filter((m) => m.kind !== 'card.answered').length;

  process.stdout.write(
    JSON.stringify({
      bench: 'confirm',
      serverCores: 1,
      interactions: N,
      pushToReceiveIdleMs: { p50: round(percentile(idle, 50)), p99: round(percentile(idle, 99)) },
      pushes: latencies.length,
      pushToReceiveMs: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)) },
      answers: results.length,
      answersPerSec: Math.round(results.length / seconds),
      answerErrors: failed,
      note: 'busy shared 2-core machine',
    }) + '\n',
  );
} finally {
  for (const s of sockets) s.close();
  await server.stop();
}
