/**
 * Loaded with `--import` by every test run (scripts/test.sh, the package's test
 * scripts): a test during which an unhandled rejection or an uncaught exception
 * happened fails, naming the error. node:test on its own pins such errors on
 * whichever hook or file happens to own the async context, or lets the test pass;
 * in production the same error ends the process, so here it must fail loudly.
 * Errors outside any test (a `before`/`after` hook, shutdown) fail the next test,
 * or the run at exit.
 */
import { afterEach, beforeEach } from 'node:test';
import { inspect } from 'node:util';

interface Escaped {
  kind: 'unhandledRejection' | 'uncaughtException';
  error: unknown;
  /** The test that was running, if any. */
  during: string | null;
}

const escaped: Escaped[] = [];
let current: string | null = null;

process.on('unhandledRejection', (error) => void escaped.push({ kind: 'unhandledRejection', error, during: current }));
process.on('uncaughtException', (error) => void escaped.push({ kind: 'uncaughtException', error, during: current }));

function describe(list: Escaped[]): string {
  return list.map((e) => `${e.kind}${e.during ? ` during "${e.during}"` : ' outside any test'}: ${inspect(e.error)}`).join('\n');
}

beforeEach((t) => {
  current = t.name;
});

afterEach(() => {
  current = null;
  if (escaped.length === 0) return;
  const list = escaped.splice(0);
  throw new Error(`${list.length} unhandled error(s) escaped while this test ran:\n${describe(list)}`, { cause: list[0].error });
});

process.on('exit', () => {
  if (escaped.length === 0) return;
  process.stderr.write(`\n${escaped.length} unhandled error(s) escaped after the last test:\n${describe(escaped)}\n`);
  process.exitCode = 1;
});
