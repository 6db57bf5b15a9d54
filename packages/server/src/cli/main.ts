#!/usr/bin/env node
import { parseArgs } from 'node:util';
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
    process.stderr.write(`callsight: ${err.message}\n`);
    process.exitCode = 1;
  },
);
