import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The compiled entry point, as `npx callsight` runs it (npm test builds first): a process
// per command through tsx would compile the server's sources every time.
const CLI = path.join(serverDir, 'dist/cli/main.js');
const dataDir = mkdtempSync(path.join(tmpdir(), 'cs-cli-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: serverDir,
    env: { ...process.env, CALLSIGHT_DATA_DIR: dataDir, CALLSIGHT_DATABASE_URL: '', CALLSIGHT_NATS_URL: '', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('migrate, tenant create, user create, apikey create', () => {
  assert.match(cli(['migrate']).out, /applied: 0001-foundation/);
  assert.match(cli(['migrate']).out, /up to date/);
  const t = cli(['tenant', 'create', '--name', 'Initech', '--slug', 'initech']);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /^ten_\w+ initech/);
  const dup = cli(['tenant', 'create', '--name', 'Initech', '--slug', 'initech']);
  assert.equal(dup.code, 1);
  assert.match(dup.err, /exists/);
  const u = cli(['user', 'create', '--tenant', 'initech', '--email', 'pm@initech.test', '--name', 'Bill', '--role', 'supervisor', '--password', 'tps-reports']);
  assert.equal(u.code, 0, u.err);
  assert.match(u.out, /^usr_\w+ pm@initech.test supervisor/);
  const badRole = cli(['user', 'create', '--tenant', 'initech', '--email', 'x@initech.test', '--name', 'X', '--role', 'boss', '--password', 'password1']);
  assert.equal(badRole.code, 1);
  assert.match(badRole.err, /--role must be one of/);
  const k = cli(['apikey', 'create', '--tenant', 'initech', '--name', 'ci']);
  assert.equal(k.code, 0, k.err);
  assert.match(k.out.trim(), /^csk_[0-9a-z]{26}_[\w-]+$/);
  assert.match(k.err, /not shown again/);
  assert.equal(cli(['bogus']).code, 2);
  assert.match(cli(['help']).out, /events tail/);
  const badEnv = cli(['migrate'], { CALLSIGHT_HTTP_PORT: 'x' });
  assert.equal(badEnv.code, 2);
  assert.match(badEnv.err, /CALLSIGHT_HTTP_PORT/);
});

test('events tail streams live events from a running server', async () => {
  const s = await startTestServer();
  try {
    const cookie = await s.login('admin@acme.test');
    const key = (await s.api('POST', '/api/api-keys', { cookie, body: { name: 'tail' } })).body.key;
    const child = spawn(process.execPath, [CLI, 'events', 'tail', '--types', 'user.created', '--url', s.url], {
      cwd: serverDir,
      env: { ...process.env, CALLSIGHT_API_KEY: key },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      // Publish until the tail (which needs a moment to start) has printed one.
      await waitFor(
        async () => {
          await s.ctx.bus.publish({ tenantId: (await s.ctx.tenants.bySlug('acme'))!.id, type: 'user.created', data: { userId: 'usr_x', email: 'tail@acme.test', role: 'agent' } });
          return out.includes('tail@acme.test');
        },
        15_000,
        'tail output',
      );
      const line = JSON.parse(out.split('\n')[0]);
      assert.equal(line.type, 'user.created');
    } finally {
      child.kill('SIGINT');
    }
  } finally {
    await s.destroy();
  }
});
