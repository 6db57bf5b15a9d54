/**
 * Browser↔SIP bridge benchmark: how many concurrent calls from browsers (the softphone's
 * WebRTC protocol) to SIP phones one core carries with < 1 % loss and p99 round-trip
 * delay < 100 ms — 50 ms each way: every frame crosses the bridge twice.
 *
 * - the callsight server runs pinned to core 0 (taskset -c 0);
 * - sipp answers every call as the SIP phone and echoes its RTP (-rtp_echo), pinned to core 1;
 * - a client process on core 1 (bench/_bridge-load.ts) places N calls as werift peers
 *   logged in as the demo customer, N rising 1, 5, 10, 20, 40, 60, 80, 100, 120 until a level
 *   fails twice (a failing level is measured once more, both lines reported: the machine is shared).
 *   Each frame goes browser → server (SRTP, relayed to the SIP leg as it arrives) → sipp →
 *   server (relayed as it arrives) → browser, payload untouched both ways and no server
 *   jitter buffer, so the delay is the full round trip through the bridge.
 *
 * Usage: node --import tsx bench/bridge.ts   (< 3 minutes; one JSON line on stdout)
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from './_server-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const LEVELS = [1, 5, 10, 20, 40, 60, 80, 100, 120];
const BUDGET_MS = 120_000;
const SIP_PORT = 39_560;
const SIPP_PORT = 39_570;

interface Level {
  n: number;
  lossPct?: number;
  p50Ms?: number;
  p99Ms?: number;
  setupS?: number;
  setupFailed?: boolean;
  serverCpuPct?: number;
  clientCpuPct?: number;
  clientLagP99Ms?: number;
  attempt?: number;
}

async function login(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'demo' }) });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

function runLoad(url: string, cookie: string, serverPid: number): Promise<Level[]> {
  const deadline = Date.now() + BUDGET_MS;
  const args = [process.execPath, '--import', 'tsx', path.join(here, '_bridge-load.ts'), url, cookie, `sip:phone@127.0.0.1:${SIPP_PORT}`, LEVELS.join(','), String(deadline), String(serverPid)];
  const child = spawn('taskset', ['-c', '1', ...args], { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.resolve(here, '..') });
  const levels: Level[] = [];
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        levels.push(JSON.parse(line) as Level);
        process.stderr.write(`bridge: ${line}\n`);
      } catch {
        process.stderr.write(`bridge load: ${line}\n`);
      }
    }
  });
  const hardStop = setTimeout(() => child.kill('SIGKILL'), BUDGET_MS + 30_000);
  return new Promise((resolve) =>
    child.once('exit', () => {
      clearTimeout(hardStop);
      resolve(levels);
    }),
  );
}

const server = await startServerProcess({ port: 39_550, cpu: 0, env: { CALLSIGHT_SIP_PORT: String(SIP_PORT), CALLSIGHT_RTP_PORTS: '39600-39999' } });
const sipp = spawn('taskset', ['-c', '1', '/usr/bin/sipp', '-sn', 'uas', '-i', '127.0.0.1', '-p', String(SIPP_PORT), '-mp', String(SIPP_PORT + 2), '-rtp_echo', '-nostdin', '-timeout', `${BUDGET_MS / 1000 + 40}s`], {
  stdio: 'ignore',
});
let levels: Level[];
try {
  levels = await runLoad(server.url, await login(server.url, 'customer@acme.test'), server.pid);
} finally {
  sipp.kill('SIGTERM');
  await server.stop();
}
const passing = levels.filter((l) => !l.setupFailed && (l.lossPct ?? 100) < 1 && (l.p99Ms ?? 1e9) < 100);
console.log(
  JSON.stringify({
    bench: 'bridge',
    criteria: 'max concurrent browser↔SIP calls (werift → callsight → sipp RTP echo → back) with loss < 1% and p99 round-trip delay < 100 ms (both bridge crossings); server on 1 core',
    maxCalls: passing.reduce((m, l) => Math.max(m, l.n), 0),
    levels,
    note: 'busy shared 2-core machine; clients and sipp share the other core',
  }),
);
