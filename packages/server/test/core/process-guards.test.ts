import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';

const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
// A run of its own, not a subtest reporting to this file's runner.
const { NODE_TEST_CONTEXT: _, ...ownRun } = process.env;

test('the server process logs an unhandled rejection and an uncaught exception, and keeps serving', async () => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/fixtures/guarded-process.ts'], { cwd: SERVER_DIR });
  const lines = stdout.trim().split('\n');
  assert.equal(lines.at(-1), 'still serving');
  const logged = lines.slice(0, -1).map((l) => JSON.parse(l) as { level: number; kind: string; err: { message: string } });
  assert.deepEqual(
    logged.map((l) => [l.level, l.kind, l.err.message]),
    [
      [50, 'unhandledRejection', 'stray rejection'],
      [50, 'uncaughtException', 'stray exception'],
    ],
  );
});

test('the global test hook fails the test during which a rejection went unhandled, naming it', async () => {
  const result = await run(process.execPath, ['--import', 'tsx', '--import', './test/helpers/setup.ts', '--test', '--test-reporter=tap', 'test/fixtures/escaped-rejection.ts'], { cwd: SERVER_DIR, env: ownRun }).then(
    () => null,
    (err: { code: number; stdout: string }) => err,
  );
  assert.ok(result, 'the run must fail');
  // Without the hook node:test reports this test as passed (the rejection's async context is the before hook's).
  assert.match(result.stdout, /not ok 1 - a test during which the server rejects unhandled/);
  assert.match(result.stdout, /unhandledRejection during "a test during which the server rejects unhandled": Error: nobody handled me/);
  assert.match(result.stdout, /\n\s*ok 2 - a clean test/);
});
