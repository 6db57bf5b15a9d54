import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ProcResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Fails (never skips) when an external peer is missing: `npm test` installs them. */
export function requireBinary(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} is required for this test (apt-get install ${path.split('/').pop()})`);
}

/**
 * Peers still running when the test process exits (the runner's --test-force-exit ends a
 * file as soon as its tests are done) are killed with it, so none outlives its file
 * holding ports the next file's port claims consider free.
 */
const live = new Set<ReturnType<typeof spawn>>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Runs a process with a hard timeout; resolves with its exit code and output. */
export function run(cmd: string, args: string[], timeoutMs: number, cwd?: string): { done: Promise<ProcResult>; kill: () => void } {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  live.add(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<ProcResult>((resolve) =>
    child.on('close', (code) => {
      live.delete(child);
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
  // SIGTERM first: peers like baresip then leave cleanly (unregister, BYE).
  return { done, kill: () => child.kill('SIGTERM') };
}
