import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NatsBus } from '../../src/bus/nats-bus.js';
import { loadConfig, type Config } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { DEFAULT_BACKEND, dropPgSchema, uniqueName, type Backend } from './backends.js';

export interface TestServer extends RunningServer {
  config: Config;
  /** Log in and return the session cookie header value. */
  login(email: string, password?: string): Promise<string>;
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
}

function randomRtpBlock(): string {
  // 10000–29999: apart from the kernel's ephemeral ports and the peers' ports (helpers/ports.ts).
  const base = 10000 + 200 * Math.floor(Math.random() * 100);
  return `${base}-${base + 199}`;
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
      ...opts.config,
    },
  );
  const server = await startServer(config, { logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), storeSchema: schema });

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
    async destroy() {
      await server.close();
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

/** Removes the demo tenant's seeded brand, for tests that register their own brands from scratch. */
export async function removeSeededBrands(s: TestServer, adminCookie: string): Promise<void> {
  for (const brand of (await s.api('GET', '/api/branding/brands', { cookie: adminCookie })).body.items) {
    const res = await s.api('DELETE', `/api/branding/brands/${brand.id}`, { cookie: adminCookie });
    if (res.status !== 204) throw new Error(`could not remove brand ${brand.id}: ${res.status}`);
  }
}
