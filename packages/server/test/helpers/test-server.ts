import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { CallsightClient } from '../../../sdk/src/index.js';
import { NatsBus } from '../../src/bus/nats-bus.js';
import { loadConfig, type Config } from '../../src/core/config.js';
import type { Feature } from '../../src/core/feature.js';
import { createLogger } from '../../src/core/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { DEFAULT_BACKEND, dropPgSchema, uniqueName, type Backend } from './backends.js';

export interface TestServer extends RunningServer {
  config: Config;
  /** Log in and return the session cookie header value. */
  login(email: string, password?: string): Promise<string>;
  /** An SDK client of this server, logged in as `email` (the demo password by default). */
  client(email: string, password?: string): Promise<CallsightClient>;
  /** fetch against the server with JSON body handling. */
  api(method: string, url: string, opts?: { body?: unknown; cookie?: string; key?: string }): Promise<{ status: number; body: any; headers: Headers }>;
  /** Stop and delete everything this server created (data dir, pg schema, NATS stream). */
  destroy(): Promise<void>;
  /** Pass as `reuse` to start a server on the same data (restart tests). */
  reuseInfo: { dataDir: string; schema: string; stream: string };
}

export interface TestServerOptions {
  backend?: Backend;
  /** Reuse the data dir / schema / stream of an earlier server (restart tests). */
  reuse?: { dataDir: string; schema: string; stream: string };
  config?: Partial<Config>;
  /** Boot only these features (default: all). */
  features?: readonly Feature[];
  /** Every log line the server writes, at debug level (for tests that hunt for leaked secrets). */
  captureLogs?: string[];
}

function randomRtpBlock(): string {
  // 10000–29999: apart from the kernel's ephemeral ports and the peers' ports (helpers/ports.ts).
  const base = 10000 + 200 * Math.floor(Math.random() * 100);
  return `${base}-${base + 199}`;
}

/** A test server with the seeded admin signed in: what most API suites start from. */
export async function startWithAdmin(opts: TestServerOptions = {}): Promise<{ s: TestServer; admin: string }> {
  const s = await startTestServer(opts);
  try {
    return { s, admin: await s.login('admin@acme.test') };
  } catch (err) {
    await s.destroy();
    throw err;
  }
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const backend = opts.backend ?? DEFAULT_BACKEND;
  const dataDir = opts.reuse?.dataDir ?? mkdtempSync(path.join(tmpdir(), 'callsight-test-'));
  const schema = opts.reuse?.schema ?? uniqueName('t');
  const stream = opts.reuse?.stream ?? uniqueName('CS').toUpperCase();
  const config = loadConfig(
    { NODE_ENV: 'test' },
    {
      httpHost: '127.0.0.1',
      httpPort: 0,
      dataDir,
      databaseUrl: backend.databaseUrl,
      natsUrl: backend.natsUrl,
      natsStream: stream,
      logLevel: 'silent',
      // Ephemeral SIP port and a random RTP block: test servers run side by side.
      sipPort: 0,
      rtpPorts: randomRtpBlock(),
      // The peers tests stand up (webhook receivers, x5u and SMS gateways) listen on 127.0.0.1:
      // allowed here explicitly, as an operator would; the default allows nothing internal.
      egressAllow: '127.0.0.1',
      ...opts.config,
    },
  );
  const lines = opts.captureLogs;
  const logger = lines ? createLogger('debug', { write: (line: string) => void lines.push(line) }) : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const server = await startServer(config, { logger, storeSchema: schema, features: opts.features });

  const api: TestServer['api'] = async (method, url, o = {}) => {
    const headers: Record<string, string> = {};
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (o.cookie) headers.cookie = o.cookie;
    if (o.key) headers.authorization = `Bearer ${o.key}`;
    const res = await fetch(server.url + url, {
      method,
      headers,
      body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, headers: res.headers };
  };

  return {
    ...server,
    config,
    api,
    async login(email, password = 'demo') {
      const res = await fetch(server.url + '/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${await res.text()}`);
      return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    },
    async client(email, password = 'demo') {
      const client = new CallsightClient({ baseUrl: server.url, WebSocket });
      await client.login(email, password);
      return client;
    },
    async close() {
      await server.close();
      assertNothingLeaked(server);
    },
    async destroy() {
      await server.close();
      assertNothingLeaked(server);
      if (opts.reuse) return;
      rmSync(dataDir, { recursive: true, force: true });
      if (backend.databaseUrl) await dropPgSchema(backend.databaseUrl, schema);
      if (backend.natsUrl) {
        const bus = await NatsBus.connect({ url: backend.natsUrl, stream }, null, createLogger('silent'));
        await bus.destroyStream().catch(() => {});
        await bus.close();
      }
    },
    reuseInfo: { dataDir, schema, stream },
  };
}

/**
 * After a server closed, every call it had must be gone and every RTP port back in
 * the pool: a call stuck half set up (no ACK, no answer, a peer that vanished) that
 * shutdown could not end shows here, in the file that caused it.
 */
function assertNothingLeaked(server: RunningServer): void {
  const tel = server.ctx.services.maybe('telephony');
  if (!tel) return;
  const leaks: string[] = [];
  if (tel.manager.size > 0) leaks.push(`${tel.manager.size} live call(s)`);
  if (tel.media.ports.allocated > 0) leaks.push(`${tel.media.ports.allocated} RTP port(s) still allocated`);
  if (leaks.length) throw new Error(`the server closed with ${leaks.join(' and ')}: a call was not torn down`);
}

/** Removes the demo tenant's seeded brand, for tests that register their own brands from scratch. */
export async function removeSeededBrands(s: TestServer): Promise<void> {
  const admin = await s.client('admin@acme.test');
  for (const brand of (await admin.brands.list()).items) await admin.brands.remove(brand.id);
}
