/**
 * bus: publish → deliver throughput and latency, in-process and NATS JetStream,
 * each bare (transport only) and with the audit log append (SQLite / Postgres),
 * which is what the server does on every publish.
 */
import { performance } from 'node:perf_hooks';
import type { EventBus } from '../src/bus/event-bus.js';
import { MemoryBus } from '../src/bus/memory-bus.js';
import { NatsBus } from '../src/bus/nats-bus.js';
import { createLogger } from '../src/core/logger.js';
import { EventLog } from '../src/store/event-log.js';
import { Store } from '../src/store/store.js';
import { dropPgSchema, NATS_URL, POSTGRES_URL, uniqueName } from '../test/helpers/backends.js';
import { percentile, round } from './_stats.js';

const N = Number(process.env.BENCH_EVENTS ?? 20_000);
const WINDOW = 256; // publishes in flight, like many calls publishing at once
const log = createLogger('silent');

async function measure(bus: EventBus, n: number) {
  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  let received = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await bus.subscribe({ types: ['interaction.'] }, (e) => {
    latencies.push(performance.now() - sentAt.get(e.id)!);
    if (++received === n) done();
  });
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const id = `evt_bench${i}`;
      sentAt.set(id, performance.now());
      await bus.publish({ id, tenantId: 'ten_bench', type: 'interaction.closed', data: { interactionId: `int_${i}` } });
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, worker));
  await finished;
  const seconds = (performance.now() - start) / 1000;
  return { eventsPerSec: Math.round(n / seconds), p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)) };
}

async function run() {
  const results: Record<string, unknown> = {};
  results.memory = await measure(new MemoryBus(null, log), N);

  const sqlite = await Store.open({ url: 'sqlite::memory:', dataDir: '/tmp' });
  await sqlite.migrate();
  results.memoryWithSqliteAudit = await measure(new MemoryBus(new EventLog(sqlite), log), N);
  await sqlite.close();

  const stream = uniqueName('BENCH').toUpperCase();
  const nats = await NatsBus.connect({ url: NATS_URL, stream }, null, log);
  results.nats = await measure(nats, N);
  await nats.destroyStream();
  await nats.close();

  const schema = uniqueName('bench');
  const pg = await Store.open({ url: POSTGRES_URL, dataDir: '/tmp', schema });
  await pg.migrate();
  const stream2 = uniqueName('BENCH').toUpperCase();
  const natsPg = await NatsBus.connect({ url: NATS_URL, stream: stream2 }, new EventLog(pg), log);
  results.natsWithPostgresAudit = await measure(natsPg, Math.min(N, 10_000));
  await natsPg.destroyStream();
  await natsPg.close();
  await pg.close();
  await dropPgSchema(POSTGRES_URL, schema);

  process.stdout.write(JSON.stringify({ bench: 'bus', events: N, inFlight: WINDOW, ...results }) + '\n');
}

await run();
