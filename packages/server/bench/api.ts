/**
 * api: requests/s and latency of an authenticated read (GET /api/users with an
 * API key) against a server process pinned to one core, load from autocannon
 * in this process on the other core.
 */
import autocannon from 'autocannon';
import { demoApiKey, startServerProcess } from './_server-process.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const server = await startServerProcess({ port: 3990, cpu: 0 });
try {
  const key = await demoApiKey(server.url);
  const run = (path: string) =>
    autocannon({
      url: server.url + path,
      connections: 50,
      pipelining: 1,
      duration: DURATION,
      headers: { authorization: `Bearer ${key}` },
    });
  await autocannon({ url: server.url + '/healthz', connections: 10, duration: 2 }); // warm-up
  const users = await run('/api/users');
  const health = await run('/healthz');
  const summary = (r: autocannon.Result) => ({
    requestsPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  });
  process.stdout.write(
    JSON.stringify({ bench: 'api', serverCores: 1, connections: 50, seconds: DURATION, authenticatedRead: summary(users), healthz: summary(health) }) + '\n',
  );
} finally {
  await server.stop();
}
