// npm run bench -- <name> [args]: runs packages/server/bench/<name>.ts, which prints one JSON line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = path.join(root, 'packages/server/bench');
const names = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.startsWith('_')).map((f) => f.slice(0, -3));
const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <name>\nbenchmarks: ${names.join(', ')}`);
  process.exit(2);
}
// The peers a benchmark is compared with in the same run, installed like the tests' peers.
const ANCHORS = { sip: { bin: '/usr/sbin/kamailio', pkgs: ['kamailio', 'sip-tester'] }, sfu: { bin: '/usr/bin/janus', pkgs: ['janus'] }, rooms: { bin: '/usr/bin/janus', pkgs: ['janus'] }, bridge: { bin: '/usr/bin/sipp', pkgs: ['sip-tester'] }, codec: { bin: '/usr/bin/opusenc', pkgs: ['opus-tools'] } };
const anchor = ANCHORS[name];
if (anchor && !existsSync(anchor.bin)) {
  console.error(`installing ${anchor.pkgs.join(', ')} for the ${name} benchmark`);
  const apt = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt(['update', '-qq']);
  if (apt(['install', '-y', '-qq', '--no-install-recommends', ...anchor.pkgs]).status !== 0) {
    console.error(`could not install ${anchor.pkgs.join(', ')} (needs root and Debian's packages)`);
    process.exit(1);
  }
}
const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, `${name}.ts`), ...args], {
  cwd: path.join(root, 'packages/server'),
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
