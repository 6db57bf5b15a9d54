/**
 * Runs bench/_sfu-load.ts (the werift client crowd) in its own process pinned to core 1
 * against one SFU, and collects its per-level lines: shared by the sfu and rooms benchmarks.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Level {
  n: number;
  lossPct?: number;
  p50Ms?: number;
  p99Ms?: number;
  setupS?: number;
  connectP50Ms?: number;
  connectMaxMs?: number;
  /** Join to first forwarded frame of this level's probes (the last subscribers in). */
  firstAudioMs?: number[];
  setupFailed?: boolean;
  sfuCpuPct?: number;
  sfuUsPerPacket?: number;
  clientLagP99Ms?: number;
}

export function runSfuLoad(opts: { target: 'callsight' | 'janus'; url: string; sfuPid: number; levels: number[]; budgetMs: number; token?: string }): Promise<Level[]> {
  const { target, budgetMs } = opts;
  const deadline = Date.now() + budgetMs;
  const prof = process.env.SFU_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SFU_CPU_PROF_DIR}/client`] : [];
  const args = [...prof, '--import', 'tsx', path.join(here, '_sfu-load.ts'), target, opts.url, opts.levels.join(','), String(deadline), String(opts.sfuPid), opts.token ?? ''];
  const child = spawn('taskset', ['-c', '1', process.execPath, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: path.resolve(here, '..'),
  });
  const levels: Level[] = [];
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        const l = JSON.parse(line) as Level;
        levels.push(l);
        process.stderr.write(`${target}: ${line}\n`);
      } catch {
        process.stderr.write(`${target} load: ${line}\n`);
      }
    }
  });
  const hardStop = setTimeout(() => child.kill('SIGKILL'), budgetMs + 30_000);
  return new Promise((resolve) =>
    child.once('exit', () => {
      clearTimeout(hardStop);
      resolve(levels);
    }),
  );
}

/** The largest level with loss < 1 % and p99 forwarding delay < 50 ms. */
export const best = (levels: Level[]) => levels.filter((l) => !l.setupFailed && (l.lossPct ?? 100) < 1 && (l.p99Ms ?? 1e9) < 50).reduce((m, l) => Math.max(m, l.n), 0);
