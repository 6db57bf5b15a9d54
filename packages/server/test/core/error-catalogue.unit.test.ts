import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { CallsightError } from '../../src/core/errors.js';
import { ERROR_CATALOGUE, errorSpec } from '../../src/error-catalogue.js';
import { toProblem } from '../../src/http/problem.js';
import { ERRORS_DOC, SDK_ERROR_CODES, readPublishedCodes, renderErrorsDoc, renderSdkErrorCodes } from '../../scripts/error-docs.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

test('no code is declared by two folders', () => {
  const seen = new Map<string, string>();
  const twice: string[] = [];
  for (const e of ERROR_CATALOGUE) {
    if (seen.has(e.code)) twice.push(`${e.code} (${seen.get(e.code)} and ${e.folder})`);
    seen.set(e.code, e.folder);
  }
  assert.deepEqual(twice, []);
});

test('every published code is still in the catalogue: codes are public API, never renamed or removed', () => {
  const missing = readPublishedCodes().filter((c) => !errorSpec(c));
  assert.deepEqual(missing, [], 'docs/error-codes.txt lists codes no *-errors.ts declares any more: put them back (add a new code instead of renaming one)');
});

test('every code in the catalogue is published, and docs/errors.md and the SDK ErrorCode are up to date', () => {
  const published = new Set(readPublishedCodes());
  assert.deepEqual(ERROR_CATALOGUE.map((e) => e.code).filter((c) => !published.has(c)), [], 'new codes: run npm run docs:errors');
  assert.equal(readFileSync(ERRORS_DOC, 'utf8'), renderErrorsDoc(), 'docs/errors.md is stale: run npm run docs:errors');
  assert.equal(readFileSync(SDK_ERROR_CODES, 'utf8'), renderSdkErrorCodes(), 'packages/sdk/src/error-codes.ts is stale: run npm run docs:errors');
});

/** Every place in src that builds an error with a literal code and a literal status. */
function literalErrorSites(): { code: string; status: number; at: string }[] {
  const sites: { code: string; status: number; at: string }[] = [];
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : [path.join(dir, n)]));
  for (const file of walk(SRC).filter((f) => f.endsWith('.ts'))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node) => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments?.length && ts.isStringLiteralLike(node.arguments[0])) {
        const callee = node.expression.getText(source);
        const code = node.arguments[0].text;
        const statusOf = (arg: ts.Expression | undefined) => {
          if (!arg || !ts.isObjectLiteralExpression(arg)) return undefined;
          const prop = arg.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === 'status');
          return prop && ts.isNumericLiteral(prop.initializer) ? Number(prop.initializer.text) : undefined;
        };
        const status =
          callee === 'badRequest' ? 400 : callee === 'conflict' ? 409 : callee === 'CallsightError' || callee === 'super' ? statusOf(node.arguments[2]) : undefined;
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        if (status !== undefined) sites.push({ code, status, at: `${path.relative(SRC, file)}:${line + 1}` });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return sites;
}

test('errors are built with the status their code is catalogued with', () => {
  const sites = literalErrorSites();
  assert.ok(sites.length > 80, `found only ${sites.length} error sites: the scan is broken`);
  const wrong = sites
    .filter((s) => errorSpec(s.code) && !errorSpec(s.code)!.statusVaries && errorSpec(s.code)!.status !== s.status)
    .map((s) => `${s.at}: ${s.code} with ${s.status}, catalogued ${errorSpec(s.code)!.status}`);
  assert.deepEqual(wrong, []);
});

test("a problem's title is its code's catalogued title", () => {
  const problem = toProblem(new CallsightError('unknown_queue', 'No queue vip in this tenant', { status: 400 }));
  assert.equal(problem.title, 'No such queue in this tenant');
  assert.equal(problem.detail, 'No queue vip in this tenant');
  assert.equal(toProblem(new Error('boom')).title, errorSpec('internal')!.title);
});
