import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * What callsight keeps on disk (the SQLite database and its WAL, recordings, the
 * master key) is readable by its own user only: directories 0700, files 0600,
 * whatever the umask. Existing ones are tightened too, so an older data dir made
 * with 0755/0644 does not stay open to every local account.
 */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  chmodSync(dir, PRIVATE_DIR);
}

/** Creates `file` empty with mode 0600 if missing (SQLite then gives its -wal/-shm the same mode), else tightens it. */
export function ensurePrivateFile(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE));
  chmodSync(file, PRIVATE_FILE);
}
