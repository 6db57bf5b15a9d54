// npm start: build what is missing or stale, then run the server (SQLite + demo tenant by default).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');

/** Newest modification time below a folder (0 if it does not exist). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const stale = (pkg, marker) => {
  const out = path.join(root, 'packages', pkg, marker);
  return !existsSync(out) || statSync(out).mtimeMs < newest(path.join(root, 'packages', pkg, pkg === 'web' ? '.' : 'src'));
};

if (stale('server', 'dist/cli/main.js') || stale('protocol', 'dist/index.js') || stale('sdk', 'dist/index.js') || stale('web', 'dist/index.html')) {
  console.log('building callsight…');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// In this process, so SIGTERM/SIGINT reach the server's graceful shutdown directly.
const { main } = await import(path.join(root, 'packages/server/dist/main.js'));
await main();
