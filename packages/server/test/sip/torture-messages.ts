/**
 * Locates and loads the RFC 4475 torture messages. They live in
 * `shared/testdata/rfc4475` beside the repository (CI clones to another folder
 * with shared/ next to the clone), so the folder is searched for upwards from
 * this file. Not finding it is an error: these tests are never skipped.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findTortureDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'shared', 'testdata', 'rfc4475');
    if (existsSync(join(candidate, 'README.md'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('RFC 4475 torture messages not found: expected shared/testdata/rfc4475 in an ancestor of the test folder');
    dir = parent;
  }
}

export function loadTortureMessages(): Map<string, Buffer> {
  const dir = findTortureDir();
  const files = readdirSync(dir).filter((f) => f.endsWith('.dat')).sort();
  return new Map(files.map((f) => [f, readFileSync(join(dir, f))]));
}

/** The README's table: file -> verdict text. */
export function readVerdicts(): Map<string, string> {
  const readme = readFileSync(join(findTortureDir(), 'README.md'), 'utf8');
  const verdicts = new Map<string, string>();
  for (const m of readme.matchAll(/^\|\s*[\d.]+\s*\|\s*(\S+\.dat)\s*\|\s*([^|]+?)\s*\|/gm)) verdicts.set(m[1], m[2]);
  return verdicts;
}
