import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A callsight server in its own process (so load generators in this process do
 * not share its event loop), optionally pinned to one core with taskset.
 */
export async function startServerProcess(opts: { port: number; env?: Record<string, string>; cpu?: number; nodeArgs?: string[] }) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cs-bench-'));
  const args = [...(opts.nodeArgs ?? []), '--import', 'tsx', path.join(serverDir, 'src/cli/main.ts'), 'start'];
  const cmd = opts.cpu === undefined ? process.execPath : 'taskset';
  const argv = opts.cpu === undefined ? args : ['-c', String(opts.cpu), process.execPath, ...args];
  const child: ChildProcess = spawn(cmd, argv, {
    cwd: serverDir,
    env: {
      ...process.env,
      CALLSIGHT_DATA_DIR: dataDir,
      CALLSIGHT_HTTP_PORT: String(opts.port),
      CALLSIGHT_HTTP_HOST: '127.0.0.1',
      CALLSIGHT_LOG_LEVEL: 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('callsight is running')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${opts.port}`;
  return {
    url,
    /** The server's pid (taskset execs node in place), e.g. to read its CPU time from /proc. */
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Log in as the demo admin and mint an API key. */
export async function demoApiKey(url: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@acme.test', password: 'demo' }),
  });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${url}/api/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'bench' }),
  });
  return ((await res.json()) as { key: string }).key;
}
