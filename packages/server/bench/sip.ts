/**
 * SIP call throughput on one core: a SipEndpoint UAS (child process pinned to
 * CPU 0) answers every INVITE with 200 and handles BYE; sipp's built-in UAC
 * (INVITE/100/180/200/ACK/BYE/200) drives it from CPU 1 at rising rates,
 * ~5 s per step. The same ladder runs against Kamailio (children=1, stateless
 * 200s, CPU 0) as an anchor. Prints one JSON line.
 *
 *   node --import tsx bench/sip.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RATES = (process.env.SIP_BENCH_RATES ?? '200,400,800,1200,1600,2400,3200,4000,5000,6000').split(',').map(Number);
const STEP_SECONDS = Number(process.env.SIP_BENCH_STEP_SECONDS ?? 4);
/** Wall-clock budget per target so the whole run stays under 3 minutes. */
const TARGET_BUDGET_MS = 75_000;

function waitReady(child: ChildProcess, marker: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('child did not start')), timeoutMs);
    const check = (d: Buffer) => {
      if (marker.test(d.toString())) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
  });
}

const port = () => 20000 + Math.floor(Math.random() * 30000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One sipp step: true when every call completed. */
function sippStep(target: string, rate: number): Promise<{ ok: boolean; failed: number; successful: number; achievedCps: number }> {
  const calls = rate * STEP_SECONDS;
  const cwd = mkdtempSync(join(tmpdir(), 'callsight-bench-'));
  const args = ['-c', '1', 'sipp', target, '-sn', 'uac', '-nostdin', '-i', '127.0.0.1', '-p', String(port()), '-r', String(rate), '-m', String(calls), '-l', String(rate * 4), '-d', '0', '-timeout', `${STEP_SECONDS + 10}s`, '-timeout_error', '-max_recv_loops', '10000', '-max_sched_loops', '10000', '-trace_stat', '-fd', '1'];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('taskset', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const num = (label: string) => Number(new RegExp(`${label}\\s+\\|\\s+\\d+\\s+\\|\\s+(\\d+)`).exec(out)?.[1] ?? NaN);
      const successful = num('Successful call');
      const failed = num('Failed call');
      // sipp's cumulative call rate: with -l capping concurrent calls, a target that cannot keep
      // up makes sipp fall behind the offered rate; wall time is the fallback.
      const sippRate = Number(/Call Rate\s+\|\s+[\d.]+ cps\s+\|\s+([\d.]+) cps/.exec(out)?.[1] ?? NaN);
      const achievedCps = Math.round(Number.isFinite(sippRate) ? sippRate : successful / ((performance.now() - started) / 1000));
      // A step passes with every call completed, none failed, and the offered rate actually sustained
      // (>= 90 %): past that point calls only queue up in sipp, which measures the generator, not the target.
      resolve({ ok: code === 0 && failed === 0 && successful === calls && achievedCps >= rate * 0.9, failed, successful, achievedCps });
    });
  });
}

async function ladder(name: string, target: string, steps: Array<Record<string, unknown>>): Promise<number> {
  let best = 0;
  const start = Date.now();
  for (const rate of RATES) {
    if (Date.now() - start + STEP_SECONDS * 1000 > TARGET_BUDGET_MS) break;
    const r = await sippStep(target, rate);
    steps.push({ target: name, rate, ok: r.ok, successful: r.successful, failed: r.failed, achievedCps: r.achievedCps });
    if (!r.ok) break;
    best = rate;
    await sleep(500);
  }
  return best;
}

function kamailioConfig(p: number): string {
  return `#!KAMAILIO
debug=0
log_stderror=yes
children=1
tcp_children=1
disable_tcp=yes
auto_aliases=no
listen=udp:127.0.0.1:${p}
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
request_route {
  if (is_method("INVITE")) { sl_send_reply("200", "OK"); exit; }
  if (is_method("ACK")) exit;
  sl_send_reply("200", "OK");
}
`;
}

async function main(): Promise<void> {
  const steps: Array<Record<string, unknown>> = [];
  const deadline = setTimeout(() => {
    console.error('bench exceeded 3 minutes');
    process.exit(2);
  }, 175_000);

  // callsight UAS
  const p1 = port();
  const self = fileURLToPath(import.meta.url);
  const uas = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', self, '--uas', String(p1)], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitReady(uas, /ready/, 20_000);
  const callsightMaxCps = await ladder('callsight', `127.0.0.1:${p1}`, steps);
  uas.kill('SIGTERM');

  // Kamailio anchor
  let kamailioMaxCps: number | null = null;
  const KAMAILIO = '/usr/sbin/kamailio';
  if (existsSync(KAMAILIO)) {
    const dir = mkdtempSync(join(tmpdir(), 'callsight-kamailio-'));
    const p2 = port();
    writeFileSync(join(dir, 'kamailio.cfg'), kamailioConfig(p2));
    const kam = spawn('taskset', ['-c', '0', KAMAILIO, '-f', join(dir, 'kamailio.cfg'), '-DD', '-E', '-m', '64', '-M', '8', '-w', dir, '-Y', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    await sleep(1500);
    if (kam.exitCode === null) {
      kamailioMaxCps = await ladder('kamailio', `127.0.0.1:${p2}`, steps);
    } else {
      steps.push({ target: 'kamailio', error: `kamailio exited with ${kam.exitCode}` });
    }
    kam.kill('SIGTERM');
  } else {
    steps.push({ target: 'kamailio', error: 'kamailio not installed (apt-get install -y kamailio)' });
  }
  clearTimeout(deadline);
  const ratio = kamailioMaxCps ? Math.round((callsightMaxCps / kamailioMaxCps) * 100) / 100 : null;
  console.log(JSON.stringify({ bench: 'sip', callsightMaxCps, kamailioMaxCps, ratio, stepSeconds: STEP_SECONDS, steps }));
  process.exit(0);
}

// ---- child mode: the UAS under test ---------------------------------------------
async function runUas(): Promise<void> {
  const { SipEndpoint } = await import('../src/sip/ua/endpoint.js');
  const { createLogger } = await import('../src/core/logger.js');
  const ep = await SipEndpoint.start({ bindHost: '127.0.0.1', port: Number(process.argv[3]), publicHost: '127.0.0.1', log: createLogger('silent') });
  const answer = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
  ep.on('invite', (inv) => {
    inv.accept({ sdp: answer }).catch(() => undefined);
  });
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    if (process.env.SIP_BENCH_DEBUG) {
      const ms = (n: number) => Math.round(n / 1e6);
      console.error(JSON.stringify({ ...ep.stats, loopDelayMs: { p50: ms(lag.percentile(50)), p99: ms(lag.percentile(99)), max: ms(lag.max) }, heapMB: Math.round(process.memoryUsage().heapUsed / 1e6) }));
    }
    // Exit even if a lingering transaction keeps close() waiting.
    setTimeout(() => process.exit(0), 1000).unref();
    void ep.close().finally(() => process.exit(0));
  });
}

if (process.argv[2] === '--uas') await runUas();
else await main();

