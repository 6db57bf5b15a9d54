import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The test tiers are chosen by file name (scripts/test.sh), so a file in the wrong tier either
 * slows `npm run test:unit` down with a peer or hides an e2e test among the fast ones.
 */
const SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TEST = path.join(SERVER, 'test');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}
const testFiles = walk(TEST).filter((f) => f.endsWith('.test.ts'));
const rel = (f: string) => path.relative(TEST, f);

/** What a unit test may not start: a server, a store or bus backend, a peer process, a browser. */
const PEER_IMPORTS = [/from\s+'[./]*helpers\/(test-server|backends|chromium|browser-rig|sipp|baresip|processes|two-processes)\.js'/, /from\s+'playwright-core'/, /from\s+'node:child_process'/, /from\s+'[./]*src\/server\.js'/];

test('unit tests (*.unit.test.ts) start no server, backend, peer process or browser', () => {
  const offenders = testFiles
    .filter((f) => f.endsWith('.unit.test.ts'))
    .flatMap((f) => {
      const source = readFileSync(f, 'utf8');
      return PEER_IMPORTS.filter((re) => re.test(source)).map((re) => `${rel(f)} imports ${re.source}`);
    });
  assert.deepEqual(offenders, []);
});

test('tests that drive Chromium are the e2e tier (*.e2e.test.ts), and only they are', () => {
  const drivesChromium = (f: string) => /from\s+'([./]*helpers\/(chromium|browser-rig)\.js|playwright-core)'/.test(readFileSync(f, 'utf8'));
  assert.deepEqual(testFiles.filter((f) => drivesChromium(f) && !f.endsWith('.e2e.test.ts')).map(rel), [], 'drive Chromium but are not named *.e2e.test.ts');
  assert.deepEqual(testFiles.filter((f) => f.endsWith('.e2e.test.ts') && !drivesChromium(f)).map(rel), [], 'named *.e2e.test.ts without a browser');
});

test('every test lives in the folder of the src folder it tests (no test/e2e, no test/sip-stack)', () => {
  // test/sdk/ tests packages/sdk against a real server.
  const srcFolders = new Set(['sdk', ...readdirSync(path.join(SERVER, 'src')).filter((n) => statSync(path.join(SERVER, 'src', n)).isDirectory())]);
  const misplaced = testFiles.map(rel).filter((f) => !srcFolders.has(f.split(path.sep)[0]));
  assert.deepEqual(misplaced, []);
});
