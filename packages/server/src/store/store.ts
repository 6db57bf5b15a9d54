import { existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { ensurePrivateDir, ensurePrivateFile, PRIVATE_DIR } from '../core/private-files.js';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations/index.js';
import { OwnSchemaPostgresDialect } from './schema-introspector.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface StoreOptions {
  /** `postgres://…` or `sqlite:<file>`; default SQLite file under dataDir. */
  url?: string;
  dataDir: string;
  /** Postgres schema to use (tests get one each so runs never see each other's rows). */
  schema?: string;
}

/**
 * The one handle on persistent state. Two dialects behind Kysely; code above this
 * layer writes portable queries and never branches on the dialect except where
 * locking semantics differ (see `forUpdateSkipLocked`).
 */
export class Store {
  private constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    private readonly onClose: () => Promise<void>,
    private readonly schema?: string,
  ) {}

  static async open(opts: StoreOptions): Promise<Store> {
    if (opts.url?.startsWith('postgres')) {
      // int8 (bigint) columns hold epoch ms and sequence numbers, all < 2^53.
      pg.types.setTypeParser(20, (v) => Number(v));
      const schema = opts.schema;
      const url = withDefaultUser(opts.url);
      if (schema) {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`create schema if not exists "${schema}"`);
        await admin.end();
      }
      const pool = new pg.Pool({
        connectionString: url,
        max: 10,
        options: schema ? `-c search_path="${schema}"` : undefined,
      });
      const db = new Kysely<Database>({ dialect: new OwnSchemaPostgresDialect({ pool }) });
      return new Store(db, 'postgres', () => db.destroy(), schema);
    }
    const file = opts.url?.startsWith('sqlite:')
      ? opts.url.slice('sqlite:'.length)
      : path.join(opts.dataDir, 'callsight.db');
    if (file !== ':memory:') {
      // The default file lives in the data dir, which is ours alone; a configured path's directory is the operator's.
      if (!opts.url) ensurePrivateDir(path.dirname(path.resolve(file)));
      else mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: PRIVATE_DIR });
      // SQLite creates the -wal and -shm files with the database file's mode: 0600 for all three.
      for (const f of [file, `${file}-wal`, `${file}-shm`]) if (f === file || existsSync(f)) ensurePrivateFile(f);
    }
    const sqlite = new SQLite(file);
    // WAL lets readers proceed during writes; NORMAL sync is durable across app crashes.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return new Store(db, 'sqlite', () => db.destroy());
  }

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({
      db: this.db,
      provider: migrationProvider({ dialect: this.dialect }),
      // Kysely looks its bookkeeping tables up by name in every schema unless told which.
      migrationTableSchema: this.schema,
      // Features add migrations named for their number and folder; two features landing in
      // either order must both apply on a database that already has the later one.
      allowUnorderedMigrations: true,
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error;
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

/** Like libpq: a URL without a user connects as PGUSER or the OS user (pg would send none). */
export function withDefaultUser(url: string): string {
  const u = new URL(url);
  if (!u.username) u.username = process.env.PGUSER || process.env.USER || userInfo().username;
  return u.toString();
}

/** JSON columns are text in both dialects. */
export const toJson = (value: unknown) => JSON.stringify(value);
export const fromJson = <T>(text: string | null): T => (text == null ? (null as T) : (JSON.parse(text) as T));
