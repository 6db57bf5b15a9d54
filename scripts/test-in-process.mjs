// Runs test files in this one process (node 20's runner starts a process per file, which
// costs more than the pure unit tests themselves). Only for tests that share no state.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

for (const file of process.argv.slice(2)) await import(pathToFileURL(path.resolve(file)).href);
