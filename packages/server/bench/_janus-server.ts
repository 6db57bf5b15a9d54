/**
 * Starts Debian's Janus with a minimal configuration written to a temp folder: the HTTP
 * transport on 127.0.0.1 and only the VideoRoom plugin (room 1234, Opus), pinned to a core.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const LIB = '/usr/lib/x86_64-linux-gnu/janus';
const OTHER_PLUGINS = ['audiobridge', 'duktape', 'echotest', 'lua', 'nosip', 'recordplay', 'sip', 'streaming', 'textroom', 'videocall', 'voicemail'];

export async function startJanus(opts: { port: number; cpu?: number }): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'janus-bench-'));
  writeFileSync(
    path.join(dir, 'janus.jcfg'),
    `general: {
  configs_folder = "${dir}"
  plugins_folder = "${LIB}/plugins"
  transports_folder = "${LIB}/transports"
  events_folder = "${LIB}/events"
  loggers_folder = "${LIB}/loggers"
  debug_level = 2
}
media: { rtp_port_range = "30000-39999" }
nat: { nice_debug = false ignore_mdns = true }
plugins: { disable = "${OTHER_PLUGINS.map((p) => `libjanus_${p}.so`).join(',')}" }
events: { broadcast = false }
`,
  );
  writeFileSync(
    path.join(dir, 'janus.transport.http.jcfg'),
    `general: { json = "plain" base_path = "/janus" http = true port = ${opts.port} ip = "127.0.0.1" https = false }
admin: { admin_http = false admin_https = false }
`,
  );
  writeFileSync(path.join(dir, 'janus.plugin.videoroom.jcfg'), `general: {}\nroom-1234: { description = "bench" publishers = 6 audiocodec = "opus" videocodec = "vp8" }\n`);
  const argv = ['janus', '-F', dir, '-C', path.join(dir, 'janus.jcfg')];
  const child = opts.cpu === undefined ? spawn(argv[0], argv.slice(1), { stdio: 'pipe' }) : spawn('taskset', ['-c', String(opts.cpu), ...argv], { stdio: 'pipe' });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/janus/info`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`janus did not start:\n${log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
