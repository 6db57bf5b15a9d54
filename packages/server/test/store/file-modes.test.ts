import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WavFileWriter } from '../../src/media/wav.js';
import { BACKENDS } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

/**
 * The data dir holds the database, its WAL, call recordings and the master key:
 * readable by the server's user only (dir 0700, files 0600), whatever the umask —
 * here the common 022, under which plain creation gives 0755/0644.
 */
describe('data files are private to the server user', () => {
  let s: TestServer;
  before(async () => {
    process.umask(0o022);
    s = await startTestServer({ backend: BACKENDS[0] });
    // A write, so SQLite has its -wal and -shm files.
    const cookie = await s.login('admin@acme.test');
    assert.equal((await s.api('POST', '/api/api-keys', { cookie, body: { name: 'modes' } })).status, 201);
  });
  after(() => s.destroy());

  test('database, WAL, shared memory, master key: 0600; data dir and recordings dir: 0700', () => {
    const dir = s.config.dataDir;
    assert.equal(mode(dir), '700');
    for (const f of ['callsight.db', 'callsight.db-wal', 'callsight.db-shm', 'master.key']) assert.equal(mode(path.join(dir, f)), '600', f);
    assert.equal(mode(path.join(dir, 'recordings')), '700');
  });

  test('a recording file is created 0600', async () => {
    const file = path.join(s.config.dataDir, 'recordings', 'probe.wav');
    const w = await WavFileWriter.create(file);
    await w.close();
    assert.equal(mode(file), '600');
  });

  test('a data dir made loose before (0755 dir, 0644 database) is tightened at start', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'callsight-loose-'));
    chmodSync(dir, 0o755);
    mkdirSync(path.join(dir, 'recordings'), { mode: 0o755 });
    writeFileSync(path.join(dir, 'callsight.db'), '', { mode: 0o644 });
    const loose = await startTestServer({ backend: BACKENDS[0], reuse: { dataDir: dir, schema: 'unused', stream: 'UNUSED' } });
    try {
      assert.equal(mode(dir), '700');
      assert.equal(mode(path.join(dir, 'callsight.db')), '600');
      assert.equal(mode(path.join(dir, 'recordings')), '700');
    } finally {
      await loose.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
