/**
 * Compiles test/fixtures/rewards/TestToken.sol offline with solc-js (the compiler ships
 * in the npm package) against @openzeppelin/contracts, and writes its ABI and bytecode to
 * test/fixtures/rewards/test-token.json. Run: npx tsx scripts/compile-test-token.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const solc = require('solc');
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, '../test/fixtures/rewards');
const source = readFileSync(path.join(dir, 'TestToken.sol'), 'utf8');
const input = {
  language: 'Solidity',
  sources: { 'TestToken.sol': { content: source } },
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'shanghai', outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
};
const findImports = (p: string) => {
  try {
    return { contents: readFileSync(require.resolve(p), 'utf8') };
  } catch {
    return { error: `not found: ${p}` };
  }
};
const out = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === 'error');
if (errors.length) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n'));
const c = out.contracts['TestToken.sol'].TestToken;
writeFileSync(
  path.join(dir, 'test-token.json'),
  JSON.stringify({ compiler: `solc ${solc.version()}`, evmVersion: 'shanghai', abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` }, null, 1) + '\n',
);
console.log(`test-token.json written (solc ${solc.version()})`);
