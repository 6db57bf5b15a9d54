#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { CallsightApiError } from '@callsight/sdk';
import { run } from './commands.js';

/** `callsight <command>`: see `callsight help`. */
const { positionals, values } = parseArgs({
  allowPositionals: true,
  strict: false,
  options: {
    help: { type: 'boolean', short: 'h' },
  },
});

run(positionals, values as Record<string, string | boolean | undefined>, process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err: Error) => {
    // API errors carry the server's stable code: print it, as scripts match on it.
    process.stderr.write(`callsight: ${err.message}${err instanceof CallsightApiError ? ` (${err.code})` : ''}\n`);
    process.exitCode = 1;
  },
);
